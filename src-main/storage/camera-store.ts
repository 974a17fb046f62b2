// Camera configs in the `cameras` table as JSON: the SQLite implementation of the engine's
// CameraStore interface (list/get/insert/update/delete). Knows only one field of the config: a top-level
// `password` string, sealed with an injected SecretCipher at rest (never implements the cipher itself).
import type Database from 'better-sqlite3';
import { NvrError } from '../base';
import { checkSafeName } from './paths';

/** A camera as stored: its config (opaque JSON here) plus identity and times. */
export interface StoredCameraRecord<C = unknown> {
  id: string;
  config: C;
  createdMs: number;
  updatedMs: number;
}

interface Row {
  id: string;
  config: string;
  created_ms: number;
  updated_ms: number;
}

const toRecord = <C>(r: Row): StoredCameraRecord<C> => ({
  id: r.id,
  config: JSON.parse(r.config) as C,
  createdMs: r.created_ms,
  updatedMs: r.updated_ms,
});

function prepare(db: Database.Database) {
  return {
    list: db.prepare<[], Row>('SELECT * FROM cameras ORDER BY created_ms, id'),
    get: db.prepare<[string], Row>('SELECT * FROM cameras WHERE id = ?'),
    insert: db.prepare(
      'INSERT INTO cameras (id, config, created_ms, updated_ms) VALUES (?, ?, ?, ?)',
    ),
    update: db.prepare(
      'UPDATE cameras SET config = ?, created_ms = ?, updated_ms = ? WHERE id = ?',
    ),
    delete: db.prepare('DELETE FROM cameras WHERE id = ?'),
    retire: db.prepare('INSERT OR IGNORE INTO retired_camera_ids (id, retired_ms) VALUES (?, ?)'),
    used: db
      .prepare<[string, string], number>(
        'SELECT 1 FROM cameras WHERE id = ? UNION ALL SELECT 1 FROM retired_camera_ids WHERE id = ?',
      )
      .pluck(),
  };
}

/** Seals secrets at rest (AES-GCM with a key file headless, Electron safeStorage in the app). */
export interface SecretCipher {
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
}

const SEALED_PREFIX = 'enc:v1:';

export class SqliteCameraStore<C = unknown> {
  private readonly stmt: ReturnType<typeof prepare>;
  private cipher: SecretCipher | undefined;
  private readonly db: Database.Database;

  constructor(db: Database.Database) {
    this.db = db;
    this.stmt = prepare(db);
  }

  /**
   * Runs a write with SQLite's secure_delete on: the bytes of the replaced row (a password before it
   * was sealed, a URL with credentials) are zeroed in the file instead of left in free space.
   */
  private scrubbing<T>(fn: () => T): T {
    this.db.pragma('secure_delete = ON');
    try {
      return fn();
    } finally {
      this.db.pragma('secure_delete = OFF');
    }
  }

  /** Seals camera passwords from now on, and re-seals any stored in clear. */
  useCipher(cipher: SecretCipher): void {
    this.cipher = cipher;
    for (const r of this.stmt.list.all()) {
      const config = JSON.parse(r.config) as { password?: unknown };
      if (typeof config.password === 'string' && !config.password.startsWith(SEALED_PREFIX))
        this.update(this.toRecordOf(r));
    }
  }

  private seal(config: C): string {
    const c = config as { password?: unknown };
    if (!this.cipher || typeof c.password !== 'string') return JSON.stringify(config);
    return JSON.stringify({ ...c, password: SEALED_PREFIX + this.cipher.encrypt(c.password) });
  }

  private toRecordOf(r: Row): StoredCameraRecord<C> {
    const rec = toRecord<C>(r);
    const c = rec.config as { password?: unknown };
    if (typeof c.password === 'string' && c.password.startsWith(SEALED_PREFIX)) {
      if (!this.cipher)
        throw new NvrError('unavailable', 'camera passwords are sealed and no key is loaded', {
          cameraId: r.id,
        });
      c.password = this.cipher.decrypt(c.password.slice(SEALED_PREFIX.length));
    }
    return rec;
  }

  list(): StoredCameraRecord<C>[] {
    return this.stmt.list.all().map((r) => this.toRecordOf(r));
  }

  get(id: string): StoredCameraRecord<C> | undefined {
    const r = this.stmt.get.get(id);
    return r && this.toRecordOf(r);
  }

  /** Adds a new camera; NvrError('conflict') when the id is taken. */
  insert(camera: StoredCameraRecord<C>): void {
    checkSafeName('cameraId', camera.id);
    try {
      this.stmt.insert.run(camera.id, this.seal(camera.config), camera.createdMs, camera.updatedMs);
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
        throw new NvrError('conflict', 'a camera with this id exists', { cameraId: camera.id });
      throw e;
    }
  }

  /** Replaces an existing camera; NvrError('not_found') when there is none. */
  update(camera: StoredCameraRecord<C>): void {
    const json = this.seal(camera.config);
    const changes = this.scrubbing(
      () => this.stmt.update.run(json, camera.createdMs, camera.updatedMs, camera.id).changes,
    );
    if (changes === 0) throw new NvrError('not_found', 'no such camera', { cameraId: camera.id });
  }

  /**
   * True when a camera was removed. Its recordings stay until retention removes them, and its id is
   * retired (idUsed stays true) so a new camera never inherits them.
   */
  delete(id: string): boolean {
    return this.scrubbing(() =>
      this.db.transaction(() => {
        if (this.stmt.delete.run(id).changes === 0) return false;
        this.stmt.retire.run(id, Date.now());
        return true;
      })(),
    );
  }

  /** True when a camera has this id now or had it before being deleted. */
  idUsed(id: string): boolean {
    return this.stmt.used.get(id, id) !== undefined;
  }
}
