// The centre pane: tiles of the current layout sized to the largest 16:9 cell that fits, one tile
// maximized on double-click, tiles dragged onto each other swap. Reads the layout and camera stores
// (the app's layout store, or the wall's own); owns no state of its own beyond size.
import { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import {
  camerasStore,
  currentSpec,
  layoutStore as appLayoutStore,
  pageCount,
  useCameras,
  useConnection,
  type LayoutState,
  type LayoutStore,
} from '../../stores';
import { IconWarning } from '../../components';
import type { Transport } from '../../api';
import { fitGrid } from './fit-grid';
import { CameraTile } from './camera-tile';
import './grid.css';

const GAP_PX = 4;
const PAD_PX = 6;

export interface CameraGridProps {
  api: Transport;
  /** Absent for viewers: no gear, no "fix in settings" (admin-only controls). */
  onOpenSettings?(cameraId: string): void;
  /** Absent for viewers: no "Add camera" on the empty grid. */
  onAddCamera?(): void;
  /** The layout to show; the app's layout store by default (wall mode brings its own). */
  store?: LayoutStore;
  /** False in wall mode: no dragging, no gear, no "add camera", no engine banner. */
  chrome?: boolean;
}

export function CameraGrid({
  api,
  onOpenSettings,
  onAddCamera,
  store = appLayoutStore,
  chrome = true,
}: CameraGridProps) {
  const paneRef = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ w: 0, h: 0 });
  const useLayout = <T,>(select: (s: LayoutState) => T): T => useStore(store, select);
  const layoutId = useLayout((s) => s.layoutId);
  const custom = useLayout((s) => s.custom);
  const tiles = useLayout((s) => s.tiles);
  const maximizedTile = useLayout((s) => s.maximizedTile);
  const selectedTile = useLayout((s) => s.selectedTile);
  const cameras = useCameras((s) => s.cameras);
  const statuses = useCameras((s) => s.statuses);
  const page = useLayout((s) => s.page);
  const pages = useLayout(pageCount);
  const newIds = useLayout((s) => s.newIds);
  const link = useConnection((s) => s.link);
  const lastError = useConnection((s) => s.lastError);

  useLayoutEffect(() => {
    const el = paneRef.current;
    if (!el) return;
    const ro = new ResizeObserver(([entry]) => {
      if (entry) setSize({ w: entry.contentRect.width, h: entry.contentRect.height });
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const spec = currentSpec({ layoutId, custom });
  const single = maximizedTile !== null && maximizedTile < tiles.length;
  const cols = single ? 1 : spec.cols;
  const rows = single ? 1 : spec.rows;
  const fit = fitGrid({
    widthPx: size.w,
    heightPx: size.h,
    cols,
    rows,
    gapPx: GAP_PX,
    paddingPx: PAD_PX,
  });
  const byId = useMemo(() => new Map(cameras.map((c) => [c.id, c])), [cameras]);

  const onSelect = useCallback(
    (i: number) => {
      store.getState().selectTile(i);
      const id = store.getState().tiles[i];
      if (id) camerasStore.getState().select(id);
    },
    [store],
  );
  const onToggleMaximize = useCallback((i: number) => store.getState().toggleMaximize(i), [store]);
  const onDropCamera = useCallback(
    (i: number, id: string) => store.getState().placeCamera(i, id),
    [store],
  );
  const onSwapTiles = useCallback(
    (from: number, to: number) => store.getState().swapTiles(from, to),
    [store],
  );

  const shown = single ? [maximizedTile] : tiles.map((_, i) => i);
  const newCams = newIds.map((id) => byId.get(id)).filter((c) => c !== undefined);
  const allIds = () => camerasStore.getState().cameras.map((c) => c.id);
  const span = single ? 1 : spec.leadSpan;

  return (
    <main className="grid-pane" ref={paneRef} aria-label="Camera grid">
      {chrome && link === 'offline' && (
        <div className="banner" role="alert">
          <IconWarning size={14} /> Engine unreachable{lastError ? `: ${lastError}` : ''}. Retrying…
        </div>
      )}
      {chrome && link !== 'offline' && newCams.length > 0 && (
        <div className="banner info" role="status" data-testid="new-camera-note">
          New camera{newCams.length > 1 ? 's' : ''} {newCams.map((c) => `“${c.name}”`).join(', ')}{' '}
          not in this view.
          <button
            className="btn small"
            onClick={() => store.getState().revealCamera(allIds(), newCams[0]!.id)}
          >
            Show {newCams.length > 1 ? newCams[0]!.name : 'it'}
          </button>
          <button className="btn small ghost" onClick={() => store.getState().dismissNew()}>
            Dismiss
          </button>
        </div>
      )}
      {chrome && pages > 1 && !single && (
        <div className="grid-pager" role="group" aria-label="Grid pages" data-testid="grid-pager">
          <button
            className="btn small icon ghost"
            aria-label="Previous page"
            title="Previous page (Page Up)"
            disabled={page === 0}
            onClick={() => store.getState().setPage(page - 1)}
          >
            ‹
          </button>
          <span data-testid="grid-page">
            Page {page + 1} of {pages}
          </span>
          <button
            className="btn small icon ghost"
            aria-label="Next page"
            title="Next page (Page Down)"
            disabled={page >= pages - 1}
            onClick={() => store.getState().setPage(page + 1)}
          >
            ›
          </button>
        </div>
      )}
      <div
        className="grid"
        data-layout={single ? 'maximized' : layoutId}
        data-testid="grid"
        style={{
          gridTemplateColumns: `repeat(${cols}, ${fit.cellWidthPx}px)`,
          gridTemplateRows: `repeat(${rows}, ${fit.cellHeightPx}px)`,
          gap: GAP_PX,
        }}
      >
        {shown.map((i) => {
          const id = tiles[i] ?? null;
          const lead = i === 0 && span > 1;
          return (
            <CameraTile
              key={i}
              api={api}
              index={i}
              camera={id ? byId.get(id) : undefined}
              status={id ? statuses[id] : undefined}
              selected={selectedTile === i}
              maximized={single}
              chrome={chrome}
              style={lead ? { gridColumn: `span ${span}`, gridRow: `span ${span}` } : {}}
              onSelect={onSelect}
              onToggleMaximize={onToggleMaximize}
              onDropCamera={onDropCamera}
              onSwapTiles={onSwapTiles}
              onOpenSettings={onOpenSettings}
              onAddCamera={onAddCamera}
            />
          );
        })}
      </div>
    </main>
  );
}
