// Keeps the runs invariant after segment rows are deleted: a run starts at its first segment,
// ends at its last (once closed), has no gaps (a hole splits it in two) and is never empty once
// closed. Called inside the deleting transaction; SQL only, no files.
import type { RecordingIndex } from './recording-index';

/** Segments closer than this count as touching. */
export const CONTIGUOUS_SLACK_MS = 250;

export interface DeletedSegmentRef {
  runId: number;
  startMs: number;
  endMs: number;
}

export interface RunRepairReport {
  runsDeleted: number;
  runsSplit: number;
}

interface Span {
  start_ms: number;
  end_ms: number;
}

export function repairRuns(
  index: RecordingIndex,
  deleted: readonly DeletedSegmentRef[],
): RunRepairReport {
  const report: RunRepairReport = { runsDeleted: 0, runsSplit: 0 };
  if (deleted.length === 0) return report;
  const db = index.db;
  const runRow = db.prepare<[number], { stream_id: number; end_ms: number | null }>(
    'SELECT stream_id, end_ms FROM runs WHERE id = ?',
  );
  const first = db.prepare<[number], Span>(
    'SELECT start_ms, end_ms FROM segments WHERE run_id = ? ORDER BY start_ms LIMIT 1',
  );
  const last = db.prepare<[number], Span>(
    'SELECT start_ms, end_ms FROM segments WHERE run_id = ? ORDER BY start_ms DESC LIMIT 1',
  );
  const before = db.prepare<[number, number], Span>(
    'SELECT start_ms, end_ms FROM segments WHERE run_id = ? AND start_ms < ? ORDER BY start_ms DESC LIMIT 1',
  );
  const between = db.prepare<[number, number, number], Span>(
    'SELECT start_ms, end_ms FROM segments WHERE run_id = ? AND start_ms BETWEEN ? AND ? ORDER BY start_ms',
  );
  const after = db.prepare<[number, number], Span>(
    'SELECT start_ms, end_ms FROM segments WHERE run_id = ? AND start_ms > ? ORDER BY start_ms LIMIT 1',
  );
  const setBounds = db.prepare('UPDATE runs SET start_ms = ?, end_ms = ? WHERE id = ?');
  const insertRun = db.prepare('INSERT INTO runs (stream_id, start_ms, end_ms) VALUES (?, ?, ?)');
  const moveSegments = db.prepare(
    'UPDATE segments SET run_id = ? WHERE run_id = ? AND start_ms >= ? AND start_ms < ?',
  );
  const deleteRun = db.prepare('DELETE FROM runs WHERE id = ?');

  const byRun = new Map<number, DeletedSegmentRef[]>();
  for (const d of deleted) byRun.set(d.runId, [...(byRun.get(d.runId) ?? []), d]);
  for (const [runId, gone] of byRun) {
    const run = runRow.get(runId);
    if (!run) continue;
    const f = first.get(runId);
    const l = last.get(runId);
    if (!f || !l) {
      // Empty: a closed run goes; an open one waits for the recorder's next segment.
      if (run.end_ms !== null) {
        deleteRun.run(runId);
        report.runsDeleted++;
      }
      continue;
    }
    const holes = gone.filter((d) => d.startMs > f.start_ms && d.startMs < l.start_ms);
    // Pieces of the run separated by gaps, as [start, end] with end null for a still-open tail.
    const pieces: { startMs: number; endMs: number | null }[] = [{ startMs: f.start_ms, endMs: 0 }];
    if (holes.length > 0) {
      const lo = Math.min(...holes.map((h) => h.startMs));
      const hi = Math.max(...holes.map((h) => h.startMs));
      const seq = [
        before.get(runId, lo),
        ...between.all(runId, lo, hi),
        after.get(runId, hi),
      ].filter((s): s is Span => s !== undefined);
      for (let i = 1; i < seq.length; i++) {
        if (seq[i]!.start_ms <= seq[i - 1]!.end_ms + CONTIGUOUS_SLACK_MS) continue;
        pieces[pieces.length - 1]!.endMs = seq[i - 1]!.end_ms;
        pieces.push({ startMs: seq[i]!.start_ms, endMs: 0 });
      }
    }
    const tail = pieces[pieces.length - 1]!;
    tail.endMs = run.end_ms === null ? null : l.end_ms;
    // The last piece keeps the run id (a recorder may still be appending to it); earlier pieces
    // move to new runs.
    for (let i = 0; i < pieces.length - 1; i++) {
      const p = pieces[i]!;
      const newRun = Number(insertRun.run(run.stream_id, p.startMs, p.endMs).lastInsertRowid);
      moveSegments.run(newRun, runId, p.startMs, pieces[i + 1]!.startMs);
      report.runsSplit++;
    }
    setBounds.run(tail.startMs, tail.endMs, runId);
  }
  return report;
}
