// Index rows → wall-timed fragments of one camera stream over a window, with the breaks between
// them (run change, gap, a fragment missing on disk). Pure: the caller passes rows and file sizes.
import type { SegmentRow } from '../storage';

export interface TimedFragment {
  segment: SegmentRow;
  /** Index of the fragment in segment.fragments. */
  index: number;
  offset: number;
  sizeBytes: number;
  startPts90k: number;
  duration90k: number;
  sampleCount: number;
  isKeyframe: boolean;
  /** Wall clock of the fragment's first sample (ms since the epoch, fractional). */
  wallStartMs: number;
  wallEndMs: number;
  /** True when this fragment does not follow the previous one without a hole (or is the first). */
  breakBefore: boolean;
}

/** Wall clock of a 90 kHz time in a segment: its startMs is the wall time of its first fragment. */
export function segmentWallMs(segment: SegmentRow, pts90k: number): number {
  const first = segment.fragments[0];
  return segment.startMs + (first ? (pts90k - first.startPts90k) / 90 : 0);
}

/** Below this a difference between expected and actual start is jitter, not a hole (100 ms). */
export const HOLE_TOLERANCE_90K = 9000;

export interface PlanOptions {
  fromMs: number;
  toMs: number;
  /**
   * Size of each segment's file on disk (by segment id); undefined = missing. Fragments past the end
   * of the file are dropped (a truncated file), the whole segment when the file is missing.
   */
  fileSizes?: ReadonlyMap<number, number | undefined>;
  /** Start at the keyframe fragment at or before fromMs (default true). */
  startAtKeyframe?: boolean;
  /** Called for each segment or fragment dropped because of its file. */
  onSkip?: (segment: SegmentRow, reason: string, fragmentIndex?: number) => void;
}

/**
 * The fragments overlapping [fromMs, toMs), oldest first, beginning at the keyframe fragment at or
 * before fromMs. `breakBefore` marks run changes, holes in media time and dropped fragments; after a
 * dropped fragment, fragments up to the next keyframe are dropped too (they cannot be decoded).
 */
export function planFragments(rows: readonly SegmentRow[], opts: PlanOptions): TimedFragment[] {
  const all: TimedFragment[] = [];
  let prev: TimedFragment | undefined;
  let needKeyframe = true;
  let pendingBreak = true;
  for (const segment of rows) {
    const fileSize = opts.fileSizes ? opts.fileSizes.get(segment.id) : Number.POSITIVE_INFINITY;
    if (fileSize === undefined) {
      opts.onSkip?.(segment, 'segment file is missing');
      pendingBreak = true;
      needKeyframe = true;
      continue;
    }
    if (fileSize < segment.initSize) {
      opts.onSkip?.(segment, 'segment file is shorter than its init segment');
      pendingBreak = true;
      needKeyframe = true;
      continue;
    }
    segment.fragments.forEach((f, index) => {
      if (f.offset + f.sizeBytes > fileSize) {
        opts.onSkip?.(segment, 'segment file is truncated', index);
        pendingBreak = true;
        needKeyframe = true;
        return;
      }
      if (needKeyframe && !f.isKeyframe) return;
      needKeyframe = false;
      const wallStartMs = segmentWallMs(segment, f.startPts90k);
      const hole =
        !prev ||
        prev.segment.runId !== segment.runId ||
        Math.abs(f.startPts90k - (prev.startPts90k + prev.duration90k)) > HOLE_TOLERANCE_90K;
      const tf: TimedFragment = {
        segment,
        index,
        ...f,
        wallStartMs,
        wallEndMs: wallStartMs + f.duration90k / 90,
        breakBefore: pendingBreak || hole,
      };
      pendingBreak = false;
      all.push(tf);
      prev = tf;
    });
  }
  // Clip to the window: from the keyframe fragment at or before fromMs to the last one before toMs.
  let first = all.findIndex((f) => f.wallEndMs > opts.fromMs);
  if (first < 0) return [];
  if (opts.startAtKeyframe ?? true) {
    while (first > 0 && !all[first]!.isKeyframe && !all[first]!.breakBefore) first--;
    if (!all[first]!.isKeyframe) {
      // The keyframe of this group was dropped: start at the next keyframe.
      while (first < all.length && !all[first]!.isKeyframe) first++;
    }
  }
  let end = first;
  while (end < all.length && all[end]!.wallStartMs < opts.toMs) end++;
  const out = all.slice(first, end);
  if (out[0]) out[0] = { ...out[0], breakBefore: true };
  return out;
}

/** Recorded ranges of a plan: maximal runs of fragments without a break, clipped to the window. */
export function planRanges(
  plan: readonly TimedFragment[],
  fromMs: number,
  toMs: number,
): { startMs: number; endMs: number }[] {
  const out: { startMs: number; endMs: number }[] = [];
  for (const f of plan) {
    const last = out[out.length - 1];
    if (last && !f.breakBefore) last.endMs = Math.max(last.endMs, f.wallEndMs);
    else out.push({ startMs: f.wallStartMs, endMs: f.wallEndMs });
  }
  return out
    .map((r) => ({
      startMs: Math.max(fromMs, Math.round(r.startMs)),
      endMs: Math.min(toMs, Math.round(r.endMs)),
    }))
    .filter((r) => r.endMs > r.startMs);
}
