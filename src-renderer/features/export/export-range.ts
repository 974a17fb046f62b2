// Pure helpers of export: the default range before the playhead, presets, the timeline handles' drag and
// hit-test math, size estimates, local datetime-input conversion, the job list merged from
// `export.progress` events, byte sizes. No DOM, no API calls.
import type { ExportJob } from '../../../src-preload/contract';

export interface ExportRange {
  from: number;
  to: number;
}

export const EXPORT_PRESETS_MS = [30_000, 60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000] as const;
/** Shortest and longest range the handles allow. */
export const MIN_EXPORT_MS = 1_000;
export const MAX_EXPORT_MS = 24 * 3_600_000;
export const DEFAULT_EXPORT_MS = 5 * 60_000;

/** The last `lengthMs` before the playhead (before now when live), on whole seconds. */
export function defaultExportRange(
  mode: 'live' | 'playback',
  playheadMs: number,
  nowMs: number,
  lengthMs = DEFAULT_EXPORT_MS,
): ExportRange {
  const end = Math.floor((mode === 'live' ? nowMs : Math.min(playheadMs, nowMs)) / 1000) * 1000;
  return { from: end - lengthMs, to: end };
}

/** A problem with the range in words, or null when it can be exported. */
export function rangeProblem(r: ExportRange, nowMs: number): string | null {
  if (!Number.isFinite(r.from) || !Number.isFinite(r.to)) return 'Enter a start and an end time.';
  if (r.to <= r.from) return 'The end must be after the start.';
  if (r.from > nowMs) return 'The start is in the future.';
  if (r.to - r.from > 24 * 3_600_000) return 'Export at most 24 hours at a time.';
  return null;
}

/** Which part of the range a pointer grabs on the timeline. */
export type RangePart = 'from' | 'to' | 'band';

const toSecond = (ms: number) => Math.round(ms / 1000) * 1000;
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/**
 * The range after dragging `part` by `deltaMs` from where the drag began (`start`): handles keep at
 * least MIN_EXPORT_MS and at most MAX_EXPORT_MS between them and never pass now; the band moves whole.
 * Results land on whole seconds.
 */
export function dragRange(
  start: ExportRange,
  part: RangePart,
  deltaMs: number,
  nowMs: number,
): ExportRange {
  const end = Math.floor(nowMs / 1000) * 1000;
  if (part === 'from') {
    const from = clamp(
      toSecond(start.from + deltaMs),
      start.to - MAX_EXPORT_MS,
      start.to - MIN_EXPORT_MS,
    );
    return { from, to: start.to };
  }
  if (part === 'to') {
    const hi = Math.min(start.from + MAX_EXPORT_MS, Math.max(end, start.from + MIN_EXPORT_MS));
    return {
      from: start.from,
      to: clamp(toSecond(start.to + deltaMs), start.from + MIN_EXPORT_MS, hi),
    };
  }
  const len = start.to - start.from;
  const to = Math.min(toSecond(start.to + deltaMs), Math.max(end, start.to));
  return { from: to - len, to };
}

/** A preset length ending at the range's end (or now, when the end is in the future). */
export function presetRange(r: ExportRange, lengthMs: number, nowMs: number): ExportRange {
  const to = Math.min(r.to, Math.floor(nowMs / 1000) * 1000);
  return { from: to - lengthMs, to };
}

/**
 * The part of the range under `xPx` given the handles' x positions: a handle within `tolPx` (the
 * nearer one wins), the band between them, or null outside.
 */
export function hitRange(fromPx: number, toPx: number, xPx: number, tolPx = 7): RangePart | null {
  const dFrom = Math.abs(xPx - fromPx);
  const dTo = Math.abs(xPx - toPx);
  if (dFrom <= tolPx || dTo <= tolPx) return dFrom < dTo ? 'from' : 'to';
  if (xPx > fromPx && xPx < toPx) return 'band';
  return null;
}

/**
 * Estimated file size of each camera's export: the bytes the index holds inside the range when the
 * engine answered them, else the recorded time at the stream's current bitrate (unknown → unknown
 * size). The total adds the known ones.
 */
export function estimateSizes(
  cameras: readonly {
    id: string;
    recordedMs: number;
    recordedBytes?: number | undefined;
    bitrateKbps: number | undefined;
  }[],
): { bytes: Record<string, number | undefined>; totalBytes: number } {
  const bytes: Record<string, number | undefined> = {};
  let totalBytes = 0;
  for (const c of cameras) {
    const b =
      c.recordedBytes !== undefined
        ? c.recordedBytes
        : c.bitrateKbps === undefined
          ? undefined
          : Math.round((c.recordedMs * c.bitrateKbps) / 8);
    bytes[c.id] = b;
    totalBytes += b ?? 0;
  }
  return { bytes, totalBytes };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `2026-11-21T14:03:27` in local time, for <input type="datetime-local" step="1">. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` +
    `T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  );
}

/** Inverse of toLocalInput (seconds optional); NaN when the text is not a local date-time. */
export function fromLocalInput(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (!m) return NaN;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  return new Date(y!, mo! - 1, d!, h!, mi!, Number.isNaN(s) ? 0 : s!).getTime();
}

/** Replaces the job with the same id (newer progress) or appends it. */
export function upsertJob(jobs: readonly ExportJob[], job: ExportJob): ExportJob[] {
  const i = jobs.findIndex((j) => j.id === job.id);
  if (i < 0) return [...jobs, job];
  const out = jobs.slice();
  out[i] = job;
  return out;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${Math.round(bytes / 1e3)} kB`;
  return `${bytes} B`;
}
