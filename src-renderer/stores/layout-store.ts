// Grid layout state: which layout is active (incl. a custom cols × rows), which camera sits in which tile,
// which tile is maximized, which saved view was applied. Pure zustand (vanilla) store; camera ids only.
import { createStore } from 'zustand/vanilla';
import type { ViewLayout } from '../../src-preload/contract';

export type LayoutId = ViewLayout;

export interface LayoutSpec {
  id: LayoutId;
  label: string;
  cols: number;
  rows: number;
  /** Number of tiles; for '1+5' / '1+7' the first tile spans leadSpan × leadSpan cells. */
  tiles: number;
  /** The first tile spans this many columns and rows. */
  leadSpan: number;
}

/** Largest custom side (the contract's MAX_CUSTOM_SIDE). */
export const MAX_CUSTOM_SIDE = 8;

/** Layouts in keyboard order: key `1` picks LAYOUTS[0], … `8` picks the custom layout. */
export const LAYOUTS: readonly LayoutSpec[] = [
  { id: '1x1', label: '1×1', cols: 1, rows: 1, tiles: 1, leadSpan: 1 },
  { id: '2x2', label: '2×2', cols: 2, rows: 2, tiles: 4, leadSpan: 1 },
  { id: '3x3', label: '3×3', cols: 3, rows: 3, tiles: 9, leadSpan: 1 },
  { id: '4x4', label: '4×4', cols: 4, rows: 4, tiles: 16, leadSpan: 1 },
  { id: '5x5', label: '5×5', cols: 5, rows: 5, tiles: 25, leadSpan: 1 },
  { id: '1+5', label: '1+5', cols: 3, rows: 3, tiles: 6, leadSpan: 2 },
  { id: '1+7', label: '1+7', cols: 4, rows: 4, tiles: 8, leadSpan: 3 },
  { id: 'custom', label: 'Custom', cols: 3, rows: 2, tiles: 6, leadSpan: 1 },
];

export interface GridSize {
  cols: number;
  rows: number;
}

const clampSide = (n: number) => Math.min(MAX_CUSTOM_SIDE, Math.max(1, Math.round(n) || 1));

/** The spec of a layout; `custom` takes its size from `custom` (3 × 2 by default). */
export function layoutSpec(id: LayoutId, custom?: GridSize): LayoutSpec {
  const fixed = LAYOUTS.find((l) => l.id === id) ?? LAYOUTS[1]!;
  if (id !== 'custom' || !custom) return fixed;
  const cols = clampSide(custom.cols);
  const rows = clampSide(custom.rows);
  return { ...fixed, label: `${cols}×${rows}`, cols, rows, tiles: cols * rows };
}

/** What applyView needs of a saved view (the contract's View). */
export interface ViewArrangement {
  id: string;
  layout: LayoutId;
  cols?: number | undefined;
  rows?: number | undefined;
  tiles: (string | null)[];
}

export interface LayoutState {
  layoutId: LayoutId;
  /** Size of the custom layout (kept while another layout is shown). */
  custom: GridSize;
  /** Camera id per tile (index = tile), null for an empty tile. Always `currentSpec(state).tiles` long. */
  tiles: (string | null)[];
  /** True once the user placed or cleared a tile by hand: auto-fill then only places cameras that are new. */
  pinned: boolean;
  /** Camera ids seen by syncCameras, to tell a newly added camera from one the user took off the grid. */
  knownIds: string[];
  /** Tile index shown alone (double-click), or null. */
  maximizedTile: number | null;
  selectedTile: number | null;
  /** The saved view last applied (null: the automatic "All cameras" grid). */
  activeViewId: string | null;
  /** True when the grid was changed by hand since the view was applied. */
  viewEdited: boolean;
  /** Page of the automatic grid (cameras beyond one layout's tiles are on later pages). */
  page: number;
  /** Cameras added while a saved view was active (not shown by it): announced until shown or dismissed. */
  newIds: string[];
  /** Shows page `page` of the automatic grid (clamped). */
  setPage(page: number): void;
  /** Forgets the "new camera" announcement. */
  dismissNew(): void;
  /** Back to the automatic grid, on the page that shows `cameraId`. */
  revealCamera(cameraIds: readonly string[], cameraId: string): void;
  setLayout(id: LayoutId): void;
  /** Switches to the custom layout with this many columns and rows (1…8 each). */
  setCustom(cols: number, rows: number): void;
  /** Fills empty tiles with cameras not yet shown, in the given order; drops ids that no longer exist. */
  syncCameras(cameraIds: readonly string[]): void;
  /** Puts a camera in a tile; if it was shown in another tile, the two tiles swap. */
  placeCamera(tile: number, cameraId: string): void;
  /** Swaps two tiles (drag a tile onto another). */
  swapTiles(from: number, to: number): void;
  clearTile(tile: number): void;
  selectTile(tile: number | null): void;
  toggleMaximize(tile: number): void;
  restore(): void;
  /** Shows a saved view; cameras not in `knownIds` (deleted, or out of this user's scope) become empty tiles. */
  applyView(view: ViewArrangement, knownIds?: readonly string[]): void;
  /** Leaves the saved view: back to the automatic grid of all cameras. */
  showAllCameras(cameraIds: readonly string[]): void;
}

