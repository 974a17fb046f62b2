// Jump to the previous / next recording of the timeline's cameras: the pure choice over known ranges, and
// the wider engine query (getTimeline) when the answer lies outside the loaded window. Moves no playhead.
import type { TimeRange } from '../../../src-preload/contract';
import type { Transport } from '../../api';

export type JumpDirection = 'prev' | 'next';

/** Ranges of several cameras over a window whose edges are known: a start at or before `fromMs` may be clipped. */
export interface KnownRanges {
  fromMs: number;
  toMs: number;
  ranges: readonly (readonly TimeRange[])[];
}

/** "Previous" skips starts within this much before the playhead, so repeated presses walk back. */
export const PREV_TOLERANCE_MS = 1_000;

/**
 * The time to jump to, `null` for "no recording that way", or `undefined` when the loaded window cannot
 * tell (the answer may lie beyond its edges). Next: the first range start after the playhead on any
 * camera (the current range is skipped). Previous: the start of the current range, or of the one before
 * when the playhead already sits at that start.
 */
export function findRecordingJump(
  dir: JumpDirection,
  known: KnownRanges,
  playheadMs: number,
  nowMs: number,
): number | null | undefined {
  let best: number | undefined;
  for (const cam of known.ranges)
    for (const r of cam) {
      // A range starting at the window's left edge may have begun earlier: not a known start.
      if (r.startMs <= known.fromMs || r.endMs <= r.startMs) continue;
      if (dir === 'next') {
        if (r.startMs > playheadMs && r.startMs < nowMs && (best === undefined || r.startMs < best))
          best = r.startMs;
      } else if (
        r.startMs < playheadMs - PREV_TOLERANCE_MS &&
        (best === undefined || r.startMs > best)
      )
        best = r.startMs;
    }
  if (best !== undefined) return best;
  // Nothing inside: the window answers "none" only when it covers everything that way.
  if (dir === 'next') return known.toMs >= nowMs ? null : undefined;
  return known.fromMs <= 0 ? null : undefined;
}

/** How far back "previous" searches the engine when the loaded window does not hold the answer. */
export const PREV_SEARCH_MS = 90 * 24 * 3_600_000;

/**
 * Resolves a jump: the loaded ranges first, then one `getTimeline` over the wider window the other way
 * (to now for next, `PREV_SEARCH_MS` back for previous). Returns the time or null (nothing recorded).
 */
export async function resolveRecordingJump(
  api: Pick<Transport, 'getTimeline'>,
  dir: JumpDirection,
  cameraIds: readonly string[],
  loaded: KnownRanges | null,
  playheadMs: number,
  nowMs: number,
): Promise<number | null> {
  if (cameraIds.length === 0) return null;
  const local = loaded ? findRecordingJump(dir, loaded, playheadMs, nowMs) : undefined;
  if (local !== undefined) return local;
  const fromMs = dir === 'next' ? Math.floor(playheadMs) : Math.floor(playheadMs - PREV_SEARCH_MS);
  const toMs = dir === 'next' ? Math.ceil(nowMs) : Math.ceil(playheadMs);
  if (toMs <= fromMs) return null;
  const t = await api.getTimeline({ cameraIds: [...cameraIds], from: fromMs, to: toMs });
  const wide: KnownRanges = {
    // Everything the engine knows that way is in this answer: a start at the edge is a real start.
    fromMs: dir === 'prev' ? fromMs - 1 : fromMs,
    toMs: nowMs,
    ranges: t.streams.map((s) => s.ranges),
  };
  return findRecordingJump(dir, wide, playheadMs, nowMs) ?? null;
}

/**
 * Where playback goes when it plays into a gap: the next recording start of any row, or null (the
 * playhead is inside a recording, or nothing later is known). Playing through a gap shows nothing,
 * so playback skips it instead of crawling through at 1×.
 */
export function gapSkipTarget(
  known: KnownRanges,
  playheadMs: number,
  nowMs: number,
): number | null {
  for (const cam of known.ranges)
    for (const r of cam) if (r.startMs <= playheadMs && playheadMs < r.endMs) return null;
  const next = findRecordingJump('next', known, playheadMs, nowMs);
  return typeof next === 'number' ? next : null;
}
