// Timeline data from the index: recorded ranges and gaps of many camera streams over a window, and
// per-hour / per-day coverage summaries. Reads runs through RecordingIndex.queryRanges (no files).
import type { RecordingIndex, StreamRef, TimeRange } from '../storage';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export interface CoverageBucket {
  startMs: number;
  /** Length of the bucket (a day is 24 h; offsets are fixed, no DST). */
  durationMs: number;
  /** Recorded ms inside the bucket (clipped to the query window). */
  recordedMs: number;
}

export interface StreamTimeline extends StreamRef {
  ranges: TimeRange[];
  gaps: TimeRange[];
  recordedMs: number;
  /** With `withBytes`: media bytes inside the window (each segment's bytes pro rata of its overlap). */
  recordedBytes?: number;
  buckets?: CoverageBucket[];
}

export interface TimelineQuery {
  streams: readonly StreamRef[];
  fromMs: number;
  toMs: number;
  /** Coverage summaries per hour, per day, or per bucket of this many ms. */
  bucket?: 'hour' | 'day' | number;
  /** Local time offset for bucket boundaries (days start at local midnight), minutes east of UTC. */
  utcOffsetMinutes?: number;
  /** Ranges closer than this are merged (default 0: only touching ones, e.g. back-to-back runs). */
  mergeGapMs?: number;
  /** Also sum the recorded bytes inside the window (export size estimates). */
  withBytes?: boolean;
}

/** Media bytes of a stream inside [fromMs, toMs): each overlapping segment's media bytes pro rata. */
export function recordedBytesIn(
  index: RecordingIndex,
  ref: StreamRef,
  fromMs: number,
  toMs: number,
): number {
  let bytes = 0;
  for (const seg of index.querySegments({ ...ref, fromMs, toMs })) {
    const lenMs = seg.endMs - seg.startMs;
    const overlapMs = Math.min(seg.endMs, toMs) - Math.max(seg.startMs, fromMs);
    const media = Math.max(0, seg.sizeBytes - seg.initSize);
    if (lenMs <= 0) bytes += overlapMs >= 0 ? media : 0;
    else if (overlapMs > 0) bytes += media * Math.min(1, overlapMs / lenMs);
  }
  return Math.round(bytes);
}

/** Sorted, merged ranges (touching or within mergeGapMs). */
export function mergeRanges(ranges: readonly TimeRange[], mergeGapMs = 0): TimeRange[] {
  const sorted = [...ranges].sort((a, b) => a.startMs - b.startMs);
  const out: TimeRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.startMs - last.endMs <= mergeGapMs) last.endMs = Math.max(last.endMs, r.endMs);
    else out.push({ ...r });
  }
  return out;
}

/** The parts of [fromMs, toMs) not covered by the (merged, sorted) ranges. */
export function gapsOf(ranges: readonly TimeRange[], fromMs: number, toMs: number): TimeRange[] {
  const gaps: TimeRange[] = [];
  let at = fromMs;
  for (const r of ranges) {
    if (r.startMs > at) gaps.push({ startMs: at, endMs: Math.min(r.startMs, toMs) });
    at = Math.max(at, r.endMs);
    if (at >= toMs) break;
  }
  if (at < toMs) gaps.push({ startMs: at, endMs: toMs });
  return gaps.filter((g) => g.endMs > g.startMs);
}

/**
 * Recorded ms per bucket; buckets are aligned to `bucketMs` in local time (utcOffsetMs). Only buckets
 * holding recordings are listed (oldest first): the work and the answer grow with what is recorded,
 * never with the window (a window of empty years costs nothing).
 */
export function coverage(
  ranges: readonly TimeRange[],
  fromMs: number,
  toMs: number,
  bucketMs: number,
  utcOffsetMs = 0,
): CoverageBucket[] {
  const bucketStart = (t: number) =>
    Math.floor((t + utcOffsetMs) / bucketMs) * bucketMs - utcOffsetMs;
  const buckets: CoverageBucket[] = [];
  const sorted = [...ranges].sort((a, b) => a.startMs - b.startMs);
  for (const r of sorted) {
    const start = Math.max(r.startMs, fromMs);
    const end = Math.min(r.endMs, toMs);
    for (let s = bucketStart(start); s < end; s += bucketMs) {
      const ms = Math.min(end, s + bucketMs) - Math.max(start, s);
      const last = buckets[buckets.length - 1];
      if (last && last.startMs === s) last.recordedMs += ms;
      else buckets.push({ startMs: s, durationMs: bucketMs, recordedMs: ms });
    }
  }
  return buckets;
}

export function bucketMsOf(bucket: TimelineQuery['bucket']): number | undefined {
  if (bucket === undefined) return undefined;
  if (bucket === 'hour') return HOUR_MS;
  if (bucket === 'day') return DAY_MS;
  return bucket;
}

/** Ranges, gaps and (optionally) coverage buckets for every stream asked for. */
export function queryTimeline(index: RecordingIndex, q: TimelineQuery): StreamTimeline[] {
  const bucketMs = bucketMsOf(q.bucket);
  const offsetMs = (q.utcOffsetMinutes ?? 0) * 60_000;
  return q.streams.map((ref) => {
    const ranges = mergeRanges(
      index.queryRanges({ ...ref, fromMs: q.fromMs, toMs: q.toMs }),
      q.mergeGapMs ?? 0,
    );
    const recordedMs = ranges.reduce((n, r) => n + (r.endMs - r.startMs), 0);
    return {
      cameraId: ref.cameraId,
      stream: ref.stream,
      ranges,
      gaps: gapsOf(ranges, q.fromMs, q.toMs),
      recordedMs,
      ...(q.withBytes ? { recordedBytes: recordedBytesIn(index, ref, q.fromMs, q.toMs) } : {}),
      ...(bucketMs ? { buckets: coverage(ranges, q.fromMs, q.toMs, bucketMs, offsetMs) } : {}),
    };
  });
}
