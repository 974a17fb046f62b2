// Per-key log rate limiting for warnings that repeat per camera (a camera sending broken timestamps,
// a stream whose writes keep failing): the first few records of a key in a window are logged, the
// rest are counted and summed up in one record when the key's next window opens. No timers; the
// clock is injected. Imports nothing outside base.
import type { Logger, LogLevel } from './logger';

export interface LogLimiterOptions {
  /** Records per key logged in each window; the rest are counted. Default 5. */
  perWindow?: number;
  /** Window length. Default 60 s. */
  windowMs?: number;
  /** Monotonic ms. */
  nowMs: () => number;
  /** Keys remembered at most (the oldest are forgotten first). Default 1000. */
  maxKeys?: number;
}

type Level = Exclude<LogLevel, 'silent'>;

interface KeyState {
  windowStartMs: number;
  logged: number;
  suppressed: number;
}

export class LogLimiter {
  private readonly perWindow: number;
  private readonly windowMs: number;
  private readonly maxKeys: number;
  private readonly keys = new Map<string, KeyState>();
  /** Records dropped since start (all keys). */
  suppressedTotal = 0;

  constructor(
    private readonly logger: Logger,
    private readonly opts: LogLimiterOptions,
  ) {
    this.perWindow = opts.perWindow ?? 5;
    this.windowMs = opts.windowMs ?? 60_000;
    this.maxKeys = opts.maxKeys ?? 1000;
  }

  /**
   * Logs `msg` at `level` unless `key` (e.g. `camera/stream/kind`) has used up its window; the first
   * record of a new window says how many were suppressed in the one before (`suppressed`).
   */
  log(level: Level, key: string, obj: Record<string, unknown>, msg: string): void {
    const now = this.opts.nowMs();
    let s = this.keys.get(key);
    if (s && now - s.windowStartMs >= this.windowMs) {
      const suppressed = s.suppressed;
      s = { windowStartMs: now, logged: 0, suppressed: 0 };
      this.keys.set(key, s);
      if (suppressed > 0) obj = { ...obj, suppressed, suppressedWindowMs: this.windowMs };
    }
    if (!s) {
      if (this.keys.size >= this.maxKeys) this.keys.delete(this.keys.keys().next().value!);
      s = { windowStartMs: now, logged: 0, suppressed: 0 };
      this.keys.set(key, s);
    }
    if (s.logged >= this.perWindow) {
      s.suppressed++;
      this.suppressedTotal++;
      return;
    }
    s.logged++;
    if (s.logged === this.perWindow) obj = { ...obj, rateLimited: true };
    this.logger[level](obj, msg);
  }
}
