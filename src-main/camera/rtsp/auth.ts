// RTSP authentication: Basic and Digest (RFC 2617, RFC 7616: MD5, SHA-256, their -sess variants,
// qop=auth or none). Server side (challenge, verify) and client side (parse challenges, answer them).
// Pure functions over header strings plus node:crypto; no sockets, no user store beyond a list.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export type DigestAlgorithm = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess';
export type AuthSchemeOption = 'basic' | 'digest' | 'any';

export interface AuthChallenge {
  /** Lower-cased scheme: 'basic', 'digest' or whatever the server sent. */
  scheme: string;
  params: Record<string, string>;
}

// ---- parsing of WWW-Authenticate / Authorization ----

/**
 * Parses `key=value, key="quoted, value"` auth-params. Returns the params and the index where
 * parsing stopped (at the start of a following challenge's scheme token, if any).
 */
function parseParams(s: string, from: number): { params: Record<string, string>; end: number } {
  const params: Record<string, string> = {};
  let i = from;
  for (;;) {
    while (i < s.length && (s[i] === ' ' || s[i] === ',' || s[i] === '\t')) i++;
    const keyStart = i;
    while (i < s.length && /[!#$%&'*+\-.^_`|~0-9A-Za-z]/.test(s[i]!)) i++;
    const key = s.slice(keyStart, i);
    let j = i;
    while (j < s.length && (s[j] === ' ' || s[j] === '\t')) j++;
    if (key === '' || s[j] !== '=') return { params, end: keyStart };
    j++;
    while (j < s.length && (s[j] === ' ' || s[j] === '\t')) j++;
    let value = '';
    if (s[j] === '"') {
      j++;
      while (j < s.length && s[j] !== '"') {
        if (s[j] === '\\' && j + 1 < s.length) j++;
        value += s[j];
        j++;
      }
      j++; // closing quote
    } else {
      const vStart = j;
      while (j < s.length && s[j] !== ',') j++;
      value = s.slice(vStart, j).trim();
    }
    params[key.toLowerCase()] = value;
    i = j;
  }
}

/** Parses a WWW-Authenticate value, which may hold several challenges (`Basic realm="x", Digest ...`). */
export function parseWwwAuthenticate(value: string): AuthChallenge[] {
  const out: AuthChallenge[] = [];
  let i = 0;
  while (i < value.length) {
    while (i < value.length && (value[i] === ' ' || value[i] === ',')) i++;
    const m = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+)/.exec(value.slice(i));
    if (!m) break;
    const scheme = m[1]!.toLowerCase();
    i += m[1]!.length;
    const { params, end } = parseParams(value, i);
    out.push({ scheme, params });
    if (end <= i) break;
    i = end;
  }
  return out;
}

/** Parses an Authorization header value into its scheme and params (Basic's token is `params.token`). */
export function parseAuthorization(value: string): AuthChallenge | undefined {
  const m = /^\s*([A-Za-z][A-Za-z0-9-]*)\s+(.*)$/s.exec(value);
  if (!m) return undefined;
  const scheme = m[1]!.toLowerCase();
  if (scheme === 'basic') return { scheme, params: { token: m[2]!.trim() } };
  return { scheme, params: parseParams(m[2]!, 0).params };
}

// ---- digest computation (both sides) ----

function hashName(algorithm: string): 'md5' | 'sha256' {
  return algorithm.toUpperCase().startsWith('SHA-256') ? 'sha256' : 'md5';
}

function h(algorithm: string, data: string): string {
  return createHash(hashName(algorithm)).update(data, 'utf8').digest('hex');
}

export interface DigestInput {
  username: string;
  password: string;
  realm: string;
  nonce: string;
  method: string;
  uri: string;
  /** Default 'MD5'. */
  algorithm?: string;
  /** 'auth' or undefined (RFC 2069 compatibility: no qop). */
  qop?: string;
  /** 8 hex digits, e.g. '00000001'; required with qop. */
  nc?: string;
  cnonce?: string;
}

/** The `response` value of a Digest Authorization header (RFC 7616 §3.4.1). */
export function computeDigestResponse(input: DigestInput): string {
  const algorithm = input.algorithm ?? 'MD5';
  let ha1 = h(algorithm, `${input.username}:${input.realm}:${input.password}`);
  if (algorithm.toLowerCase().endsWith('-sess'))
    ha1 = h(algorithm, `${ha1}:${input.nonce}:${input.cnonce ?? ''}`);
  const ha2 = h(algorithm, `${input.method}:${input.uri}`);
  if (input.qop)
    return h(
      algorithm,
      `${ha1}:${input.nonce}:${input.nc ?? '00000001'}:${input.cnonce ?? ''}:${input.qop}:${ha2}`,
    );
  return h(algorithm, `${ha1}:${input.nonce}:${ha2}`);
}

function quote(v: string): string {
  return `"${v.replace(/(["\\])/g, '\\$1')}"`;
}

export function buildBasicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

export interface ClientCredentials {
  username: string;
  password: string;
}

/**
 * Answers a Digest challenge: the Authorization header value for one request. The caller keeps
 * `nc` increasing per nonce when it reuses a nonce (default 1).
 */
export function buildDigestAuthorization(
  challenge: AuthChallenge,
  creds: ClientCredentials,
  request: { method: string; uri: string; nc?: number; cnonce?: string },
): string {
  const p = challenge.params;
  const algorithm = p.algorithm ?? 'MD5';
  const qops = (p.qop ?? '').split(',').map((s) => s.trim().toLowerCase());
  const qop = qops.includes('auth') ? 'auth' : undefined;
  const nc = (request.nc ?? 1).toString(16).padStart(8, '0');
  const cnonce = request.cnonce ?? randomBytes(8).toString('hex');
  const realm = p.realm ?? '';
  const nonce = p.nonce ?? '';
  const response = computeDigestResponse({
    ...creds,
    realm,
    nonce,
    method: request.method,
    uri: request.uri,
    algorithm,
    qop,
    nc,
    cnonce,
  });
  const parts = [
    `username=${quote(creds.username)}`,
    `realm=${quote(realm)}`,
    `nonce=${quote(nonce)}`,
    `uri=${quote(request.uri)}`,
    `response=${quote(response)}`,
  ];
  if (p.algorithm !== undefined) parts.push(`algorithm=${algorithm}`);
  if (p.opaque !== undefined) parts.push(`opaque=${quote(p.opaque)}`);
  if (qop) parts.push(`qop=${qop}`, `nc=${nc}`, `cnonce=${quote(cnonce)}`);
  else if (algorithm.toLowerCase().endsWith('-sess')) parts.push(`cnonce=${quote(cnonce)}`);
  return `Digest ${parts.join(', ')}`;
}

/** Picks the strongest challenge we can answer: Digest SHA-256, then Digest MD5, then Basic. */
export function chooseChallenge(challenges: readonly AuthChallenge[]): AuthChallenge | undefined {
  const rank = (c: AuthChallenge): number => {
    if (c.scheme === 'digest') {
      const alg = (c.params.algorithm ?? 'MD5').toUpperCase();
      if (alg === 'SHA-256' || alg === 'SHA-256-SESS') return 3;
      if (alg === 'MD5' || alg === 'MD5-SESS') return 2;
      return 0;
    }
    return c.scheme === 'basic' ? 1 : 0;
  };
  let best: AuthChallenge | undefined;
  for (const c of challenges)
    if (rank(c) > 0 && (best === undefined || rank(c) > rank(best))) best = c;
  return best;
}

// ---- server side ----

export interface AuthUser {
  username: string;
  password: string;
}

export interface ServerAuthOptions {
  users: readonly AuthUser[];
  /** Default 'any': offer Digest and Basic; clients pick. */
  scheme?: AuthSchemeOption;
  realm?: string;
  /** Digest algorithms offered, strongest first (default ['MD5']: ffmpeg and most cameras only know MD5). */
  algorithms?: readonly DigestAlgorithm[];
  /** Offer qop="auth" (default true); clients answering without qop (RFC 2069 style) are still accepted. */
  qop?: boolean;
  /** Nonce lifetime; an older nonce gets a fresh challenge with stale=true (default 5 min). */
  nonceTtlMs?: number;
  now?: () => number;
}

export type AuthVerdict =
  { ok: true; username: string } | { ok: false; stale?: boolean; reason: string };

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/** Issues challenges and checks Authorization headers against a fixed user list. */
export class ServerAuthenticator {
  private readonly secret = randomBytes(16);
  private readonly scheme: AuthSchemeOption;
  private readonly realm: string;
  private readonly algorithms: readonly DigestAlgorithm[];
  private readonly nonceTtlMs: number;
  private readonly now: () => number;

  constructor(private readonly options: ServerAuthOptions) {
    this.scheme = options.scheme ?? 'any';
    this.realm = options.realm ?? 'NVR';
    this.algorithms = options.algorithms ?? ['MD5'];
    this.nonceTtlMs = options.nonceTtlMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Stateless nonce: issue time plus an HMAC of it, so any server instance restart invalidates it. */
  private makeNonce(): string {
    const t = this.now().toString(16);
    const mac = createHmac('sha256', this.secret).update(t).digest('hex').slice(0, 24);
    return `${t}${mac}`;
  }

  private nonceState(nonce: string): 'valid' | 'stale' | 'invalid' {
    const t = nonce.slice(0, -24);
    const mac = createHmac('sha256', this.secret).update(t).digest('hex').slice(0, 24);
    if (!/^[0-9a-f]+$/.test(t) || !safeEqual(mac, nonce.slice(-24))) return 'invalid';
    return this.now() - parseInt(t, 16) > this.nonceTtlMs ? 'stale' : 'valid';
  }

  /** WWW-Authenticate header values for a 401 (one header each). */
  challenges(stale = false): string[] {
    const out: string[] = [];
    if (this.scheme !== 'basic') {
      const nonce = this.makeNonce();
      for (const alg of this.algorithms) {
        const algPart = alg === 'MD5' ? '' : `, algorithm=${alg}`;
        const qopPart = this.options.qop === false ? '' : ', qop="auth"';
        out.push(
          `Digest realm=${quote(this.realm)}${qopPart}, nonce=${quote(nonce)}${algPart}${stale ? ', stale=true' : ''}`,
        );
      }
    }
    if (this.scheme !== 'digest') out.push(`Basic realm=${quote(this.realm)}`);
    return out;
  }

  verify(method: string, authorization: string | undefined): AuthVerdict {
    if (authorization === undefined) return { ok: false, reason: 'no credentials' };
    const parsed = parseAuthorization(authorization);
    if (!parsed) return { ok: false, reason: 'unparseable Authorization' };
    if (parsed.scheme === 'basic' && this.scheme !== 'digest')
      return this.verifyBasic(parsed.params.token ?? '');
    if (parsed.scheme === 'digest' && this.scheme !== 'basic')
      return this.verifyDigest(method, parsed.params);
    return { ok: false, reason: `scheme ${parsed.scheme} not accepted` };
  }

  private verifyBasic(token: string): AuthVerdict {
    const decoded = Buffer.from(token, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return { ok: false, reason: 'bad Basic token' };
    const username = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    const user = this.options.users.find((u) => u.username === username);
    if (user && safeEqual(user.password, password)) return { ok: true, username };
    return { ok: false, reason: 'wrong username or password' };
  }

  private verifyDigest(method: string, p: Record<string, string>): AuthVerdict {
    const user = this.options.users.find((u) => u.username === p.username);
    if (!user) return { ok: false, reason: 'unknown user' };
    const algorithm = p.algorithm ?? 'MD5';
    if (!this.algorithms.some((a) => a.toUpperCase() === algorithm.toUpperCase()))
      return { ok: false, reason: `algorithm ${algorithm} not offered` };
    if (p.realm !== this.realm) return { ok: false, reason: 'wrong realm' };
    const state = this.nonceState(p.nonce ?? '');
    if (state === 'invalid') return { ok: false, reason: 'unknown nonce' };
    if (p.qop !== undefined && p.qop.toLowerCase() !== 'auth')
      return { ok: false, reason: `qop ${p.qop} not supported` };
    const expected = computeDigestResponse({
      username: user.username,
      password: user.password,
      realm: this.realm,
      nonce: p.nonce ?? '',
      method,
      // The digest covers the uri the client put in the header (RFC 7616 §3.4.6 asks servers to check it names the same resource).
      uri: p.uri ?? '',
      algorithm,
      qop: p.qop,
      nc: p.nc,
      cnonce: p.cnonce,
    });
    if (!safeEqual(expected, (p.response ?? '').toLowerCase()))
      return { ok: false, reason: 'wrong username or password' };
    if (state === 'stale') return { ok: false, stale: true, reason: 'stale nonce' };
    return { ok: true, username: user.username };
  }
}
