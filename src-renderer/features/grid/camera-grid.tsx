// The centre pane: tiles of the current layout sized to the largest 16:9 cell that fits, one tile
// maximized on double-click. Reads the layout and camera stores; owns no state of its own beyond size.
import { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import {
  camerasStore,
  layoutSpec,
  layoutStore,
  useCameras,
  useConnection,
  useLayout,
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
  onOpenSettings(cameraId: string): void;
  onAddCamera(): void;
}

export function CameraGrid({ api, onOpenSettings, onAddCamera }: CameraGridProps) {
  const paneRef = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ w: 0, h: 0 });
  const layoutId = useLayout((s) => s.layoutId);
  const tiles = useLayout((s) => s.tiles);
  const maximizedTile = useLayout((s) => s.maximizedTile);
  const selectedTile = useLayout((s) => s.selectedTile);
  const cameras = useCameras((s) => s.cameras);
  const statuses = useCameras((s) => s.statuses);
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

  const spec = layoutSpec(layoutId);
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

  const onSelect = useCallback((i: number) => {
    layoutStore.getState().selectTile(i);
    const id = layoutStore.getState().tiles[i];
    if (id) camerasStore.getState().select(id);
  }, []);
  const onToggleMaximize = useCallback((i: number) => layoutStore.getState().toggleMaximize(i), []);
  const onDropCamera = useCallback(
    (i: number, id: string) => layoutStore.getState().placeCamera(i, id),
    [],
  );

  const shown = single ? [maximizedTile] : tiles.map((_, i) => i);
  const span = single ? 1 : spec.leadSpan;

  return (
    <main className="grid-pane" ref={paneRef} aria-label="Camera grid">
      {link === 'offline' && (
        <div className="banner" role="alert">
          <IconWarning size={14} /> Engine unreachable{lastError ? `: ${lastError}` : ''}. Retrying…
        </div>
      )}
      <div
        className="grid"
        data-layout={single ? 'maximized' : layoutId}
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
              style={lead ? { gridColumn: `span ${span}`, gridRow: `span ${span}` } : {}}
              onSelect={onSelect}
              onToggleMaximize={onToggleMaximize}
              onDropCamera={onDropCamera}
              onOpenSettings={onOpenSettings}
              onAddCamera={onAddCamera}
            />
          );
        })}
      </div>
    </main>
  );
}
