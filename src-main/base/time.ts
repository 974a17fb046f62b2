// Time units: wall-clock milliseconds since the Unix epoch (API, index) and 90 kHz media time (files).
// Pure arithmetic; no clocks here (see clock.ts).

/** Media clock rate of video RTP and of our files. */
export const HZ_90K = 90_000;
export const MS_PER_SECOND = 1000;
export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;

/** Milliseconds → 90 kHz ticks (exact for integer ms: 1 ms = 90 ticks). */
export function msTo90k(ms: number): number {
  return Math.round(ms * 90);
}

/** 90 kHz ticks → milliseconds, rounded to the nearest ms. */
export function ninetyKToMs(ticks90k: number): number {
  return Math.round(ticks90k / 90);
}

/** 90 kHz ticks → milliseconds without rounding (for rates and averages). */
export function ninetyKToMsExact(ticks90k: number): number {
  return ticks90k / 90;
}

/** Seconds (possibly fractional) → 90 kHz ticks. */
export function secondsTo90k(seconds: number): number {
  return Math.round(seconds * HZ_90K);
}

/** 90 kHz ticks → seconds. */
export function ninetyKToSeconds(ticks90k: number): number {
  return ticks90k / HZ_90K;
}

/** Ticks at `clockRate` Hz → 90 kHz ticks (e.g. RTP clock rates other than 90000). */
export function rescaleTo90k(ticks: number, clockRate: number): number {
  return clockRate === HZ_90K ? ticks : Math.round((ticks * HZ_90K) / clockRate);
}

/**
 * Extends a 32-bit wrapping timestamp (RTP) to a monotonic 53-bit safe value, given the previous
 * extended value: picks the candidate nearest to `previous` (so small backward steps stay backward).
 */
export function unwrap32(timestamp32: number, previous: number | undefined): number {
  const ts = timestamp32 >>> 0;
  if (previous === undefined) return ts;
  const span = 0x1_0000_0000;
  const base = previous - (((previous % span) + span) % span);
  let best = base + ts;
  for (const candidate of [base + ts - span, base + ts + span]) {
    if (Math.abs(candidate - previous) < Math.abs(best - previous)) best = candidate;
  }
  return best;
}

/** Start of the UTC day containing `ms`. */
export function startOfUtcDayMs(ms: number): number {
  return Math.floor(ms / MS_PER_DAY) * MS_PER_DAY;
}

/** ISO-8601 text of a ms timestamp, for logs and file names that people read. */
export function isoFromMs(ms: number): string {
  return new Date(ms).toISOString();
}

/** Whole seconds of a duration, for human-facing text (e.g. "uptime 12 s"). */
export function formatDurationMs(durationMs: number): string {
  if (durationMs < MS_PER_SECOND) return `${Math.round(durationMs)} ms`;
  if (durationMs < MS_PER_MINUTE) return `${(durationMs / MS_PER_SECOND).toFixed(1)} s`;
  if (durationMs < MS_PER_HOUR)
    return `${Math.floor(durationMs / MS_PER_MINUTE)} min ${Math.floor((durationMs % MS_PER_MINUTE) / 1000)} s`;
  return `${Math.floor(durationMs / MS_PER_HOUR)} h ${Math.floor((durationMs % MS_PER_HOUR) / MS_PER_MINUTE)} min`;
}
