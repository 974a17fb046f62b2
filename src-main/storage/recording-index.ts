// The SQLite recording index: streams, runs, segments (with fragment indexes), timeline queries;
// owns the connection (cameras and leases hang off it). Engine thread only: fragment updates are
// queued and written by flush() in one transaction. No segment file I/O (writer/retention/recovery).
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { NvrError } from '../base';
import type { Clock } from '../base';
import { SqliteCameraStore } from './camera-store';
import { SqliteAuthStore } from './auth-store';
import { SqliteViewStore } from './view-store';
import { FragmentIndexEncoder, decodeFragmentIndex } from './fragment-index';
import type { FragmentRecord } from './fragment-index';
import { SegmentLeases } from './leases';
import { checkSafeName } from './paths';
import { prepareStatements } from './index-statements';
import type { DbSegment } from './index-statements';
import { migrate } from './schema';
import type {
  OpenSegmentInput,
  SegmentRow,
  StreamRef,
  StreamUsage,
  TimeRange,
  TimeWindow,
} from './types';

export type StorageClock = Pick<Clock, 'nowMs'>;

export interface RecordingIndexOptions {
  dataDir: string;
  /** Defaults to `<dataDir>/index.db`. */
  dbPath?: string;
  clock?: StorageClock;
}

interface OpenSegmentState {
  streamId: number;
  runId: number;
  startMs: number;
  encoder: FragmentIndexEncoder;
  firstPts90k: number | undefined;
  endPts90k: number;
  sizeBytes: number;
  dirty: boolean;
}

/** Wall-clock end of a segment from its start and its fragments' media time. */
export function segmentEndMs(startMs: number, fragments: readonly FragmentRecord[]): number {
  const first = fragments[0];
  const last = fragments[fragments.length - 1];
  if (!first || !last) return startMs;
  return startMs + Math.round((last.startPts90k + last.duration90k - first.startPts90k) / 90);
}

export class RecordingIndex {
  /** @internal For storage's retention and recovery only. */
  readonly db: Database.Database;
  readonly dataDir: string;
  readonly clock: StorageClock;
  private readonly streamIds = new Map<string, number>();
  private readonly streamRefs = new Map<number, StreamRef>();
  private readonly openSegments = new Map<number, OpenSegmentState>();
  private readonly leases = new SegmentLeases();
  /** Camera configs: the engine's CameraStore. */
  readonly cameras: SqliteCameraStore;
  /** Users, tokens and the audit log (src-main/server's AuthStore). */
  readonly auth: SqliteAuthStore;
  /** Saved views (named grid arrangements). */
  readonly views: SqliteViewStore;
  private maxSegmentMs: number;
  private readonly stmt: ReturnType<typeof prepareStatements>;

  private constructor(db: Database.Database, dataDir: string, clock: StorageClock) {
    this.db = db;
    this.dataDir = dataDir;
    this.clock = clock;
    this.stmt = prepareStatements(db);
    this.cameras = new SqliteCameraStore(db);
    this.auth = new SqliteAuthStore(db);
    this.views = new SqliteViewStore(db);
    this.loadStreams();
    const max = db.prepare("SELECT value FROM meta WHERE key = 'max_segment_ms'").pluck().get() as
      number | undefined;
    this.maxSegmentMs = max ?? 0;
  }

  /** Opens (creating if needed) the database and applies migrations. */
  static open(opts: RecordingIndexOptions): RecordingIndex {
    const dbPath = opts.dbPath ?? path.join(opts.dataDir, 'index.db');
    let db: Database.Database;
    try {
      fs.mkdirSync(path.dirname(dbPath), { recursive: true, mode: 0o700 });
      restrictDbFiles(dbPath);
      // The data folder (the default layout) is the owner's only, whichever version created it.
      if (opts.dbPath === undefined) fs.chmodSync(opts.dataDir, 0o700);
      db = new Database(dbPath);
    } catch (e) {
      throw new NvrError('disk', 'cannot open the recording index', { path: dbPath }, { cause: e });
    }
    try {
      migrate(db);
      restrictDbFiles(dbPath); // -wal and -shm exist now (SQLite gives them the database's mode)
    } catch (e) {
      db.close();
      throw e;
    }
    return new RecordingIndex(db, opts.dataDir, opts.clock ?? { nowMs: () => Date.now() });
  }

  /** Flushes pending fragment updates and closes the database. */
  close(): void {
    if (!this.db.open) return;
    this.flush();
    this.db.close();
  }

