// Recovery after a crash: rescans segments left open, truncates them after their last whole fragment
// and closes them; reconciles files without rows and rows without files; closes runs. `recover` runs
// at start-up for everything; `recoverStreams` the same steps for the streams of a recording worker
// that died while the rest records on. Returns counts as a value; throws only for disk failures.
import fs from 'node:fs';
import path from 'node:path';
import { NvrError, isNvrError } from '../base';
import { scanFragments } from '../media/fmp4';
import type { FragmentRecord } from './fragment-index';
import { isSafeName, parseSegmentPath, resolveSegmentPath, RECORDINGS_DIR } from './paths';
import { segmentEndMs } from './recording-index';
import type { RecordingIndex } from './recording-index';
import type { StreamRef } from './types';
import { completePendingDeletes, deleteSegmentRows } from './segment-deleter';
import { diskError } from './segment-file-writer';

/** The part of media/fmp4's scanFragments result recovery uses (injectable for tests). */
export interface FragmentScan {
  initEnd: number;
  validEnd: number;
  fragments: readonly {
    offset: number;
    size: number;
    startPts90k: number;
    durationTicks: number;
    sampleCount: number;
    isKeyframe: boolean;
  }[];
  init: { codec: string };
}

export interface RecoverOptions {
  index: RecordingIndex;
  /** Must equal the index's dataDir when given. */
  dataDir?: string;
  scan?: (fileBytes: Uint8Array) => FragmentScan;
}

export interface RecoveryReport {
  /** Files of interrupted deletes removed. */
  pendingDeletesCompleted: number;
  /** Open segments rescanned and closed (with at least one whole fragment). */
  openSegmentsClosed: number;
  /** Bytes cut off the ends of files (partial fragments). */
  bytesTruncated: number;
  /** Open segments without a whole fragment: row and file deleted. */
  emptySegmentsDeleted: number;
  /** Rows whose file is missing: deleted. */
  missingFileRowsDeleted: number;
  /** Files without a row that hold whole fragments: indexed, each as a closed run of its own. */
  orphanFilesIndexed: number;
  /** Files without a row and without a whole fragment (or unreadable as fMP4): deleted. */
  orphanFilesDeleted: number;
  /** Files in the recordings folder not named like a segment: left alone. */
  unknownFilesIgnored: number;
  runsClosed: number;
  emptyRunsDeleted: number;
}

interface ScannedFile {
  fragments: FragmentRecord[];
  initSize: number;
  sizeBytes: number;
  codec: string;
  truncatedBytes: number;
}

/** Reads, scans and truncates one file; undefined when it has no whole fragment (or is not fMP4). */
function scanAndTruncate(
  abs: string,
  scan: (b: Uint8Array) => FragmentScan,
): ScannedFile | undefined {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(abs);
  } catch (e) {
    throw diskError('read segment file', e, { path: abs });
  }
  let result: FragmentScan;
  try {
    result = scan(bytes);
  } catch (e) {
    if (isNvrError(e, 'malformed')) return undefined;
    throw e;
  }
  if (result.fragments.length === 0) return undefined;
  const truncatedBytes = bytes.length - result.validEnd;
  if (truncatedBytes > 0) {
    try {
      fs.truncateSync(abs, result.validEnd);
    } catch (e) {
      throw diskError('truncate segment file', e, { path: abs, offset: result.validEnd });
    }
  }
  return {
    fragments: result.fragments.map((f) => ({
      offset: f.offset,
      sizeBytes: f.size,
      startPts90k: f.startPts90k,
      duration90k: f.durationTicks,
      sampleCount: f.sampleCount,
      isKeyframe: f.isKeyframe,
    })),
    initSize: result.initEnd,
    sizeBytes: result.validEnd,
    codec: result.init.codec,
    truncatedBytes: Math.max(0, truncatedBytes),
  };
}

function unlinkQuietly(abs: string): void {
  try {
    fs.unlinkSync(abs);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
      throw diskError('delete segment file', e, { path: abs });
  }
}

function listDir(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw diskError('list recordings folder', e, { path: dir });
  }
}

