// Retention: per-camera retentionDays, a global quota and a free-space floor. Deletes the oldest
// closed segments first, one stream class before the other at the same age, never a held segment.
import fs from 'node:fs';
import path from 'node:path';
import { NvrError } from '../base';
import { RECORDINGS_DIR } from './paths';
import type { RecordingIndex } from './recording-index';
import { completePendingDeletes, deleteSegments } from './segment-deleter';

export const DAY_MS = 86_400_000;

export interface FreeSpace {
  /** Free blocks available to unprivileged users. */
  bavail: number;
  /** Block size in bytes. */
  bsize: number;
}

export interface RetentionOptions {
  index: RecordingIndex;
  /** Days to keep for a camera; default: the camera config's `recording.retentionDays`. */
  retentionDaysFor?: (cameraId: string) => number | undefined;
  /** For cameras with no retentionDays (or deleted cameras); undefined keeps them forever. */
  defaultRetentionDays?: number;
  /** Global cap on recorded bytes. */
  quotaBytes?: number;
  /** Keep at least this many bytes free on the recordings volume. */
  minFreeBytes?: number;
  /** Free space of the volume holding `dir`; default fs.statfsSync. */
  statfs?: (dir: string) => FreeSpace;
  /**
   * Which stream class goes first at the same age under quota/free-space pressure. Default
   * 'main-first' (DESIGN §4: sub streams go after main streams of the same age, never before).
   */
  streamOrder?: 'sub-first' | 'main-first';
  /** Rows read per page and deleted per transaction. Default 500. */
  batchSize?: number;
  /** Errors of a retention pass started by a lease release (no caller to throw to). */
  onError?: (e: unknown) => void;
}

export interface RetentionReport {
  deletedSegments: number;
  deletedBytes: number;
  /** Of deletedSegments: past retentionDays / for the quota / for the free-space floor. */
  byAge: number;
  byPressure: number;
  /** Segments that were due but held by a reader (deleted once released). */
  skippedHeld: number;
  /** Bytes the pass still had to free when it ran out of deletable segments. */
  shortfallBytes: number;
}

interface Candidate {
  id: number;
  streamId: number;
  startMs: number;
  endMs: number;
  sizeBytes: number;
  path: string;
  open: boolean;
  key: number;
  rank: number;
}

interface DbRow {
  id: number;
  stream_id: number;
  start_ms: number;
  end_ms: number;
  size_bytes: number;
  path: string;
  open: number;
}

const defaultStatfs = (dir: string): FreeSpace => fs.statfsSync(dir);

export class RetentionManager {
  private readonly index: RecordingIndex;
  private opts: RetentionOptions;
  private readonly deferred = new Set<number>();
  private readonly unsubscribe: () => void;
  private running = false;

  constructor(opts: RetentionOptions) {
    this.index = opts.index;
    this.opts = opts;
    this.unsubscribe = this.index.onRelease((ids) => {
      if (this.running || !ids.some((id) => this.deferred.has(id))) return;
      try {
        this.run();
      } catch (e) {
        opts.onError?.(e);
      }
    });
  }

  /** Changes limits (config edits); the next run() uses them. */
  configure(
    patch: Partial<
      Pick<RetentionOptions, 'quotaBytes' | 'minFreeBytes' | 'defaultRetentionDays' | 'streamOrder'>
    >,
  ): void {
    this.opts = { ...this.opts, ...patch };
  }

  dispose(): void {
    this.unsubscribe();
  }

  /** One pass: age first, then quota / free-space pressure. Synchronous (SQLite and unlink). */
  run(): RetentionReport {
    if (this.running) throw new NvrError('conflict', 'retention is already running');
    this.running = true;
    try {
      this.deferred.clear();
      completePendingDeletes(this.index);
      const report: RetentionReport = {
        deletedSegments: 0,
        deletedBytes: 0,
        byAge: 0,
        byPressure: 0,
        skippedHeld: 0,
        shortfallBytes: 0,
      };
      this.byAge(report);
      this.byPressure(report);
      report.skippedHeld = this.deferred.size;
      return report;
    } finally {
      this.running = false;
    }
  }

  /** Bytes the quota and the free-space floor ask to free now. */
  bytesToFree(): number {
    let need = 0;
    const { quotaBytes, minFreeBytes } = this.opts;
    if (quotaBytes !== undefined) {
      const total = this.index.usage().reduce((sum, u) => sum + u.sizeBytes, 0);
      need = Math.max(need, total - quotaBytes);
    }
    if (minFreeBytes !== undefined) {
      const dir = path.join(this.index.dataDir, RECORDINGS_DIR);
      const st = (this.opts.statfs ?? defaultStatfs)(fs.existsSync(dir) ? dir : this.index.dataDir);
      need = Math.max(need, minFreeBytes - st.bavail * st.bsize);
    }
    return Math.max(0, need);
  }

