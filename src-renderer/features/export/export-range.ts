// Pure helpers of the export dialog: the default range before the playhead, presets, local
// datetime-input conversion, the job list merged from `export.progress` events, byte sizes.
import type { ExportJob } from '../../../src-preload/contract';

export interface ExportRange {
  from: number;
  to: number;
}

export const EXPORT_PRESETS_MS = [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000] as const;
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
