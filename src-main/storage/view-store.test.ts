// Saved views in SQLite (migration 3): insert, update, unique names, delete, and persistence across reopen.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RecordingIndex } from './recording-index';
import { makeTempDir } from './test-support';
import type { TempDir } from './test-support';

let tmp: TempDir;
beforeEach(() => {
  tmp = makeTempDir('nvr-view-store-');
});
afterEach(() => tmp.cleanup());

const lobby = {
  id: 'v1',
  name: 'Lobby',
  body: { layout: '2x2', tiles: ['door', null, 'yard', null] },
  createdMs: 10,
  updatedMs: 10,
};

describe('SqliteViewStore', () => {
  it('keeps views across reopen, with updates applied and deletes gone', () => {
    let index = RecordingIndex.open({ dataDir: tmp.dir });
    index.views.insert(lobby);
    index.views.insert({ ...lobby, id: 'v2', name: 'Yard', createdMs: 11, updatedMs: 11 });
    index.views.insert({ ...lobby, id: 'v3', name: 'Gone', createdMs: 12, updatedMs: 12 });
    index.views.update({
      ...lobby,
      name: 'Front lobby',
      body: { layout: '1x1', tiles: ['yard'] },
      updatedMs: 20,
    });
    expect(index.views.delete('v3')).toBe(true);
    expect(index.views.delete('v3')).toBe(false);
    index.close();

    index = RecordingIndex.open({ dataDir: tmp.dir });
    try {
      expect(index.views.list()).toEqual([
        {
          id: 'v1',
          name: 'Front lobby',
          body: { layout: '1x1', tiles: ['yard'] },
          createdMs: 10,
          updatedMs: 20,
        },
        { ...lobby, id: 'v2', name: 'Yard', createdMs: 11, updatedMs: 11 },
      ]);
      expect(index.views.get('v2')?.name).toBe('Yard');
      expect(index.views.get('v3')).toBeUndefined();
    } finally {
      index.close();
    }
  });

  it('refuses a taken name (case-insensitive), a taken id, and updating a missing view', () => {
    const index = RecordingIndex.open({ dataDir: tmp.dir });
    try {
      index.views.insert(lobby);
      expect(() => index.views.insert({ ...lobby, id: 'v2', name: ' lobby ' })).toThrow(
        expect.objectContaining({
          kind: 'conflict',
          context: expect.objectContaining({ field: 'name' }),
        }),
      );
      expect(() => index.views.insert({ ...lobby, name: 'Other' })).toThrow(
        expect.objectContaining({ kind: 'conflict' }),
      );
      index.views.insert({ ...lobby, id: 'v2', name: 'Yard' });
      expect(() => index.views.update({ ...lobby, id: 'v2', name: 'LOBBY' })).toThrow(
        expect.objectContaining({ kind: 'conflict' }),
      );
      expect(() => index.views.update({ ...lobby, id: 'nope' })).toThrow(
        expect.objectContaining({ kind: 'not_found' }),
      );
      // Renaming a view to its own name in another case is fine.
      index.views.update({ ...lobby, name: 'LOBBY', updatedMs: 30 });
      expect(index.views.get('v1')?.name).toBe('LOBBY');
    } finally {
      index.close();
    }
  });
});