/** Relative paths of the files under recordings/<camera>/<stream>/ (depth 3: YYYY/MM/DD/file). */
function walkStream(dataDir: string, cam: string, st: string, report: RecoveryReport): string[] {
  const files: string[] = [];
  const walk = (dir: string, rel: string, depth: number): void => {
    for (const e of listDir(dir)) {
      const childRel = `${rel}/${e.name}`;
      if (e.isDirectory() && depth < 3) walk(path.join(dir, e.name), childRel, depth + 1);
      else if (e.isFile() && depth === 3) files.push(childRel);
      else report.unknownFilesIgnored++;
    }
  };
  walk(path.join(dataDir, RECORDINGS_DIR, cam, st), `${RECORDINGS_DIR}/${cam}/${st}`, 0);
  return files;
}

/** Relative paths of every file under recordings/<camera>/<stream>/, grouped by "camera/stream". */
function walkRecordings(dataDir: string, report: RecoveryReport): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const root = path.join(dataDir, RECORDINGS_DIR);
  for (const cam of listDir(root)) {
    if (!cam.isDirectory() || !isSafeName(cam.name)) {
      report.unknownFilesIgnored++;
      continue;
    }
    for (const st of listDir(path.join(root, cam.name))) {
      if (!st.isDirectory() || !isSafeName(st.name)) {
        report.unknownFilesIgnored++;
        continue;
      }
      out.set(`${cam.name}/${st.name}`, walkStream(dataDir, cam.name, st.name, report));
    }
  }
  return out;
}

function emptyReport(pendingDeletesCompleted: number): RecoveryReport {
  return {
    pendingDeletesCompleted,
    openSegmentsClosed: 0,
    bytesTruncated: 0,
    emptySegmentsDeleted: 0,
    missingFileRowsDeleted: 0,
    orphanFilesIndexed: 0,
    orphanFilesDeleted: 0,
    unknownFilesIgnored: 0,
    runsClosed: 0,
    emptyRunsDeleted: 0,
  };
}

type Scan = (b: Uint8Array) => FragmentScan;

/** Step 1. Segments left open: rescan, cut after the last whole fragment, rebuild the row, close. */
function closeOpenRows(
  index: RecordingIndex,
  rows: readonly { id: number; path: string }[],
  scan: Scan,
  report: RecoveryReport,
): void {
  for (const row of rows) {
    if (index.isWriting(row.id))
      throw new NvrError('conflict', 'recovery must not run while the segment is written', {
        segmentId: row.id,
      });
    const abs = resolveSegmentPath(index.dataDir, row.path);
    if (!fs.existsSync(abs)) {
      deleteSegmentRows(index, [row.id], { includeOpen: true });
      report.missingFileRowsDeleted++;
      continue;
    }
    const scanned = scanAndTruncate(abs, scan);
    if (!scanned) {
      deleteSegmentRows(index, [row.id], { includeOpen: true });
      unlinkQuietly(abs);
      report.emptySegmentsDeleted++;
      continue;
    }
    index.rebuildSegment(row.id, scanned);
    report.openSegmentsClosed++;
    report.bytesTruncated += scanned.truncatedBytes;
  }
}

/** Step 2 for one stream: rows without a file go; files without a row are indexed or go. */
function reconcileStream(
  index: RecordingIndex,
  onDisk: readonly string[],
  streamId: number | undefined,
  scan: Scan,
  report: RecoveryReport,
): void {
  const files = new Set(onDisk);
  const rows =
    streamId === undefined
      ? []
      : (index.db.prepare('SELECT id, path FROM segments WHERE stream_id = ?').all(streamId) as {
          id: number;
          path: string;
        }[]);
  const missing = rows.filter((r) => !files.has(r.path));
  deleteSegmentRows(
    index,
    missing.map((r) => r.id),
  );
  report.missingFileRowsDeleted += missing.length;
  for (const r of rows) files.delete(r.path);
  for (const rel of [...files].sort()) {
    const parsed = parseSegmentPath(rel);
    if (!parsed) {
      report.unknownFilesIgnored++;
      continue;
    }
    const abs = resolveSegmentPath(index.dataDir, rel);
    const scanned = scanAndTruncate(abs, scan);
    if (!scanned) {
      unlinkQuietly(abs);
      report.orphanFilesDeleted++;
      continue;
    }
    index.transaction(() => {
      const runId = index.createRun(parsed);
      const { initSize, sizeBytes, codec, fragments } = scanned;
      index.insertClosedSegment({
        ...parsed,
        runId,
        path: rel,
        initSize,
        sizeBytes,
        codec,
        fragments,
      });
      index.closeRun(runId, segmentEndMs(parsed.startMs, fragments));
    });
    report.bytesTruncated += scanned.truncatedBytes;
    report.orphanFilesIndexed++;
  }
}

