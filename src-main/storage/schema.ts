// SQLite schema and migrations, versioned with PRAGMA user_version. Owns the DDL only;
// queries live in recording-index.ts. Append new migrations; never edit a shipped one.
import type Database from 'better-sqlite3';
import { NvrError } from '../base';

/** Migration i brings user_version from i to i + 1. */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) STRICT;

  CREATE TABLE cameras (
    id TEXT PRIMARY KEY,
    config TEXT NOT NULL,            -- the camera's config as JSON
    created_ms INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL
  ) STRICT;

  -- One row per camera stream that ever recorded; totals kept by the triggers below.
  -- No foreign key to cameras: recordings outlive a deleted camera until retention removes them.
  CREATE TABLE streams (
    id INTEGER PRIMARY KEY,
    camera_id TEXT NOT NULL,
    name TEXT NOT NULL,              -- 'main' | 'sub'
    codec TEXT,                      -- of the latest segment
    created_ms INTEGER NOT NULL,
    total_bytes INTEGER NOT NULL DEFAULT 0,
    segment_count INTEGER NOT NULL DEFAULT 0,
    UNIQUE (camera_id, name)
  ) STRICT;

  -- An unbroken recording session of one stream. Invariant kept by storage: a run's segments
  -- follow each other without gaps, start_ms is its first segment's start and end_ms its last
  -- segment's end (NULL while recording). Deleting from the middle splits the run.
  -- AUTOINCREMENT: ids are never reused, so a lease, a playlist or an export that names an id
  -- can never reach a different run or segment after a delete.
  CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    stream_id INTEGER NOT NULL REFERENCES streams (id),
    start_ms INTEGER NOT NULL,
    end_ms INTEGER
  ) STRICT;
  -- Timeline: ranges come from runs, not from segments.
  CREATE INDEX runs_stream_start ON runs (stream_id, start_ms);
  CREATE INDEX runs_open ON runs (stream_id) WHERE end_ms IS NULL;

  CREATE TABLE segments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    stream_id INTEGER NOT NULL REFERENCES streams (id),
    run_id INTEGER NOT NULL REFERENCES runs (id),
    start_ms INTEGER NOT NULL,
    end_ms INTEGER NOT NULL,         -- grows while open
    path TEXT NOT NULL,              -- relative to dataDir
    size_bytes INTEGER NOT NULL,
    init_size INTEGER NOT NULL,
    codec TEXT NOT NULL,
    open INTEGER NOT NULL DEFAULT 1,
    fragment_count INTEGER NOT NULL DEFAULT 0,
    fragment_index BLOB NOT NULL     -- see fragment-index.ts / README.md
  ) STRICT;
  -- Playback and export: the segments of a window.
  CREATE INDEX segments_stream_start ON segments (stream_id, start_ms);
  -- Retention: oldest first across all streams.
  CREATE INDEX segments_start ON segments (start_ms);
  -- Run upkeep: a run's first and last segment.
  CREATE INDEX segments_run ON segments (run_id, start_ms);
  CREATE INDEX segments_open ON segments (id) WHERE open = 1;

  CREATE TRIGGER segments_ins AFTER INSERT ON segments BEGIN
    UPDATE streams SET total_bytes = total_bytes + NEW.size_bytes, segment_count = segment_count + 1
      WHERE id = NEW.stream_id;
  END;
  CREATE TRIGGER segments_upd AFTER UPDATE OF size_bytes ON segments BEGIN
    UPDATE streams SET total_bytes = total_bytes + NEW.size_bytes - OLD.size_bytes WHERE id = NEW.stream_id;
  END;
  CREATE TRIGGER segments_del AFTER DELETE ON segments BEGIN
    UPDATE streams SET total_bytes = total_bytes - OLD.size_bytes, segment_count = segment_count - 1
      WHERE id = OLD.stream_id;
  END;

  -- Files whose rows retention deleted but which may not be unlinked yet (crash between):
  -- recovery unlinks them instead of re-indexing them as orphans.
  CREATE TABLE pending_deletes (path TEXT PRIMARY KEY) STRICT;

  -- Shells for later issues.
  CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    camera_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    start_ms INTEGER NOT NULL,
    end_ms INTEGER,
    data TEXT                        -- JSON
  ) STRICT;
  CREATE INDEX events_camera_start ON events (camera_id, start_ms);

  CREATE TABLE exports (
    id TEXT PRIMARY KEY,
    state TEXT NOT NULL,             -- queued | running | done | failed | cancelled
    request TEXT NOT NULL,           -- JSON
    path TEXT,
    size_bytes INTEGER,
    created_ms INTEGER NOT NULL,
    finished_ms INTEGER,
    error TEXT
  ) STRICT;

  CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,     -- scrypt
    role TEXT NOT NULL,              -- admin | viewer
    created_ms INTEGER NOT NULL
  ) STRICT;
  `,
  `
  -- Auth (src-main/storage/auth-store.ts): camera scope per user, sessions/API tokens, audit log.
  ALTER TABLE users ADD COLUMN cameras TEXT;   -- JSON array of camera ids; NULL = all cameras
  CREATE TABLE auth_tokens (
    hash TEXT PRIMARY KEY,           -- SHA-256 of the secret; the secret itself is never stored
    id TEXT NOT NULL UNIQUE,         -- public id (for listing and revoking)
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,              -- session | api
    name TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    expires_ms INTEGER               -- NULL = until revoked
  ) STRICT;
  CREATE INDEX auth_tokens_user ON auth_tokens (user_id);
  CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at_ms INTEGER NOT NULL,
    actor TEXT,                      -- username, NULL when unknown
    action TEXT NOT NULL,
    address TEXT,
    detail TEXT                      -- JSON
  ) STRICT;
  `,
  `
  -- Saved views (src-main/storage/view-store.ts): named grid arrangements shared by every client.
  CREATE TABLE views (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE,   -- lower-cased trimmed name: names are unique case-insensitively
    body TEXT NOT NULL,              -- JSON: layout, cols, rows, tiles (the engine owns the shape)
    created_ms INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL
  ) STRICT;
  `,
  `
  -- Ids of deleted cameras (src-main/storage/camera-store.ts): never given to a new camera, so the
  -- recordings a deleted camera left behind never show up under another one. Seeded from the streams
  -- of cameras deleted before this table existed.
  CREATE TABLE retired_camera_ids (id TEXT PRIMARY KEY, retired_ms INTEGER NOT NULL) STRICT;
  INSERT OR IGNORE INTO retired_camera_ids (id, retired_ms)
    SELECT DISTINCT camera_id, 0 FROM streams WHERE camera_id NOT IN (SELECT id FROM cameras);
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Sets the connection pragmas and applies pending migrations, each in its own transaction. */
export function migrate(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -32000'); // 32 MB: the timeline and retention indexes stay in memory
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION)
    throw new NvrError('conflict', 'the database was written by a newer version of the app', {
      userVersion: version,
      supported: SCHEMA_VERSION,
    });
  for (let v = version; v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
