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

  constructor(db: Database.Database) {
    this.stmt = prepare(db);
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
    if (this.stmt.update.run(json, camera.createdMs, camera.updatedMs, camera.id).changes === 0)
      throw new NvrError('not_found', 'no such camera', { cameraId: camera.id });
  }

  /** True when a camera was removed. Its recordings stay until retention removes them. */
  delete(id: string): boolean {
    return this.stmt.delete.run(id).changes > 0;
  }
}