/** The spec of the layout the state shows. */
export function currentSpec(s: Pick<LayoutState, 'layoutId' | 'custom'>): LayoutSpec {
  return layoutSpec(s.layoutId, s.custom);
}

function resize(tiles: (string | null)[], count: number): (string | null)[] {
  const next = tiles.slice(0, count);
  while (next.length < count) next.push(null);
  return next;
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

/** Pages of the automatic grid: every camera reachable, `count` per page. */
export function autoPageCount(cameraCount: number, count: number): number {
  return Math.max(1, Math.ceil(cameraCount / Math.max(1, count)));
}

/** Pages the grid offers: only the automatic grid (no saved view, not arranged by hand) pages. */
export function pageCount(
  s: Pick<LayoutState, 'layoutId' | 'custom' | 'activeViewId' | 'pinned' | 'knownIds'>,
): number {
  if (s.activeViewId !== null || s.pinned) return 1;
  return autoPageCount(s.knownIds.length, currentSpec(s).tiles);
}

/**
 * The tiles of page `page` of the automatic grid: that page's cameras, those already shown staying in
 * their tile (their live sessions keep running), the others filling the empty tiles in order.
 */
function pageTiles(
  current: (string | null)[],
  ids: readonly string[],
  count: number,
  page: number,
): (string | null)[] {
  const want = ids.slice(page * count, page * count + count);
  const wanted = new Set(want);
  const kept = resize(
    current.slice(0, count).map((id) => (id !== null && wanted.has(id) ? id : null)),
    count,
  );
  return fill(kept, want);
}

const clampPage = (page: number, pages: number) =>
  Math.min(Math.max(0, Math.floor(page) || 0), pages - 1);

/** Fills empty tiles with `ids` not shown yet, in order. */
function fill(tiles: (string | null)[], ids: readonly string[]): (string | null)[] {
  const shown = new Set(tiles);
  const waiting = ids.filter((id) => !shown.has(id));
  return tiles.map((t) => (t === null && waiting.length > 0 ? waiting.shift()! : t));
}

export function createLayoutStore(initial: LayoutId = '2x2') {
  return createStore<LayoutState>()((set) => {
    const withLayout = (s: LayoutState, id: LayoutId, custom: GridSize): Partial<LayoutState> => {
      const count = layoutSpec(id, custom).tiles;
      let tiles: (string | null)[];
      let page = 0;
      if (s.activeViewId === null && !s.pinned) {
        // The automatic grid: the same cameras from the first one shown, every camera on some page.
        const first = s.knownIds.indexOf(s.tiles.find((t) => t !== null) ?? '');
        page = clampPage(
          first < 0 ? 0 : Math.floor(first / count),
          autoPageCount(s.knownIds.length, count),
        );
        tiles = pageTiles(s.tiles, s.knownIds, count, page);
      } else {
        // Keep cameras that were shown beyond the new tile count so switching back restores them.
        tiles = resize(compact(s.tiles, count), count);
        // Arranged by hand (no saved view): new tiles of a larger layout take cameras not shown.
        if (s.activeViewId === null && tiles.length > s.tiles.length) {
          const grown = fill(
            tiles.slice(s.tiles.length),
            s.knownIds.filter((k) => !tiles.includes(k)),
          );
          tiles = [...tiles.slice(0, s.tiles.length), ...grown];
        }
      }
      return {
        layoutId: id,
        custom,
        tiles,
        page,
        maximizedTile: null,
        selectedTile: s.selectedTile !== null && s.selectedTile < count ? s.selectedTile : null,
        viewEdited: s.activeViewId !== null,
      };
    };
    return {
      layoutId: initial,
      custom: { cols: 3, rows: 2 },
      tiles: resize([], layoutSpec(initial).tiles),
      pinned: false,
      knownIds: [],
      maximizedTile: null,
      selectedTile: null,
      activeViewId: null,
      viewEdited: false,
      page: 0,
      newIds: [],
      setLayout: (id) => set((s) => withLayout(s, id, s.custom)),
      setCustom: (cols, rows) =>
        set((s) => withLayout(s, 'custom', { cols: clampSide(cols), rows: clampSide(rows) })),
      syncCameras: (cameraIds) =>
        set((s) => {
          const known = new Set(cameraIds);
          let tiles = s.tiles.map((id) => (id !== null && known.has(id) ? id : null));
          const before = new Set(s.knownIds);
          // Cameras a saved view does not show, added since it was applied: announce them.
          const added = s.knownIds.length > 0 ? cameraIds.filter((id) => !before.has(id)) : [];
          const newIds =
            s.activeViewId === null
              ? []
              : [...s.newIds.filter((id) => known.has(id)), ...added].filter(
                  (id) => !tiles.includes(id),
                );
          const count = tiles.length;
          if (s.activeViewId === null && !s.pinned) {
            const page = clampPage(s.page, autoPageCount(cameraIds.length, count));
            tiles = pageTiles(tiles, cameraIds, count, page);
            const same = page === s.page && tiles.every((id, i) => id === s.tiles[i]);
            return same
              ? { knownIds: [...cameraIds], newIds }
              : { tiles, page, knownIds: [...cameraIds], newIds };
          }
          // A saved view is exact: it never auto-fills.
          if (s.activeViewId === null) {
            tiles = fill(
              tiles,
              cameraIds.filter((id) => !s.pinned || !before.has(id)),
            );
          }
          const same = tiles.every((id, i) => id === s.tiles[i]);
          const knownIds = [...cameraIds];
          return same ? { knownIds, newIds } : { tiles, knownIds, newIds };
        }),
      setPage: (page) =>
        set((s) => {
          const next = clampPage(page, pageCount(s));
          if (next === s.page) return s;
          return {
            page: next,
            tiles: pageTiles(s.tiles, s.knownIds, s.tiles.length, next),
            maximizedTile: null,
            selectedTile: null,
          };
        }),
      dismissNew: () => set({ newIds: [] }),
      revealCamera: (cameraIds, cameraId) =>
        set((s) => {
          const count = currentSpec(s).tiles;
          const at = Math.max(0, cameraIds.indexOf(cameraId));
          const page = Math.floor(at / count);
          return {
            activeViewId: null,
            viewEdited: false,
            pinned: false,
            maximizedTile: null,
            knownIds: [...cameraIds],
            newIds: s.newIds.filter((id) => id !== cameraId),
            page,
            tiles: pageTiles(resize([], count), cameraIds, count, page),
            selectedTile: Math.max(0, at - page * count),
          };
        }),
      placeCamera: (tile, cameraId) =>
        set((s) => {
          if (tile < 0 || tile >= s.tiles.length) return s;
          const tiles = s.tiles.slice();
          const from = tiles.indexOf(cameraId);
          if (from === tile) return s;
          if (from >= 0) tiles[from] = tiles[tile] ?? null;
          tiles[tile] = cameraId;
          return { tiles, pinned: true, selectedTile: tile, viewEdited: s.activeViewId !== null };
        }),
      swapTiles: (from, to) =>
        set((s) => {
          const n = s.tiles.length;
          if (from === to || from < 0 || to < 0 || from >= n || to >= n) return s;
          const tiles = s.tiles.slice();
          [tiles[from], tiles[to]] = [tiles[to] ?? null, tiles[from] ?? null];
          return { tiles, pinned: true, selectedTile: to, viewEdited: s.activeViewId !== null };
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
            viewEdited: s.activeViewId !== null,
          };
        }),
      selectTile: (tile) => set({ selectedTile: tile }),
      toggleMaximize: (tile) =>
        set((s) => ({ maximizedTile: s.maximizedTile === tile ? null : tile, selectedTile: tile })),
      restore: () => set({ maximizedTile: null }),
      applyView: (view, knownIds) =>
        set((s) => {
          const custom =
            view.layout === 'custom'
              ? { cols: clampSide(view.cols ?? 3), rows: clampSide(view.rows ?? 2) }
              : s.custom;
          const count = layoutSpec(view.layout, custom).tiles;
          const known = knownIds ? new Set(knownIds) : undefined;
          const tiles = resize(
            view.tiles.map((id) => (id !== null && (!known || known.has(id)) ? id : null)),
            count,
          );
          return {
            layoutId: view.layout,
            custom,
            tiles,
            pinned: true,
            maximizedTile: null,
            selectedTile: null,
            activeViewId: view.id,
            viewEdited: false,
            page: 0,
            newIds: [],
          };
        }),
      showAllCameras: (cameraIds) =>
        set((s) => ({
          activeViewId: null,
          viewEdited: false,
          pinned: false,
          maximizedTile: null,
          knownIds: [...cameraIds],
          page: 0,
          newIds: [],
          tiles: fill(resize([], currentSpec(s).tiles), cameraIds),
        })),
    };
  });
}

export type LayoutStore = ReturnType<typeof createLayoutStore>;