/** Step 3. Runs (of `streamIds`, or all): open ones end at their last segment; empty ones go. */
function closeOpenRuns(
  index: RecordingIndex,
  streamIds: readonly number[] | undefined,
  report: RecoveryReport,
): void {
  const db = index.db;
  const of =
    streamIds === undefined ? '' : ` AND stream_id IN (${streamIds.map(() => '?').join(',')})`;
  index.transaction(() => {
    const openRuns = db
      .prepare(`SELECT id FROM runs WHERE end_ms IS NULL${of}`)
      .pluck()
      .all(...(streamIds ?? [])) as number[];
    const lastEnd = db.prepare('SELECT MAX(end_ms) FROM segments WHERE run_id = ?').pluck();
    const closeRun = db.prepare('UPDATE runs SET end_ms = ? WHERE id = ?');
    for (const runId of openRuns) {
      const end = lastEnd.get(runId) as number | null;
      if (end === null) continue; // empty: deleted below
      closeRun.run(end, runId);
      report.runsClosed++;
    }
    report.emptyRunsDeleted += db
      .prepare(
        `DELETE FROM runs WHERE NOT EXISTS (SELECT 1 FROM segments WHERE run_id = runs.id)${of}`,
      )
      .run(...(streamIds ?? [])).changes;
  });
}

/** Brings the index and the recordings folder back in line after a crash or power cut. */
export function recover(opts: RecoverOptions): RecoveryReport {
  const { index } = opts;
  const scan = opts.scan ?? scanFragments;
  if (opts.dataDir !== undefined && path.resolve(opts.dataDir) !== path.resolve(index.dataDir))
    throw new NvrError('bad_request', 'dataDir differs from the index', { dataDir: opts.dataDir });
  const report = emptyReport(completePendingDeletes(index));
  const open = index.db.prepare('SELECT id, path FROM segments WHERE open = 1').all() as {
    id: number;
    path: string;
  }[];
  closeOpenRows(index, open, scan, report);
  const onDisk = walkRecordings(index.dataDir, report);
  const streams = new Map(
    index.listStreams().map((s) => [`${s.cameraId}/${s.stream}`, s.streamId]),
  );
  for (const key of new Set([...onDisk.keys(), ...streams.keys()]))
    reconcileStream(index, onDisk.get(key) ?? [], streams.get(key), scan, report);
  closeOpenRuns(index, undefined, report);
  return report;
}

export interface RecoverStreamsOptions {
  index: RecordingIndex;
  /** The streams whose writer died (a recording worker that crashed); others keep recording. */
  streams: readonly StreamRef[];
  scan?: (fileBytes: Uint8Array) => FragmentScan;
}

/**
 * The start-up recovery steps for some streams only, while the others record on: for streams whose
 * writer died. The fragments queued for them are written first (the file holds at least those, so
 * the rescan only adds), then their open segments are rescanned, cut after the last whole fragment
 * and closed, files the writer opened without a row are indexed, and their runs are closed.
 */
export function recoverStreams(opts: RecoverStreamsOptions): RecoveryReport {
  const { index } = opts;
  const scan = opts.scan ?? scanFragments;
  const report = emptyReport(0);
  const ids = new Map(index.listStreams().map((s) => [`${s.cameraId}/${s.stream}`, s.streamId]));
  const streamIds: number[] = [];
  for (const ref of opts.streams) {
    const id = ids.get(`${ref.cameraId}/${ref.stream}`);
    if (id !== undefined) streamIds.push(id);
  }
  index.abandonOpenSegments(streamIds);
  const open = index.db
    .prepare(
      `SELECT id, path FROM segments WHERE open = 1 AND stream_id IN (${streamIds.map(() => '?').join(',')})`,
    )
    .all(...streamIds) as { id: number; path: string }[];
  closeOpenRows(index, open, scan, report);
  for (const ref of opts.streams) {
    if (!isSafeName(ref.cameraId) || !isSafeName(ref.stream)) continue;
    const files = walkStream(index.dataDir, ref.cameraId, ref.stream, report);
    reconcileStream(index, files, ids.get(`${ref.cameraId}/${ref.stream}`), scan, report);
  }
  closeOpenRuns(index, streamIds, report);
  return report;
}
