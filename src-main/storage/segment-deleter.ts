// Deleting segments: rows (plus a pending-delete tombstone) in one transaction, then the files.
// A crash between leaves a tombstoned file that completePendingDeletes (run by recovery) removes.
import fs from 'node:fs';
import path from 'node:path';
import { resolveSegmentPath, RECORDINGS_DIR } from './paths';
import type { RecordingIndex } from './recording-index';

export interface DeletableSegment {
  id: number;
  path: string;
}

/** Removes the rows, then the files; returns the ids whose rows were deleted. */
export function deleteSegments(
  index: RecordingIndex,
  segments: readonly DeletableSegment[],
): number[] {
  if (segments.length === 0) return [];
  const db = index.db;
  const tombstone = db.prepare('INSERT OR IGNORE INTO pending_deletes (path) VALUES (?)');
  const runOf = db.prepare('SELECT run_id FROM segments WHERE id = ?').pluck();
  const del = db.prepare('DELETE FROM segments WHERE id = ? AND open = 0');
  const dropRun = db.prepare(
    `DELETE FROM runs WHERE id = ? AND end_ms IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM segments WHERE run_id = runs.id)`,
  );
  const deleted: DeletableSegment[] = [];
  index.transaction(() => {
    const runs = new Set<number>();
    for (const s of segments) {
      const runId = runOf.get(s.id) as number | undefined;
      if (runId === undefined || del.run(s.id).changes === 0) continue;
      tombstone.run(s.path);
      runs.add(runId);
      deleted.push(s);
    }
    for (const runId of runs) dropRun.run(runId);
  });
  unlinkAndClear(
    index,
    deleted.map((s) => s.path),
  );
  return deleted.map((s) => s.id);
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