  private daysFor(cameraId: string): number | undefined {
    const fromOpt = this.opts.retentionDaysFor?.(cameraId);
    if (fromOpt !== undefined) return fromOpt;
    if (!this.opts.retentionDaysFor) {
      const config = this.index.cameras.get(cameraId)?.config as
        { recording?: { retentionDays?: unknown } } | undefined;
      const days = config?.recording?.retentionDays;
      if (typeof days === 'number') return days;
    }
    return this.opts.defaultRetentionDays;
  }

  private byAge(report: RetentionReport): void {
    const now = this.index.clock.nowMs();
    const batch = this.opts.batchSize ?? 500;
    const page = this.index.db.prepare(
      `SELECT id, start_ms, path, size_bytes FROM segments
       WHERE stream_id = ? AND open = 0 AND start_ms < ? AND end_ms <= ? AND (start_ms, id) > (?, ?)
       ORDER BY start_ms, id LIMIT ?`,
    );
    for (const { streamId, cameraId } of this.index.listStreams()) {
      const days = this.daysFor(cameraId);
      if (days === undefined || !(days > 0)) continue;
      const cutoff = now - days * DAY_MS;
      let after: [number, number] = [Number.MIN_SAFE_INTEGER, 0];
      for (;;) {
        const rows = page.all(streamId, cutoff, cutoff, after[0], after[1], batch) as {
          id: number;
          start_ms: number;
          path: string;
          size_bytes: number;
        }[];
        if (rows.length === 0) break;
        const last = rows[rows.length - 1]!;
        after = [last.start_ms, last.id];
        const due = rows.filter((r) => !this.keep(r.id));
        const deleted = new Set(deleteSegments(this.index, due));
        for (const r of due) {
          if (!deleted.has(r.id)) continue;
          report.deletedSegments++;
          report.byAge++;
          report.deletedBytes += r.size_bytes;
        }
      }
    }
  }

  /** True when the segment must stay (held by a reader, which defers it, or being written). */
  private keep(id: number): boolean {
    if (this.index.isWriting(id)) return true;
    if (this.index.isHeld(id)) {
      this.deferred.add(id);
      return true;
    }
    return false;
  }

  private byPressure(report: RetentionReport): void {
    let need = this.bytesToFree();
    if (need <= 0) return;
    const batch = this.opts.batchSize ?? 500;
    let pending: Candidate[] = [];
    const commit = (): void => {
      const deleted = new Set(deleteSegments(this.index, pending));
      for (const c of pending) {
        if (!deleted.has(c.id)) continue;
        report.deletedSegments++;
        report.byPressure++;
        report.deletedBytes += c.sizeBytes;
      }
      pending = [];
    };
    for (const c of this.candidatesOldestFirst()) {
      if (c.open || this.keep(c.id)) continue;
      pending.push(c);
      need -= c.sizeBytes;
      if (pending.length >= batch) commit();
      if (need <= 0) break;
    }
    commit();
    report.shortfallBytes = Math.max(0, need);
  }

  /**
   * Every segment in deletion order. A segment of the class that goes first is keyed by its start,
   * one of the other class by its end, ties to the first class. So a second-class segment goes
   * only after every first-class segment that starts before it ends: no moment of time loses its
   * second-class recording while its first-class one is kept. Paged by (start_ms, id); a key is
   * never below its start, so a carried row is emitted once the next page starts after its key.
   */
  private *candidatesOldestFirst(): Generator<Candidate> {
    const subFirst = (this.opts.streamOrder ?? 'main-first') === 'sub-first';
    const page = this.index.db.prepare(
      `SELECT id, stream_id, start_ms, end_ms, size_bytes, path, open FROM segments
       WHERE (start_ms, id) > (?, ?) ORDER BY start_ms, id LIMIT ?`,
    );
    let carry: Candidate[] = [];
    let after: [number, number] = [Number.MIN_SAFE_INTEGER, 0];
    for (;;) {
      const rows = page.all(after[0], after[1], this.opts.batchSize ?? 500) as DbRow[];
      const bound = rows[0]?.start_ms ?? Infinity;
      const ready = carry.filter((c) => c.key < bound);
      carry = carry.filter((c) => c.key >= bound);
      yield* ready;
      if (rows.length === 0) return;
      for (const r of rows) {
        const isMain = this.index.streamRef(r.stream_id).stream === 'main';
        const first = subFirst ? !isMain : isMain;
        carry.push({
          id: r.id,
          streamId: r.stream_id,
          startMs: r.start_ms,
          endMs: r.end_ms,
          sizeBytes: r.size_bytes,
          path: r.path,
          open: r.open === 1,
          key: first ? r.start_ms : Math.max(r.start_ms, r.end_ms),
          rank: first ? 0 : 1,
        });
      }
      carry.sort(
        (a, b) => a.key - b.key || a.rank - b.rank || a.startMs - b.startMs || a.id - b.id,
      );
      const last = rows[rows.length - 1]!;
      after = [last.start_ms, last.id];
    }
  }
}
