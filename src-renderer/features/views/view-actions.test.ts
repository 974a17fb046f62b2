import { describe, expect, it } from 'vitest';
import { createLayoutStore } from '../../stores';
import { viewInputOf } from './view-actions';

describe('viewInputOf', () => {
  it('saves layout and tiles; custom layouts keep their size, others none', () => {
    const store = createLayoutStore();
    store.getState().syncCameras(['a', 'b']);
    store.getState().swapTiles(0, 3);
    expect(viewInputOf(store.getState(), '  Lobby ')).toEqual({
      name: 'Lobby',
      layout: '2x2',
      tiles: [null, 'b', null, 'a'],
    });
    store.getState().setCustom(3, 1);
    expect(viewInputOf(store.getState(), 'Row', 'v1')).toEqual({
      id: 'v1',
      name: 'Row',
      layout: 'custom',
      cols: 3,
      rows: 1,
      tiles: ['a', 'b', null], // shrinking moves the overflow into empty tiles
    });
  });

  it('round-trips through applyView', () => {
    const a = createLayoutStore();
    a.getState().setLayout('1+7');
    a.getState().placeCamera(5, 'x');
    const input = viewInputOf(a.getState(), 'V');
    const b = createLayoutStore();
    b.getState().applyView({ ...input, id: 'v' });
    expect(b.getState().tiles).toEqual(a.getState().tiles);
    expect(b.getState().layoutId).toBe('1+7');
  });
});