  /** Runs fn in one transaction (nested calls join the outer one). */
  transaction<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn)();
    } catch (e) {
      // A rollback may have undone streams this connection cached.
      if (!this.db.inTransaction) this.loadStreams();
      throw e;
    }
  }

  private loadStreams(): void {
    this.streamIds.clear();
    this.streamRefs.clear();
    const rows = this.db.prepare('SELECT id, camera_id, name FROM streams').all() as {
      id: number;
      camera_id: string;
      name: string;
    }[];
    for (const row of rows) {
      this.streamIds.set(`${row.camera_id}/${row.name}`, row.id);
      this.streamRefs.set(row.id, { cameraId: row.camera_id, stream: row.name });
    }
  }

  // ---- streams ----

  /** The stream's row id, created on first use. */
  streamId(cameraId: string, stream: string): number {
    const key = `${cameraId}/${stream}`;
    const known = this.streamIds.get(key);
    if (known !== undefined) return known;
    checkSafeName('cameraId', cameraId);
    checkSafeName('stream', stream);
    const id = Number(
      this.stmt.insertStream.run(cameraId, stream, this.clock.nowMs()).lastInsertRowid,
    );
    this.streamIds.set(key, id);
    this.streamRefs.set(id, { cameraId, stream });
    return id;
  }

  /** @internal */
  streamRef(streamId: number): StreamRef {
    const ref = this.streamRefs.get(streamId);
    if (!ref) throw new NvrError('internal', 'unknown stream id', { streamId });
    return ref;
  }

  listStreams(): (StreamRef & { streamId: number })[] {
    return [...this.streamRefs].map(([streamId, ref]) => ({ streamId, ...ref }));
  }

  // ---- runs and segments (recording) ----

  createRun(input: StreamRef & { startMs: number }): number {
    const streamId = this.streamId(input.cameraId, input.stream);
    return Number(this.stmt.insertRun.run(streamId, input.startMs).lastInsertRowid);
  }

  /**
   * Closes the run (and any of its segments still open, at their last fragment). The run ends
   * where its last segment ends; endMs is used only for a run without segments.
   */
  closeRun(runId: number, endMs: number): void {
    this.transaction(() => {
      for (const [id, s] of this.openSegments) if (s.runId === runId) this.closeSegment(id);
      const lastEnd = this.stmt.runLastEnd.get(runId) as number | undefined;
      if (this.stmt.closeRun.run(lastEnd ?? endMs, runId).changes === 0)
        throw new NvrError('not_found', 'no such run', { runId });
    });
  }

  /** Creates the row of a segment whose file was just opened (committed at once, open = 1). */
  openSegment(input: OpenSegmentInput): number {
    const streamId = this.streamId(input.cameraId, input.stream);
    const runStream = this.stmt.runStream.get(input.runId) as number | undefined;
    if (runStream !== streamId)
      throw new NvrError('bad_request', 'run does not belong to this stream', {
        runId: input.runId,
        cameraId: input.cameraId,
        stream: input.stream,
      });
    const encoder = new FragmentIndexEncoder();
    const id = this.transaction(() => {
      this.stmt.setCodec.run(input.codec, streamId);
      this.stmt.startRunAt.run(input.startMs, input.runId);
      return Number(
        this.stmt.insertSegment.run(
          streamId,
          input.runId,
          input.startMs,
          input.startMs,
          input.path,
          input.initSize,
          input.initSize,
          input.codec,
          1,
          0,
          encoder.bytes(),
        ).lastInsertRowid,
      );
    });
    this.openSegments.set(id, {
      streamId,
      runId: input.runId,
      startMs: input.startMs,
      encoder,
      firstPts90k: undefined,
      endPts90k: 0,
      sizeBytes: input.initSize,
      dirty: false,
    });
    return id;
  }

  /** Queues fragments of an open segment; written by the next flush(). */
  appendFragments(segmentId: number, fragments: readonly FragmentRecord[]): void {
    const s = this.openSegments.get(segmentId);
    if (!s) throw new NvrError('not_found', 'segment is not open in this index', { segmentId });
    for (const f of fragments) {
      s.encoder.add(f);
      s.firstPts90k ??= f.startPts90k;
      s.endPts90k = Math.max(s.endPts90k, f.startPts90k + f.duration90k);
      s.sizeBytes = Math.max(s.sizeBytes, f.offset + f.sizeBytes);
      s.dirty = true;
    }
  }

  /** Writes every queued fragment update in one transaction; returns how many segments it updated. */
  flush(): number {
    const written: OpenSegmentState[] = [];
    this.keepDirtyOnFailure(written, () =>
      this.transaction(() => {
        for (const [id, s] of this.openSegments) {
          if (!s.dirty) continue;
          this.writeOpenSegment(id, s);
          written.push(s);
        }
      }),
    );
    return written.length;
  }

  /** A rolled-back transaction wrote nothing: what it marked clean is dirty again (retried later). */
  private keepDirtyOnFailure(written: OpenSegmentState[], fn: () => void): void {
    try {
      fn();
    } catch (e) {
      for (const s of written) s.dirty = true;
      throw e;
    }
  }

  /** Writes queued fragments and marks the segment closed. endMs defaults to its last fragment's end. */
  closeSegment(segmentId: number, endMs?: number): void {
    const s = this.openSegments.get(segmentId);
    if (!s) throw new NvrError('not_found', 'segment is not open in this index', { segmentId });
    const written: OpenSegmentState[] = [];
    this.keepDirtyOnFailure(written, () =>
      this.transaction(() => {
        if (s.dirty) {
          this.writeOpenSegment(segmentId, s);
          written.push(s);
        }
        const end = endMs ?? this.openEndMs(s);
        this.noteDuration(end - s.startMs);
        this.stmt.closeSegment.run(end, segmentId);
      }),
    );
    this.openSegments.delete(segmentId);
  }

  /**
   * Writes the queued fragments of the open segments of `streamIds`, then stops treating them as
   * written (their writer died; recoverStreams closes them from their files). Returns their ids.
   */
  abandonOpenSegments(streamIds: readonly number[]): number[] {
    const ids = new Set(streamIds);
    this.flush();
    const abandoned: number[] = [];
    for (const [id, s] of this.openSegments) {
      if (!ids.has(s.streamId)) continue;
      this.openSegments.delete(id);
      abandoned.push(id);
    }
    return abandoned;
  }

  /** Forgets an open segment whose row was deleted (segment-deleter's discardSegment). */
  forgetOpenSegment(segmentId: number): void {
    this.openSegments.delete(segmentId);
  }

  /** Inserts a complete, closed segment (recovery of orphan files, imports, benchmarks). */
  insertClosedSegment(
    input: OpenSegmentInput & {
      sizeBytes: number;
      fragments: readonly FragmentRecord[];
      endMs?: number;
    },
  ): number {
    const streamId = this.streamId(input.cameraId, input.stream);
    const encoder = new FragmentIndexEncoder();
    for (const f of input.fragments) encoder.add(f);
    const endMs = input.endMs ?? segmentEndMs(input.startMs, input.fragments);
    return this.transaction(() => {
      this.noteDuration(endMs - input.startMs);
      this.stmt.startRunAt.run(input.startMs, input.runId);
      return Number(
        this.stmt.insertSegment.run(
          streamId,
          input.runId,
          input.startMs,
          endMs,
          input.path,
          input.sizeBytes,
          input.initSize,
          input.codec,
          0,
          encoder.fragmentCount,
          encoder.bytes(),
        ).lastInsertRowid,
      );
    });
  }

  /** Replaces a segment's fragment index from a file scan and closes it (recovery). */
  rebuildSegment(
    segmentId: number,
    scan: { initSize: number; sizeBytes: number; fragments: readonly FragmentRecord[] },
  ): void {
    if (this.openSegments.has(segmentId))
      throw new NvrError('conflict', 'segment is being written', { segmentId });
    const row = this.stmt.segmentById.get(segmentId) as DbSegment | undefined;
    if (!row) throw new NvrError('not_found', 'no such segment', { segmentId });
    const encoder = new FragmentIndexEncoder();
    for (const f of scan.fragments) encoder.add(f);
    const endMs = segmentEndMs(row.start_ms, scan.fragments);
    this.transaction(() => {
      this.noteDuration(endMs - row.start_ms);
      this.stmt.rebuildSegment.run(
        endMs,
        scan.sizeBytes,
        scan.initSize,
        encoder.fragmentCount,
        encoder.bytes(),
        segmentId,
      );
    });
  }

  private openEndMs(s: OpenSegmentState): number {
    return s.firstPts90k === undefined
      ? s.startMs
      : s.startMs + Math.round((s.endPts90k - s.firstPts90k) / 90);
  }

  private writeOpenSegment(id: number, s: OpenSegmentState): void {
    const endMs = this.openEndMs(s);
    this.noteDuration(endMs - s.startMs);
    this.stmt.updateSegment.run(endMs, s.sizeBytes, s.encoder.fragmentCount, s.encoder.bytes(), id);
    s.dirty = false;
  }

  /** Tracks the longest segment: range queries look back that far for overlapping segments. */
  private noteDuration(durationMs: number): void {
    if (durationMs <= this.maxSegmentMs) return;
    this.maxSegmentMs = durationMs;
    this.stmt.setMeta.run('max_segment_ms', durationMs);
  }

  // ---- queries ----

  /**
   * Recorded ranges clipped to [fromMs, toMs), oldest first: one per run (a run is gapless), so
   * a gap or a run break (reconnect, clock jump) separates ranges. Reads runs, not segments.
   */
  queryRanges(w: TimeWindow): TimeRange[] {
    const streamId = this.streamIds.get(`${w.cameraId}/${w.stream}`);
    if (streamId === undefined || w.toMs <= w.fromMs) return [];
    const rows = this.stmt.ranges.all(streamId, w.toMs, w.fromMs) as [
      number,
      number,
      number | null,
    ][];
    const out: TimeRange[] = [];
    for (const [runId, startMs, end] of rows) {
      const endMs = end ?? this.liveRunEndMs(runId);
      if (endMs <= w.fromMs || endMs <= startMs) continue;
      out.push({ startMs: Math.max(startMs, w.fromMs), endMs: Math.min(endMs, w.toMs) });
    }
    return out;
  }

  /** Where the stream's newest segment ends (as last flushed), or undefined before its first. */
  lastEndMs(ref: StreamRef): number | undefined {
    const streamId = this.streamIds.get(`${ref.cameraId}/${ref.stream}`);
    if (streamId === undefined) return undefined;
    return this.stmt.streamLastEnd.get(streamId) as number | undefined;
  }

  /** End of a run still recording: its open segment's last fragment, else its last segment. */
  private liveRunEndMs(runId: number): number {
    let end = (this.stmt.runLastEnd.get(runId) as number | undefined) ?? -Infinity;
    for (const s of this.openSegments.values())
      if (s.runId === runId) end = Math.max(end, this.openEndMs(s));
    return end;
  }

  /** Segments overlapping [fromMs, toMs), oldest first, with decoded fragment indexes. */
  querySegments(w: TimeWindow): SegmentRow[] {
    const streamId = this.streamIds.get(`${w.cameraId}/${w.stream}`);
    if (streamId === undefined || w.toMs <= w.fromMs) return [];
    const rows = this.stmt.segments.all(
      streamId,
      w.fromMs - this.maxSegmentMs,
      w.toMs,
    ) as DbSegment[];
    return rows
      .filter((r) => r.end_ms > w.fromMs || (r.open === 1 && r.start_ms >= w.fromMs))
      .map((r) => this.toSegmentRow(r, w));
  }

  getSegment(segmentId: number): SegmentRow | undefined {
    const r = this.stmt.segmentById.get(segmentId) as
      (DbSegment & { stream_id: number }) | undefined;
    return r && this.toSegmentRow(r, this.streamRef(r.stream_id));
  }

  private toSegmentRow(r: DbSegment, ref: StreamRef): SegmentRow {
    const live = r.open === 1 ? this.openSegments.get(r.id) : undefined;
    return {
      cameraId: ref.cameraId,
      stream: ref.stream,
      id: r.id,
      runId: r.run_id,
      startMs: r.start_ms,
      endMs: live ? this.openEndMs(live) : r.end_ms,
      path: r.path,
      sizeBytes: live ? live.sizeBytes : r.size_bytes,
      initSize: r.init_size,
      codec: r.codec,
      open: r.open === 1,
      fragments: decodeFragmentIndex(live ? live.encoder.bytes() : r.fragment_index),
    };
  }

  /** Bytes and segments per camera stream (kept by triggers: no table scan). */
  usage(): StreamUsage[] {
    const rows = this.stmt.usage.all() as {
      camera_id: string;
      name: string;
      total_bytes: number;
      segment_count: number;
      oldest: number | null;
    }[];
    return rows.map((r) => ({
      cameraId: r.camera_id,
      stream: r.name,
      sizeBytes: r.total_bytes,
      segmentCount: r.segment_count,
      oldestStartMs: r.oldest ?? undefined,
    }));
  }

  // ---- read leases ----

  /** Keeps segments from deletion until the returned release() is called (idempotent). */
  hold(segmentIds: readonly number[]): () => void {
    return this.leases.hold(segmentIds);
  }

  isHeld(segmentId: number): boolean {
    return this.leases.isHeld(segmentId);
  }

  /** Calls listener with the ids whose last lease ended; returns an unsubscribe function. */
  onRelease(listener: (segmentIds: number[]) => void): () => void {
    return this.leases.onRelease(listener);
  }

  /** @internal True while this process writes the segment. */
  isWriting(segmentId: number): boolean {
    return this.openSegments.has(segmentId);
  }
}

/**
 * The index holds users, token hashes and camera configs: only the owner may read it. Creates the
 * database file 0600 before SQLite opens it (its -wal and -shm files take the same mode) and tightens
 * files an older version left readable.
 */
function restrictDbFiles(dbPath: string): void {
  fs.closeSync(fs.openSync(dbPath, 'a', 0o600));
  for (const file of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) {
    try {
      fs.chmodSync(file, 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
}
