import { describe, expect, it } from 'vitest';
import {
  autoLayout,
  buildWallHash,
  isWallHash,
  offlineWords,
  pageIndexAt,
  parseWallHash,
  wallPages,
} from './wall-pages';

describe('wall route', () => {
  it('parses view ids, rotation (clamped) and layout, and builds the same hash back', () => {
    expect(isWallHash('#/wall')).toBe(true);
    expect(isWallHash('#/wall?rotate=5')).toBe(true);
    expect(isWallHash('#/wallpaper')).toBe(false);
    expect(isWallHash('')).toBe(false);
    const p = parseWallHash('#/wall?view=lobby,yard&rotate=20&layout=3x3');
    expect(p).toEqual({ viewIds: ['lobby', 'yard'], rotateS: 20, layout: { id: '3x3' } });
    expect(buildWallHash(p)).toBe('#/wall?view=lobby,yard&rotate=20&layout=3x3');
    expect(parseWallHash('#/wall?rotate=0&layout=1+7').rotateS).toBeNull();
    expect(parseWallHash('#/wall?layout=1%2B7').layout).toEqual({ id: '1+7' });
    expect(parseWallHash('#/wall?rotate=0.5').rotateS).toBe(2);
    expect(parseWallHash('#/wall?rotate=nope&layout=3x2').layout).toEqual({
      id: 'custom',
      custom: { cols: 3, rows: 2 },
    });
    expect(parseWallHash('#/wall?layout=9x9&view=../x').layout).toBeNull();
    expect(parseWallHash('#/wall?view=../x').viewIds).toEqual([]);
    expect(buildWallHash({})).toBe('#/wall');
    expect(buildWallHash({ layout: { id: 'custom', custom: { cols: 4, rows: 2 } } })).toBe(
      '#/wall?layout=4x2',
    );
  });
});

describe('wall pages', () => {
  const cams = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];

  it('splits all cameras over pages of the layout, the last one padded', () => {
    const pages = wallPages({ viewIds: [], layout: { id: '2x2' } }, cams, []);
    expect(pages.map((p) => p.tiles)).toEqual([
      ['a', 'b', 'c', 'd'],
      ['e', 'f', 'g', 'h'],
      ['i', 'j', null, null],
    ]);
    const custom = wallPages(
      { viewIds: [], layout: { id: 'custom', custom: { cols: 3, rows: 2 } } },
      cams,
      [],
    );
    expect(custom).toHaveLength(2);
    expect(custom[0]).toMatchObject({ layout: 'custom', cols: 3, rows: 2 });
    expect(wallPages({ viewIds: [], layout: { id: '1+7' } }, cams, [])).toHaveLength(2);
  });

  it('picks a square layout for the camera count; no cameras is one empty page', () => {
    expect([0, 1, 2, 4, 5, 9, 10, 40].map(autoLayout)).toEqual([
      '1x1',
      '1x1',
      '2x2',
      '2x2',
      '3x3',
      '3x3',
      '4x4',
      '4x4',
    ]);
    expect(wallPages({ viewIds: [], layout: null }, cams, [])[0]!.layout).toBe('4x4');
    expect(wallPages({ viewIds: [], layout: null }, [], [])).toEqual([
      { id: 'page-1', layout: '1x1', tiles: [null] },
    ]);
  });

  it('views give one page each, in the given order; unknown views are skipped', () => {
    const views = [
      { id: 'v1', layout: '2x2' as const, tiles: ['a', null] },
      { id: 'v2', layout: 'custom' as const, cols: 2, rows: 1, tiles: ['b', 'c'] },
    ];
    const pages = wallPages({ viewIds: ['v2', 'gone', 'v1'], layout: null }, cams, views);
    expect(pages.map((p) => p.id)).toEqual(['v2', 'v1']);
    expect(pages[0]).toMatchObject({ layout: 'custom', cols: 2, rows: 1 });
    // Only unknown views: fall back to all cameras.
    expect(wallPages({ viewIds: ['gone'], layout: { id: '3x3' } }, cams, views)).toHaveLength(2);
  });

  it('rotates one page per period and wraps around', () => {
    expect(pageIndexAt(0, 20, 3)).toBe(0);
    expect(pageIndexAt(19_999, 20, 3)).toBe(0);
    expect(pageIndexAt(20_000, 20, 3)).toBe(1);
    expect(pageIndexAt(45_000, 20, 3)).toBe(2);
    expect(pageIndexAt(60_000, 20, 3)).toBe(0);
    expect(pageIndexAt(60_000, null, 3)).toBe(0);
    expect(pageIndexAt(60_000, 20, 1)).toBe(0);
    expect(pageIndexAt(-5, 20, 3)).toBe(0);
  });
});

describe('offline banner words', () => {
  it('names failed and reconnecting cameras with the reason; fine ones are null', () => {
    expect(offlineWords('g', 'Gate', { state: 'streaming', streams: {} })).toBeNull();
    expect(offlineWords('g', 'Gate', { state: 'connecting', streams: {} })).toBeNull();
    expect(offlineWords('g', 'Gate', undefined)).toBeNull();
    expect(
      offlineWords('g', 'Gate', {
        state: 'failed',
        streams: {},
        error: { kind: 'auth', message: '401' },
      }),
    ).toEqual({ id: 'g', name: 'Gate', reason: 'wrong password', retrying: false });
    expect(offlineWords('g', 'Gate', { state: 'reconnecting', streams: {} })).toEqual({
      id: 'g',
      name: 'Gate',
      reason: 'connection lost',
      retrying: true,
    });
  });
});
