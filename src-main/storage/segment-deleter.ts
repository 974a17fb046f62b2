// Deleting segments: rows (plus a pending-delete tombstone) in one transaction, then the files.
// A crash between leaves a tombstoned file that completePendingDeletes (run by recovery) removes.
import fs from 'node:fs';
import path from 'node:path';
import { resolveSegmentPath, RECORDINGS_DIR } from './paths';
import type { RecordingIndex } from './recording-index';
import { repairRuns } from './run-maintenance';
import type { DeletedSegmentRef } from './run-maintenance';

export interface DeletableSegment {
  id: number;
  path: string;
}

/**
 * Deletes segment rows (closed ones only unless `includeOpen`) and repairs their runs, inside the
 * caller's transaction. Returns the deleted rows. Touches no files.
 */
export function deleteSegmentRows(
  index: RecordingIndex,
  ids: readonly number[],
  opts: { includeOpen?: boolean; tombstone?: boolean } = {},
): (DeletedSegmentRef & { id: number; path: string })[] {
  const db = index.db;
  const row = db.prepare<
    [number],
    { run_id: number; start_ms: number; end_ms: number; path: string; open: number }
  >('SELECT run_id, start_ms, end_ms, path, open FROM segments WHERE id = ?');
  const del = db.prepare('DELETE FROM segments WHERE id = ?');
  const tombstone = db.prepare('INSERT OR IGNORE INTO pending_deletes (path) VALUES (?)');
  const deleted: (DeletedSegmentRef & { id: number; path: string })[] = [];
  index.transaction(() => {
    for (const id of ids) {
      const r = row.get(id);
      if (!r || (r.open === 1 && !opts.includeOpen)) continue;
      del.run(id);
      if (opts.tombstone) tombstone.run(r.path);
      deleted.push({ id, runId: r.run_id, startMs: r.start_ms, endMs: r.end_ms, path: r.path });
    }
    repairRuns(index, deleted);
  });
  return deleted;
}

/** Removes closed segments: rows with tombstones in one transaction, then the files. Returns deleted ids. */
export function deleteSegments(
  index: RecordingIndex,
  segments: readonly DeletableSegment[],
): number[] {
  if (segments.length === 0) return [];
  const deleted = deleteSegmentRows(
    index,
    segments.map((s) => s.id),
    { tombstone: true },
  );
  unlinkAndClear(
    index,
    deleted.map((d) => d.path),
  );
  return deleted.map((d) => d.id);
}

/**
 * Drops a segment that holds no fragment (its first write failed, e.g. disk full), open or not:
 * row and tombstone in one transaction, then the file. Throws (and changes nothing) if the
 * database cannot take it; the caller retries.
 */
export function discardSegment(index: RecordingIndex, segment: DeletableSegment): void {
  const deleted = deleteSegmentRows(index, [segment.id], { includeOpen: true, tombstone: true });
  index.forgetOpenSegment(segment.id);
  unlinkAndClear(
    index,
    deleted.map((d) => d.path),
  );
}

/** Unlinks files left by an interrupted delete; returns how many tombstones were cleared. */
export function completePendingDeletes(index: RecordingIndex): number {
  const paths = index.db.prepare('SELECT path FROM pending_deletes').pluck().all() as string[];
  return unlinkAndClear(index, paths);
}

function unlinkAndClear(index: RecordingIndex, relPaths: readonly string[]): number {
  const done: string[] = [];
  const dirs = new Set<string>();
  for (const rel of relPaths) {
    let abs: string;
    try {
      abs = resolveSegmentPath(index.dataDir, rel);
    } catch {
      done.push(rel); // not ours to delete: drop the tombstone
      continue;
    }
    try {
      fs.unlinkSync(abs);
    } catch (e) {
      // ENOENT: already gone. Anything else (EBUSY on Windows): keep the tombstone, retry later.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') continue;
    }
    done.push(rel);
    dirs.add(path.dirname(abs));
  }
  if (done.length > 0) {
    const clear = index.db.prepare('DELETE FROM pending_deletes WHERE path = ?');
    index.transaction(() => {
      for (const rel of done) clear.run(rel);
    });
  }
  removeEmptyDateDirs(index.dataDir, dirs);
  return done.length;
}

/** Removes emptied day, month and year folders (never the stream folder or above). */
function removeEmptyDateDirs(dataDir: string, dayDirs: Iterable<string>): void {
  const root = path.resolve(dataDir, RECORDINGS_DIR);
  for (const day of dayDirs) {
    let dir = day;
    // <root>/<camera>/<stream>/<YYYY>/<MM>/<DD>: at most three levels are date folders.
    for (let level = 0; level < 3; level++) {
      const depth = path.relative(root, dir).split(path.sep).length;
      if (depth < 3) break;
      try {
        fs.rmdirSync(dir);
      } catch {
        break; // not empty (or already gone)
      }
      dir = path.dirname(dir);
    }
  }
}
