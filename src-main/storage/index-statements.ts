// Prepared statements of RecordingIndex and its raw row shapes. SQL text only; no logic.
import type Database from 'better-sqlite3';

export interface DbSegment {
  id: number;
  run_id: number;
  start_ms: number;
  end_ms: number;
  path: string;
  size_bytes: number;
  init_size: number;
  codec: string;
  open: number;
  fragment_index: Uint8Array;
}

/** Named so the declaration build can spell the type (better-sqlite3's inferred one cannot be). */
export type IndexStatements = Record<StatementName, Database.Statement>;
type StatementName =
  | 'insertStream'
  | 'insertRun'
  | 'closeRun'
  | 'startRunAt'
  | 'runLastEnd'
  | 'streamLastEnd'
  | 'runStream'
  | 'insertSegment'
  | 'setCodec'
  | 'updateSegment'
  | 'closeSegment'
  | 'rebuildSegment'
  | 'setMeta'
  | 'ranges'
  | 'segments'
  | 'segmentById'
  | 'usage';

export function prepareStatements(db: Database.Database): IndexStatements {
  return {
    insertStream: db.prepare('INSERT INTO streams (camera_id, name, created_ms) VALUES (?, ?, ?)'),
    insertRun: db.prepare('INSERT INTO runs (stream_id, start_ms) VALUES (?, ?)'),
    closeRun: db.prepare('UPDATE runs SET end_ms = ? WHERE id = ?'),
    // A run starts where its first segment starts.
    startRunAt: db.prepare(
      'UPDATE runs SET start_ms = ? WHERE id = ? AND NOT EXISTS (SELECT 1 FROM segments WHERE run_id = runs.id)',
    ),
    runLastEnd: db
      .prepare('SELECT end_ms FROM segments WHERE run_id = ? ORDER BY start_ms DESC LIMIT 1')
      .pluck(),
    streamLastEnd: db
      .prepare('SELECT end_ms FROM segments WHERE stream_id = ? ORDER BY start_ms DESC LIMIT 1')
      .pluck(),
    runStream: db.prepare('SELECT stream_id FROM runs WHERE id = ?').pluck(),
    insertSegment: db.prepare(
      `INSERT INTO segments (stream_id, run_id, start_ms, end_ms, path, size_bytes, init_size, codec, open,
         fragment_count, fragment_index) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    setCodec: db.prepare('UPDATE streams SET codec = ? WHERE id = ?'),
    updateSegment: db.prepare(
      'UPDATE segments SET end_ms = ?, size_bytes = ?, fragment_count = ?, fragment_index = ? WHERE id = ?',
    ),
    closeSegment: db.prepare('UPDATE segments SET open = 0, end_ms = ? WHERE id = ?'),
    rebuildSegment: db.prepare(
      `UPDATE segments SET open = 0, end_ms = ?, size_bytes = ?, init_size = ?, fragment_count = ?,
         fragment_index = ? WHERE id = ?`,
    ),
    setMeta: db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ),
    ranges: db
      .prepare(
        `SELECT id, start_ms, end_ms FROM runs
         WHERE stream_id = ? AND start_ms < ? AND (end_ms IS NULL OR end_ms > ?) ORDER BY start_ms`,
      )
      .raw(),
    segments: db.prepare(
      `SELECT id, run_id, start_ms, end_ms, path, size_bytes, init_size, codec, open, fragment_index
       FROM segments WHERE stream_id = ? AND start_ms >= ? AND start_ms < ? ORDER BY start_ms`,
    ),
    segmentById: db.prepare(
      `SELECT id, stream_id, run_id, start_ms, end_ms, path, size_bytes, init_size, codec, open, fragment_index
       FROM segments WHERE id = ?`,
    ),
    usage: db.prepare(
      `SELECT camera_id, name, total_bytes, segment_count,
         (SELECT MIN(start_ms) FROM segments WHERE stream_id = streams.id) AS oldest
       FROM streams ORDER BY camera_id, name`,
    ),
  };
}
