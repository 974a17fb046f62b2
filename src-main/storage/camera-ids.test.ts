// Camera ids are never reused: a deleted camera's id is retired (its recordings keep it), and a
// database from before the retired_camera_ids table gets the ids of deleted cameras that left streams.
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RecordingIndex } from './recording-index';
import { SCHEMA_VERSION } from './schema';
import { makeTempDir } from './test-support';
import type { TempDir } from './test-support';

let tmp: TempDir;
afterEach(() => tmp?.cleanup());

const camera = (id: string) => ({ id, config: { name: id }, createdMs: 1, updatedMs: 1 });

describe('retired camera ids', () => {
  it('keeps a deleted camera id used across restarts', () => {
    tmp = makeTempDir();
    let index = RecordingIndex.open({ dataDir: tmp.dir });
    index.cameras.insert(camera('door'));
    expect(index.cameras.idUsed('door')).toBe(true);
    expect(index.cameras.idUsed('yard')).toBe(false);
    expect(index.cameras.delete('door')).toBe(true);
    expect(index.cameras.get('door')).toBeUndefined();
    expect(index.cameras.idUsed('door')).toBe(true);
    index.close();
    index = RecordingIndex.open({ dataDir: tmp.dir });
    expect(index.cameras.idUsed('door')).toBe(true);
    index.close();
  });

  it('retires, on upgrade, the ids of deleted cameras whose streams are still indexed', () => {
    tmp = makeTempDir();
    const index = RecordingIndex.open({ dataDir: tmp.dir });
    index.cameras.insert(camera('yard'));
    index.streamId('yard', 'main');
    index.streamId('gone', 'main'); // a camera deleted by an older version: its recordings stay
    index.close();
    // Back to the schema before the table existed.
    const db = new Database(path.join(tmp.dir, 'index.db'));
    db.exec('DROP TABLE retired_camera_ids');
    db.pragma(`user_version = ${SCHEMA_VERSION - 1}`);
    db.close();
    const upgraded = RecordingIndex.open({ dataDir: tmp.dir });
    expect(upgraded.cameras.idUsed('gone')).toBe(true);
    expect(upgraded.cameras.idUsed('yard')).toBe(true);
    expect(upgraded.cameras.idUsed('new')).toBe(false);
    upgraded.close();
  });
});
