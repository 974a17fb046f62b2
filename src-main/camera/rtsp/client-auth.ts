// Client-side authentication state of one RTSP connection: remembers the chosen challenge and
// answers each request with a fresh Authorization value (Digest recomputed per method and URI,
// nc counting up per nonce). The header maths lives in auth.ts; this file holds only the state.
import {
  buildBasicAuthorization,
  buildDigestAuthorization,
  chooseChallenge,
  parseWwwAuthenticate,
} from './auth';
import type { AuthChallenge } from './auth';

export type ChallengeOutcome = 'retry' | 'stale' | 'unsupported';

export class ClientAuthenticator {
  private challenge: AuthChallenge | undefined;
  private nc = 0;

  constructor(
    private readonly username: string | undefined,
    private readonly password: string | undefined,
  ) {}

  get hasCredentials(): boolean {
    return this.username !== undefined && this.username !== '';
  }

  /** The Authorization header for a request, or undefined before any challenge. */
  authorization(method: string, uri: string): string | undefined {
    const c = this.challenge;
    if (!c || !this.hasCredentials) return undefined;
    const creds = { username: this.username!, password: this.password ?? '' };
    if (c.scheme === 'basic') return buildBasicAuthorization(creds.username, creds.password);
    this.nc++;
    return buildDigestAuthorization(c, creds, { method, uri, nc: this.nc });
  }

  /**
   * Takes the WWW-Authenticate values of a 401. 'stale' when the server only renewed its nonce
   * (the password was right), 'retry' for a new challenge, 'unsupported' when none can be answered.
   */
  onChallenge(headerValues: readonly string[]): ChallengeOutcome {
    const all = headerValues.flatMap((v) => parseWwwAuthenticate(v));
    const chosen = chooseChallenge(all);
    if (!chosen) return 'unsupported';
    const stale =
      chosen.scheme === 'digest' && (chosen.params.stale ?? '').toLowerCase() === 'true';
    if (chosen.params.nonce !== this.challenge?.params.nonce) this.nc = 0;
    this.challenge = chosen;
    return stale ? 'stale' : 'retry';
  }
}
