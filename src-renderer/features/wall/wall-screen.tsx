// Wall mode: the grid alone, fullscreen, for a display on the wall: no top bar, sidebar or timeline; pages
// rotate every N s; a clock in a corner; a red banner names any camera that is offline and why.
import { useEffect, useMemo, useState } from 'react';
import type { Transport } from '../../api';
import { createLayoutStore, timeStore, useCameras, useConnection, useViews } from '../../stores';
import { IconWarning } from '../../components';
import { CameraGrid } from '../grid';
import { exitFullscreen, toggleFullscreen } from './fullscreen';
import {
  offlineWords,
  pageIndexAt,
  parseWallHash,
  wallPages,
  type OfflineWords,
} from './wall-pages';
import './wall.css';

export interface WallScreenProps {
  api: Transport;
  /** The route's hash (`#/wall?…`). */
  hash: string;
  /** Leaves wall mode; absent in an Electron wall window (there the wall is the whole window). */
  onExit?: () => void;
}

const noop = () => undefined;

export function WallScreen({ api, hash, onExit }: WallScreenProps) {
  const params = useMemo(() => parseWallHash(hash), [hash]);
  const store = useMemo(() => createLayoutStore(), []);
  const cameras = useCameras((s) => s.cameras);
  const statuses = useCameras((s) => s.statuses);
  const views = useViews((s) => s.views);
  const cameraIds = useMemo(() => cameras.filter((c) => c.enabled).map((c) => c.id), [cameras]);
  // Named views: wait for them (and for the cameras) rather than flash all cameras first.
  const camerasLoading = useCameras((s) => s.loadState === 'idle' || s.loadState === 'loading');
  const viewsLoading = useViews((s) => s.loadState === 'idle' || s.loadState === 'loading');
  const waiting = camerasLoading || (params.viewIds.length > 0 && viewsLoading);
  const pages = useMemo(() => wallPages(params, cameraIds, views), [params, cameraIds, views]);
  const [page, setPage] = useState(0);

  // The wall shows live video.
  useEffect(() => timeStore.getState().goLive(), []);

  // The pointer hides after 3 s without moving (a wall is watched, not used); moving shows it again.
  const [idle, setIdle] = useState(false);
  useEffect(() => {
    let timer = setTimeout(() => setIdle(true), 3000);
    const onMove = () => {
      setIdle(false);
      clearTimeout(timer);
      timer = setTimeout(() => setIdle(true), 3000);
    };
    window.addEventListener('pointermove', onMove);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('pointermove', onMove);
    };
  }, []);

  useEffect(() => {
    const startMs = Date.now();
    setPage(0);
    if (!params.rotateS || pages.length <= 1) return;
    const t = setInterval(
      () => setPage(pageIndexAt(Date.now() - startMs, params.rotateS, pages.length)),
      250,
    );
    return () => clearInterval(t);
  }, [params.rotateS, pages.length]);

  const shown = pages[Math.min(page, pages.length - 1)]!;
  useEffect(() => {
    store.getState().applyView(
      shown,
      cameras.map((c) => c.id),
    );
  }, [store, shown, cameras]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && onExit) {
        e.preventDefault();
        if (store.getState().maximizedTile !== null) store.getState().restore();
        else {
          exitFullscreen();
          onExit();
        }
      } else if ((e.key === 'f' || e.key === 'F') && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        toggleFullscreen();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onExit, store]);

  const engineDown = useConnection((s) => s.link === 'offline');
  const down = cameras
    .filter((c) => c.enabled)
    .map((c) => offlineWords(c.id, c.name, statuses[c.id]))
    .filter((x): x is OfflineWords => x !== null);

  return (
    <div
      className="wall"
      data-testid="wall"
      data-page={page + 1}
      data-pages={pages.length}
      data-layout={shown.layout}
      data-alert={engineDown || down.length > 0}
      data-idle={idle}
    >
      {waiting ? (
        <div className="wall-wait">Loading cameras…</div>
      ) : (
        <CameraGrid
          api={api}
          store={store}
          chrome={false}
          onOpenSettings={noop}
          onAddCamera={noop}
        />
      )}
      {engineDown && (
        <div className="wall-alert" role="alert" data-testid="wall-engine-alert">
          <IconWarning size={16} />
          <span>
            <b>NVR engine unreachable</b> — retrying…
          </span>
        </div>
      )}
      {!engineDown && down.length > 0 && (
        <div className="wall-alert" role="alert" data-testid="wall-alert">
          <IconWarning size={16} />
          {down.map((d) => (
            <span key={d.id} data-camera-id={d.id}>
              <b>{d.name}</b> offline: {d.reason}
              {d.retrying ? ' · reconnecting' : ''}
            </span>
          ))}
        </div>
      )}
      <div className="wall-corner">
        {pages.length > 1 && (
          <span className="wall-page" data-testid="wall-page">
            {page + 1}/{pages.length}
          </span>
        )}
        <WallClock />
      </div>
      {onExit && (
        <button
          className="wall-exit"
          title="Leave wall mode (Esc)"
          data-testid="wall-exit"
          onClick={() => {
            exitFullscreen();
            onExit();
          }}
        >
          × Exit wall
        </button>
      )}
    </div>
  );
}

function WallClock() {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(t);
  }, []);
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    <span className="wall-clock" data-testid="wall-clock">
      <span className="date">
        {now.getFullYear()}-{pad(now.getMonth() + 1)}-{pad(now.getDate())}
      </span>{' '}
      {pad(now.getHours())}:{pad(now.getMinutes())}:{pad(now.getSeconds())}
    </span>
  );
}
