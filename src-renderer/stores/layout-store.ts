// Grid layout state: which layout is active, which camera sits in which tile, which tile is maximized.
// Pure zustand (vanilla) store; it knows camera ids only, never camera objects or the API.
import { createStore } from 'zustand/vanilla';

export type LayoutId = '1x1' | '2x2' | '3x3' | '4x4' | '1+5';

export interface LayoutSpec {
  id: LayoutId;
  label: string;
  cols: number;
  rows: number;
  /** Number of tiles; for '1+5' the first tile spans 2×2 cells. */
  tiles: number;
  /** The first tile spans this many columns and rows. */
  leadSpan: number;
}

/** Layouts in keyboard order: key `1` picks LAYOUTS[0], … `5` picks LAYOUTS[4]. */
export const LAYOUTS: readonly LayoutSpec[] = [
  { id: '1x1', label: '1×1', cols: 1, rows: 1, tiles: 1, leadSpan: 1 },
  { id: '2x2', label: '2×2', cols: 2, rows: 2, tiles: 4, leadSpan: 1 },
  { id: '3x3', label: '3×3', cols: 3, rows: 3, tiles: 9, leadSpan: 1 },
  { id: '4x4', label: '4×4', cols: 4, rows: 4, tiles: 16, leadSpan: 1 },
  { id: '1+5', label: '1+5', cols: 3, rows: 3, tiles: 6, leadSpan: 2 },
];

export function layoutSpec(id: LayoutId): LayoutSpec {
  return LAYOUTS.find((l) => l.id === id) ?? LAYOUTS[1]!;
}

export interface LayoutState {
  layoutId: LayoutId;
  /** Camera id per tile (index = tile), null for an empty tile. Always `layoutSpec(layoutId).tiles` long. */
  tiles: (string | null)[];
  /** True once the user placed or cleared a tile by hand: auto-fill then only places cameras that are new. */
  pinned: boolean;
  /** Camera ids seen by syncCameras, to tell a newly added camera from one the user took off the grid. */
  knownIds: string[];
  /** Tile index shown alone (double-click), or null. */
  maximizedTile: number | null;
  selectedTile: number | null;
  setLayout(id: LayoutId): void;
  /** Fills empty tiles with cameras not yet shown, in the given order; drops ids that no longer exist. */
  syncCameras(cameraIds: readonly string[]): void;
  /** Puts a camera in a tile; if it was shown in another tile, the two tiles swap. */
  placeCamera(tile: number, cameraId: string): void;
  clearTile(tile: number): void;
  selectTile(tile: number | null): void;
  toggleMaximize(tile: number): void;
  restore(): void;
}

function resize(tiles: (string | null)[], count: number): (string | null)[] {
  const next = tiles.slice(0, count);
  while (next.length < count) next.push(null);
  return next;
}

export function createLayoutStore(initial: LayoutId = '2x2') {
  return createStore<LayoutState>()((set) => ({
    layoutId: initial,
    tiles: resize([], layoutSpec(initial).tiles),
    pinned: false,
    knownIds: [],
    maximizedTile: null,
    selectedTile: null,
    setLayout: (id) =>
      set((s) => ({
        layoutId: id,
        // Keep cameras that were shown beyond the new tile count so switching back restores them.
        tiles: resize(compact(s.tiles, layoutSpec(id).tiles), layoutSpec(id).tiles),
        maximizedTile: null,
        selectedTile:
          s.selectedTile !== null && s.selectedTile < layoutSpec(id).tiles ? s.selectedTile : null,
      })),
    syncCameras: (cameraIds) =>
      set((s) => {
        const known = new Set(cameraIds);
        const tiles = s.tiles.map((id) => (id !== null && known.has(id) ? id : null));
        const shown = new Set(tiles.filter((id): id is string => id !== null));
        const before = new Set(s.knownIds);
        const waiting = cameraIds.filter((id) => !shown.has(id) && (!s.pinned || !before.has(id)));
        for (let i = 0; i < tiles.length && waiting.length > 0; i++)
          if (tiles[i] === null) tiles[i] = waiting.shift()!;
        const same = tiles.every((id, i) => id === s.tiles[i]);
        const knownIds = [...cameraIds];
        return same ? { knownIds } : { tiles, knownIds };
      }),
    placeCamera: (tile, cameraId) =>
      set((s) => {
        if (tile < 0 || tile >= s.tiles.length) return s;
        const tiles = s.tiles.slice();
        const from = tiles.indexOf(cameraId);
        if (from === tile) return s;
        if (from >= 0) tiles[from] = tiles[tile] ?? null;
        tiles[tile] = cameraId;
        return { tiles, pinned: true, selectedTile: tile };
      }),
    clearTile: (tile) =>
      set((s) => {
        if (tile < 0 || tile >= s.tiles.length) return s;
        const tiles = s.tiles.slice();
        tiles[tile] = null;
        return {
          tiles,
          pinned: true,
          maximizedTile: s.maximizedTile === tile ? null : s.maximizedTile,
        };
      }),
    selectTile: (tile) => set({ selectedTile: tile }),
    toggleMaximize: (tile) =>
      set((s) => ({ maximizedTile: s.maximizedTile === tile ? null : tile, selectedTile: tile })),
    restore: () => set({ maximizedTile: null }),
  }));
}

/** Shrinks a tile list to `count` while keeping as many cameras as fit (empty tiles are dropped first). */
function compact(tiles: (string | null)[], count: number): (string | null)[] {
  if (tiles.length <= count) return tiles;
  const kept = tiles.slice(0, count);
  const overflow = tiles.slice(count).filter((id): id is string => id !== null);
  for (let i = 0; i < kept.length && overflow.length > 0; i++)
    if (kept[i] === null) kept[i] = overflow.shift()!;
  return kept;
}

export type LayoutStore = ReturnType<typeof createLayoutStore>;
