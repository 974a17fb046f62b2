// How one playback tile follows the shared clock (the time store's playhead): small offsets are
// corrected softly by playing a little faster or slower (at most ±10 % of the speed, so the picture
// never visibly jumps), large ones by a seek aimed at where the clock will be when the seek has landed.
// Pure: offsets and speeds in, an action out; the player measures its own seek latency.

/** Offsets below this are left alone (the tile plays at exactly the clock's speed). */
export const DEAD_BAND_MS = 8;
/** Largest soft correction, as a fraction of the speed. */
export const MAX_RATE_ADJUST = 0.1;
/** Time constant of the soft correction: an offset shrinks by ~63 % in this much wall time. */
export const CORRECTION_TAU_MS = 1_000;
/** A seek takes at least this long to land (also the first guess before one was measured). */
export const MIN_SEEK_LATENCY_MS = 60;

export type DriftAction =
  /** Play at this `playbackRate` (the speed itself when on time). */
  | { kind: 'rate'; playbackRate: number }
  /** Seek to this wall-clock time (ms). */
  | { kind: 'seek'; toMs: number };

/**
 * An offset beyond which a soft correction would take too long (more than ~5 s at 1×, ~2.5 s at high
 * speeds): seeking is cheaper. At least half a second of footage.
 */
export function seekBeyondMs(rate: number): number {
  return Math.max(500, 2.5 * MAX_RATE_ADJUST * rate * 1_000);
}

/**
 * What a playing tile does about its offset from the clock.
 * @param shownMs wall-clock time the tile shows now
 * @param clockMs the shared clock now
 * @param rate the clock's speed
 * @param seekLatencyMs how long this tile's seeks take to land (wall ms)
 */
export function driftAction(
  shownMs: number,
  clockMs: number,
  rate: number,
  seekLatencyMs: number,
): DriftAction {
  const errorMs = shownMs - clockMs;
  if (Math.abs(errorMs) > seekBeyondMs(rate))
    return { kind: 'seek', toMs: seekLeadTarget(clockMs, rate, seekLatencyMs) };
  if (Math.abs(errorMs) <= DEAD_BAND_MS) return { kind: 'rate', playbackRate: rate };
  // d(error)/dt = playbackRate − rate; choose it so the error decays with CORRECTION_TAU_MS.
  const wanted = rate - errorMs / CORRECTION_TAU_MS;
  const lo = rate * (1 - MAX_RATE_ADJUST);
  const hi = rate * (1 + MAX_RATE_ADJUST);
  return { kind: 'rate', playbackRate: Math.min(hi, Math.max(lo, wanted)) };
}

/** Where to seek so the picture lands where the clock will be once the seek completes. */
export function seekLeadTarget(clockMs: number, rate: number, seekLatencyMs: number): number {
  return clockMs + Math.max(MIN_SEEK_LATENCY_MS, seekLatencyMs) * rate;
}

/** Running estimate of a tile's seek latency: the mean of recent seeks, weighted to the latest. */
export function nextSeekLatency(previousMs: number | undefined, measuredMs: number): number {
  const m = Math.min(3_000, Math.max(MIN_SEEK_LATENCY_MS, measuredMs));
  return previousMs === undefined ? m : previousMs * 0.6 + m * 0.4;
}
