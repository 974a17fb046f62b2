// Login backoff: failed logins counted per client address AND per username, reserved before the
// password is checked (an attempt in flight counts as a failure until it succeeds), so concurrent
// guesses cannot slip past the limit. Pure bookkeeping over an injected clock: no HTTP, no storage.
//
// A key allows `freeFailures` attempts (failed or in flight); after that it is backed off 1 s, 2 s,
// 4 s ... up to `maxBackoffMs` from its latest failure, one attempt at a time. A success clears the
// username's key and, at the address, only that user's own failures (another account's success
// from the same address resets nothing).

export interface LoginLimiterOptions {
  nowMs: () => number;
  /** Attempts per key before backoff; 5 by default. */
  freeFailures?: number;
  /** Longest backoff; 15 min by default. */
  maxBackoffMs?: number;
  /** Keys kept before expired ones are pruned; 10,000 by default. */
  maxKeys?: number;
}

interface KeyState {
  failures: number;
  pending: number;
  untilMs: number;
  /** At an address: failures per username, so a success takes back only its own. */
  byUser?: Map<string, number>;
}

/** Usernames remembered per address (beyond that, a success cannot take back their failures). */
const MAX_USERS_PER_ADDRESS = 64;

export type LoginAdmission =
  | { ok: true; ticket: LoginTicket }
  | { ok: false; retryAfterMs: number; key: 'address' | 'username' };

/** One admitted attempt: report its outcome exactly once. */
export interface LoginTicket {
  succeeded(): void;
  failed(): number;
}

export class LoginLimiter {
  private readonly keys = new Map<string, KeyState>();
  private readonly freeFailures: number;
  private readonly maxBackoffMs: number;
  private readonly maxKeys: number;

  constructor(private readonly opts: LoginLimiterOptions) {
    this.freeFailures = opts.freeFailures ?? 5;
    this.maxBackoffMs = opts.maxBackoffMs ?? 15 * 60_000;
    this.maxKeys = opts.maxKeys ?? 10_000;
  }

  /** Reserves an attempt for `username` from `address`, or says how long to wait. Synchronous. */
  admit(address: string, username: string): LoginAdmission {
    const user = username.toLowerCase();
    const keys = [
      { name: 'address' as const, key: `a:${address}` },
      { name: 'username' as const, key: `u:${user}` },
    ];
    const now = this.opts.nowMs();
    for (const k of keys) {
      const wait = this.waitMs(this.keys.get(k.key), now);
      if (wait > 0) return { ok: false, retryAfterMs: wait, key: k.name };
    }
    if (this.keys.size > this.maxKeys) this.prune(now);
    const [a, u] = keys.map((k) => this.state(k.key));
    a!.pending++;
    u!.pending++;
    let settled = false;
    const settle = () => {
      if (settled) throw new Error('login ticket settled twice');
      settled = true;
      a!.pending--;
      u!.pending--;
    };
    return {
      ok: true,
      ticket: {
        succeeded: () => {
          settle();
          this.keys.delete(keys[1]!.key);
          const mine = a!.byUser?.get(user) ?? 0;
          a!.byUser?.delete(user);
          a!.failures = Math.max(0, a!.failures - mine);
          if (a!.failures < this.freeFailures) a!.untilMs = 0;
          if (a!.failures === 0 && a!.pending === 0) this.keys.delete(keys[0]!.key);
        },
        failed: () => {
          settle();
          const t = this.opts.nowMs();
          for (const s of [a!, u!]) {
            s.failures++;
            const over = s.failures - this.freeFailures;
            if (over >= 0)
              s.untilMs = t + Math.min(this.maxBackoffMs, 1000 * 2 ** Math.min(over, 30));
          }
          if (a!.byUser && (a!.byUser.has(user) || a!.byUser.size < MAX_USERS_PER_ADDRESS))
            a!.byUser.set(user, (a!.byUser.get(user) ?? 0) + 1);
          return a!.failures;
        },
      },
    };
  }

  /** 0 when a key may try now, else ms to wait. */
  private waitMs(s: KeyState | undefined, now: number): number {
    if (!s) return 0;
    const used = s.failures + s.pending;
    if (used < this.freeFailures) return 0;
    // Backed off: one attempt at a time once the backoff ran out.
    if (s.untilMs > now) return s.untilMs - now;
    return s.pending > 0 ? 1000 : 0;
  }

  private state(key: string): KeyState {
    let s = this.keys.get(key);
    if (!s) {
      s = {
        failures: 0,
        pending: 0,
        untilMs: 0,
        ...(key.startsWith('a:') ? { byUser: new Map() } : {}),
      };
      this.keys.set(key, s);
    }
    return s;
  }

  /** Forgets keys with nothing in flight whose backoff ran out (their count restarts). */
  private prune(now: number): void {
    for (const [k, s] of this.keys)
      if (s.pending === 0 && s.untilMs <= now && s.failures < this.freeFailures)
        this.keys.delete(k);
    if (this.keys.size <= this.maxKeys) return;
    for (const [k, s] of this.keys) if (s.pending === 0 && s.untilMs <= now) this.keys.delete(k);
  }
}
