// Camera configs in the `cameras` table as JSON: the SQLite implementation of the engine's
// CameraStore interface (list/get/insert/update/delete). Knows nothing of the config's shape.
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

export class SqliteCameraStore<C = unknown> {
  private readonly stmt: ReturnType<typeof prepare>;

  constructor(db: Database.Database) {
    this.stmt = prepare(db);
  }

  list(): StoredCameraRecord<C>[] {
    return this.stmt.list.all().map((r) => toRecord<C>(r));
  }

  get(id: string): StoredCameraRecord<C> | undefined {
    const r = this.stmt.get.get(id);
    return r && toRecord<C>(r);
  }

  /** Adds a new camera; NvrError('conflict') when the id is taken. */
  insert(camera: StoredCameraRecord<C>): void {
    checkSafeName('cameraId', camera.id);
    try {
      this.stmt.insert.run(
        camera.id,
        JSON.stringify(camera.config),
        camera.createdMs,
        camera.updatedMs,
      );
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
        throw new NvrError('conflict', 'a camera with this id exists', { cameraId: camera.id });
      throw e;
    }
  }

  /** Replaces an existing camera; NvrError('not_found') when there is none. */
  update(camera: StoredCameraRecord<C>): void {
    const json = JSON.stringify(camera.config);
    if (this.stmt.update.run(json, camera.createdMs, camera.updatedMs, camera.id).changes === 0)
      throw new NvrError('not_found', 'no such camera', { cameraId: camera.id });
  }

  /** True when a camera was removed. Its recordings stay until retention removes them. */
  delete(id: string): boolean {
    return this.stmt.delete.run(id).changes > 0;
  }
}
