// Saved views (named grid arrangements) in the `views` table (migration 3). Knows the name and an
// opaque JSON body; the engine owns the body's shape and validation. Names are unique, case-insensitively.
import type Database from 'better-sqlite3';
import { NvrError } from '../base';

/** A view as stored: identity, unique name, the engine's JSON body, times. */
export interface StoredViewRecord<B = unknown> {
  id: string;
  name: string;
  body: B;
  createdMs: number;
  updatedMs: number;
}

interface Row {
  id: string;
  name: string;
  body: string;
  created_ms: number;
  updated_ms: number;
}

const toRecord = <B>(r: Row): StoredViewRecord<B> => ({
  id: r.id,
  name: r.name,
  body: JSON.parse(r.body) as B,
  createdMs: r.created_ms,
  updatedMs: r.updated_ms,
});

/** What makes two view names the same (the `name_key` column's unique index). */
export const viewNameKey = (name: string) => name.trim().toLocaleLowerCase();

function prepare(db: Database.Database) {
  return {
    list: db.prepare<[], Row>('SELECT * FROM views ORDER BY created_ms, id'),
    get: db.prepare<[string], Row>('SELECT * FROM views WHERE id = ?'),
    insert: db.prepare(
      'INSERT INTO views (id, name, name_key, body, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    update: db.prepare(
      'UPDATE views SET name = ?, name_key = ?, body = ?, updated_ms = ? WHERE id = ?',
    ),
    delete: db.prepare('DELETE FROM views WHERE id = ?'),
  };
}

export class SqliteViewStore<B = unknown> {
  private readonly stmt: ReturnType<typeof prepare>;

  constructor(db: Database.Database) {
    this.stmt = prepare(db);
  }

  list(): StoredViewRecord<B>[] {
    return this.stmt.list.all().map((r) => toRecord<B>(r));
  }

  get(id: string): StoredViewRecord<B> | undefined {
    const r = this.stmt.get.get(id);
    return r && toRecord<B>(r);
  }

  /** Adds a view; NvrError('conflict') when the id or the name is taken. */
  insert(view: StoredViewRecord<B>): void {
    this.guard(view, () =>
      this.stmt.insert.run(
        view.id,
        view.name,
        viewNameKey(view.name),
        JSON.stringify(view.body),
        view.createdMs,
        view.updatedMs,
      ),
    );
  }

  /** Replaces a view's name and body; NvrError('not_found') when there is none, 'conflict' on a taken name. */
  update(view: StoredViewRecord<B>): void {
    const changes = this.guard(
      view,
      () =>
        this.stmt.update.run(
          view.name,
          viewNameKey(view.name),
          JSON.stringify(view.body),
          view.updatedMs,
          view.id,
        ).changes,
    );
    if (changes === 0) throw new NvrError('not_found', 'no such view', { viewId: view.id });
  }

  /** True when a view was removed. */
  delete(id: string): boolean {
    return this.stmt.delete.run(id).changes > 0;
  }

  private guard<T>(view: StoredViewRecord<B>, run: () => T): T {
    try {
      return run();
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'SQLITE_CONSTRAINT_UNIQUE')
        throw new NvrError('conflict', `a view named "${view.name}" exists`, {
          field: 'name',
          viewId: view.id,
        });
      if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
        throw new NvrError('conflict', 'a view with this id exists', { viewId: view.id });
      throw e;
    }
  }
}
