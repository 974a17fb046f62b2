// Wall-clock ↔ media-time mapping of a playback (VOD) playlist, and the window of it a player loads
// around the playhead. Pure: numbers in, numbers out (hls.js fragments are reduced to FragmentTime first).

/** One media segment: its wall-clock start (EXT-X-PROGRAM-DATE-TIME), media start and length. */
export interface FragmentTime {
  startMs: number;
  startS: number;
  durationS: number;
}

export interface VodWindow {
  from: number;
  to: number;
}

export const VOD_HALF_WINDOW_MS = 30 * 60_000;
const SNAP_MS = 60_000;

/**
 * The window a player loads for a playhead: T − 30 min … T + 30 min (or until now), its start snapped to
 * the minute so nearby seeks reuse the same playlist.
 */
export function vodWindow(
  playheadMs: number,
  nowMs: number,
  halfMs = VOD_HALF_WINDOW_MS,
): VodWindow {
  const from = Math.floor((playheadMs - halfMs) / SNAP_MS) * SNAP_MS;
  return { from, to: Math.min(from + 2 * halfMs + SNAP_MS, Math.floor(nowMs)) };
}

/** True when `ms` is inside the loaded window, leaving `marginMs` before its end (not at now: it grows). */
export function windowHolds(w: VodWindow, ms: number, nowMs: number, marginMs = 2_000): boolean {
  if (ms < w.from) return false;
  const openEnded = w.to >= nowMs - 5_000;
  return openEnded ? ms < w.to - marginMs / 4 : ms < w.to - marginMs;
}

/** Media position (s) that shows wall-clock `ms`, or undefined when no fragment holds it (a gap). */
export function positionOf(frags: readonly FragmentTime[], ms: number): number | undefined {
  for (const f of frags) {
    if (f.startMs <= ms && ms < f.startMs + f.durationS * 1000)
      return f.startS + (ms - f.startMs) / 1000;
  }
  return undefined;
}

/** Wall-clock time (ms) shown at media position `s`, or undefined outside every fragment. */
export function timeOf(frags: readonly FragmentTime[], s: number): number | undefined {
  for (const f of frags) {
    if (f.startS <= s && s < f.startS + f.durationS) return f.startMs + (s - f.startS) * 1000;
  }
  return undefined;
}

/** The first fragment that starts after `ms` (where playback resumes after a gap). */
export function nextFragmentStart(frags: readonly FragmentTime[], ms: number): number | undefined {
  let best: number | undefined;
  for (const f of frags)
    if (f.startMs > ms && (best === undefined || f.startMs < best)) best = f.startMs;
  return best;
}
