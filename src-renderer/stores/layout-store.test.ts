import { describe, expect, it } from 'vitest';
import { LAYOUTS, createLayoutStore, currentSpec, layoutSpec, pageCount } from './layout-store';

describe('layout store', () => {
  it('starts as 2×2 with four empty tiles', () => {
    const s = createLayoutStore().getState();
    expect(s.layoutId).toBe('2x2');
    expect(s.tiles).toEqual([null, null, null, null]);
  });

  it('fills empty tiles with cameras in order and drops removed ones', () => {
    const store = createLayoutStore();
    store.getState().syncCameras(['a', 'b', 'c', 'd', 'e']);
    expect(store.getState().tiles).toEqual(['a', 'b', 'c', 'd']);
    store.getState().syncCameras(['a', 'c', 'd', 'e']);
    expect(store.getState().tiles).toEqual(['a', 'e', 'c', 'd']);
  });

  it('keeps cameras when switching layouts and restores them when switching back', () => {
    const store = createLayoutStore();
    store.getState().syncCameras(['a', 'b', 'c', 'd']);
    store.getState().setLayout('1x1');
    expect(store.getState().tiles).toEqual(['a']);
    store.getState().setLayout('3x3');
    expect(store.getState().tiles).toHaveLength(9);
    store.getState().syncCameras(['a', 'b', 'c', 'd']);
    expect(store.getState().tiles.slice(0, 4)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('the automatic grid refills by itself: 2×2 → 1 → 2×2 shows the four cameras again', () => {
    const store = createLayoutStore();
    store.getState().syncCameras(['a', 'b', 'c', 'd']);
    store.getState().setLayout('1x1');
    store.getState().setLayout('2x2');
    expect(store.getState().tiles).toEqual(['a', 'b', 'c', 'd']);
  });

  it('7 cameras: 2×2 has two pages, 3×3 shows all seven', () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const store = createLayoutStore();
    store.getState().syncCameras(ids);
    expect(pageCount(store.getState())).toBe(2);
    store.getState().setPage(1);
    expect(store.getState().tiles).toEqual(['e', 'f', 'g', null]);
    store.getState().setPage(5); // clamped
    expect(store.getState().page).toBe(1);
    store.getState().setLayout('3x3');
    expect(
      store
        .getState()
        .tiles.filter((t) => t !== null)
        .sort(),
    ).toEqual(ids);
    expect(pageCount(store.getState())).toBe(1);
  });

  it('a camera added while a saved view is active is announced, and reveal shows it', () => {
    const store = createLayoutStore();
    store.getState().syncCameras(['a', 'b', 'c', 'd', 'e']);
    store.getState().applyView({ id: 'v', layout: '2x2', tiles: ['a', 'b', null, null] });
    store.getState().syncCameras(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(store.getState().newIds).toEqual(['f']);
    expect(store.getState().tiles).toEqual(['a', 'b', null, null]); // the view stays exact
    store.getState().revealCamera(['a', 'b', 'c', 'd', 'e', 'f'], 'f');
    expect(store.getState().activeViewId).toBe(null);
    expect(store.getState().tiles).toContain('f');
    expect(store.getState().newIds).toEqual([]);
  });

  it('shrinking keeps as many cameras as fit, moving them into empty tiles first', () => {
    const store = createLayoutStore('3x3');
    store.getState().placeCamera(0, 'a');
    store.getState().placeCamera(5, 'b');
    store.getState().setLayout('2x2');
    expect(store.getState().tiles).toEqual(['a', 'b', null, null]);
  });

  it('placing a camera shown elsewhere swaps the two tiles, and pins the layout', () => {
    const store = createLayoutStore();
    store.getState().syncCameras(['a', 'b', 'c']);
    store.getState().placeCamera(3, 'a');
    expect(store.getState().tiles).toEqual([null, 'b', 'c', 'a']);
    store.getState().placeCamera(1, 'a');
    expect(store.getState().tiles).toEqual([null, 'a', 'c', 'b']);
    expect(store.getState().pinned).toBe(true);
    expect(store.getState().selectedTile).toBe(1);
  });

  it('once pinned, auto-fill places only newly added cameras, not ones the user took off', () => {
    const store = createLayoutStore();
    store.getState().syncCameras(['a', 'b']);
    store.getState().clearTile(1); // user removes b
    store.getState().syncCameras(['a', 'b']);
    expect(store.getState().tiles).toEqual(['a', null, null, null]);
    store.getState().syncCameras(['a', 'b', 'new']);
    expect(store.getState().tiles).toEqual(['a', 'new', null, null]);
  });

  it('ignores placements outside the layout', () => {
    const store = createLayoutStore();
    const before = store.getState().tiles;
    store.getState().placeCamera(7, 'x');
    expect(store.getState().tiles).toBe(before);
  });

  it('maximize toggles and restore returns; changing layout restores too', () => {
    const store = createLayoutStore();
    store.getState().toggleMaximize(2);
    expect(store.getState().maximizedTile).toBe(2);
    store.getState().toggleMaximize(2);
    expect(store.getState().maximizedTile).toBeNull();
    store.getState().toggleMaximize(1);
    store.getState().restore();
    expect(store.getState().maximizedTile).toBeNull();
    store.getState().toggleMaximize(1);
    store.getState().setLayout('4x4');
    expect(store.getState().maximizedTile).toBeNull();
  });

  it('has eight layouts in key order whose tiles fill their cells', () => {
    expect(LAYOUTS.map((l) => l.id)).toEqual([
      '1x1',
      '2x2',
      '3x3',
      '4x4',
      '5x5',
      '1+5',
      '1+7',
      'custom',
    ]);
    for (const l of LAYOUTS) expect(l.tiles - 1 + l.leadSpan * l.leadSpan).toBe(l.cols * l.rows);
    expect(layoutSpec('1+5').tiles).toBe(6);
    expect(layoutSpec('1+7')).toMatchObject({ cols: 4, rows: 4, tiles: 8, leadSpan: 3 });
    expect(layoutSpec('5x5').tiles).toBe(25);
  });

  it('custom layout: cols × rows clamped to 1…8, kept in the store, restored when picked again', () => {
    const store = createLayoutStore();
    store.getState().syncCameras(['a', 'b', 'c']);
    store.getState().setCustom(4, 2);
    expect(store.getState()).toMatchObject({ layoutId: 'custom', custom: { cols: 4, rows: 2 } });
    expect(currentSpec(store.getState())).toMatchObject({ label: '4×2', tiles: 8 });
    expect(store.getState().tiles).toEqual(['a', 'b', 'c', null, null, null, null, null]);
    store.getState().setLayout('1x1');
    store.getState().setLayout('custom');
    expect(currentSpec(store.getState()).tiles).toBe(8);
    store.getState().setCustom(20, 0);
    expect(store.getState().custom).toEqual({ cols: 8, rows: 1 });
    expect(store.getState().tiles).toHaveLength(8);
  });

  it('swapTiles swaps two tiles (also with an empty one) and ignores bad indexes', () => {
    const store = createLayoutStore();
    store.getState().syncCameras(['a', 'b', 'c']);
    store.getState().swapTiles(0, 2);
    expect(store.getState().tiles).toEqual(['c', 'b', 'a', null]);
    store.getState().swapTiles(1, 3);
    expect(store.getState().tiles).toEqual(['c', null, 'a', 'b']);
    expect(store.getState()).toMatchObject({ pinned: true, selectedTile: 3 });
    const before = store.getState().tiles;
    store.getState().swapTiles(0, 9);
    store.getState().swapTiles(2, 2);
    expect(store.getState().tiles).toBe(before);
  });

  it('applying a view sets layout and tiles; missing cameras become empty tiles; no auto-fill', () => {
    const store = createLayoutStore();
    store.getState().syncCameras(['a', 'b', 'c']);
    store
      .getState()
      .applyView({ id: 'v1', layout: 'custom', cols: 2, rows: 1, tiles: ['gone', 'b'] }, [
        'a',
        'b',
        'c',
      ]);
    expect(store.getState()).toMatchObject({
      layoutId: 'custom',
      custom: { cols: 2, rows: 1 },
      tiles: [null, 'b'],
      activeViewId: 'v1',
      viewEdited: false,
    });
    // A view is exact: sync does not fill its empty tile, but drops a camera deleted later.
    store.getState().syncCameras(['a', 'b', 'c', 'd']);
    expect(store.getState().tiles).toEqual([null, 'b']);
    store.getState().syncCameras(['a', 'c']);
    expect(store.getState().tiles).toEqual([null, null]);
    // Short tile lists are padded; editing marks the view as edited.
    store.getState().applyView({ id: 'v2', layout: '1+7', tiles: ['a'] });
    expect(store.getState().tiles).toEqual(['a', null, null, null, null, null, null, null]);
    store.getState().swapTiles(0, 7);
    expect(store.getState().viewEdited).toBe(true);
    // Back to all cameras: auto-filled again.
    store.getState().showAllCameras(['a', 'c']);
    expect(store.getState()).toMatchObject({ activeViewId: null, layoutId: '1+7' });
    expect(store.getState().tiles.slice(0, 3)).toEqual(['a', 'c', null]);
  });
});
