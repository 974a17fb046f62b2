// Capped exponential backoff with jitter (reconnects to cameras). Pure: randomness is injected so
// tests are deterministic; no timers here, the caller waits.

export interface BackoffOptions {
  /** First delay, ms. */
  initialMs?: number;
  /** Upper bound of any delay, ms. */
  maxMs?: number;
  /** Growth per attempt. */
  factor?: number;
  /** 0..1: the share of each delay that is randomized ("equal jitter" at 0.5, "full jitter" at 1). */
  jitter?: number;
  /** Returns [0, 1); Math.random by default. */
  random?: () => number;
}

export interface Backoff {
  /** Delay before the next attempt, ms; each call counts one more failed attempt. */
  nextDelayMs(): number;
  /** Call after a success: the next failure starts from initialMs again. */
  reset(): void;
  readonly attempts: number;
}

export function backoffDelayMs(attempt: number, options: BackoffOptions = {}): number {
  const {
    initialMs = 500,
    maxMs = 30_000,
    factor = 2,
    jitter = 0.5,
    random = Math.random,
  } = options;
  if (initialMs <= 0 || maxMs < initialMs || factor < 1 || jitter < 0 || jitter > 1)
    throw new RangeError('backoff: need 0 < initialMs <= maxMs, factor >= 1, 0 <= jitter <= 1');
  const base = Math.min(maxMs, initialMs * Math.pow(factor, Math.max(0, attempt)));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(base * (1 - jitter) + base * jitter * r);
}

export function createBackoff(options: BackoffOptions = {}): Backoff {
  let attempts = 0;
  backoffDelayMs(0, options); // validates options at creation
  return {
    nextDelayMs: () => backoffDelayMs(attempts++, options),
    reset: () => {
      attempts = 0;
    },
    get attempts() {
      return attempts;
    },
  };
}
