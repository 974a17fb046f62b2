// The one window: top bar, camera sidebar, grid in the middle, timeline at the bottom (UI.md). Wires the
// panes to the stores, runs the 10 Hz clock tick and the keyboard shortcuts; dialogs open over it.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { CameraGrid } from '../features/grid';
import { TimelinePanel } from '../features/timeline';
import { ExportDialog } from '../features/export';
import { groupHoldMs } from '../features/playback';
import { AddCameraDialog, CameraSettingsDialog } from '../features/cameras';
import { StatusDialog } from '../features/status';
import { FirstRunDialog, UsersDialog } from '../features/users';
import { currentWallHash, enterWall, toggleFullscreen } from '../features/wall';
import type { Transport } from '../api';
import { loadSession, sessionStore, timeStore, useCameras, useIsAdmin } from '../stores';
import { useApi } from './api-context';
import { Sidebar } from './sidebar';
import { TopBar } from './top-bar';
import './shell.css';
import { useHotkeys } from './use-hotkeys';

type Panel = 'export' | 'settings' | 'add-camera' | 'users' | { camera: string } | null;
const FIRST_RUN_LATER_KEY = 'nvr.firstRun.later';

export function AppShell() {
  const api = useApi();
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [panel, setPanel] = useState<Panel>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const jumpRef = useRef<((dir: 'prev' | 'next') => void) | null>(null);
  // Viewers get no admin controls (add camera, settings, delete, wizard, users); the engine refuses anyway.
  const admin = useIsAdmin();
  const [firstRun, setFirstRun] = useState<'required' | 'invite' | null>(null);

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      await loadSession(sessionStore, () => api.whoami());
      const id = sessionStore.getState().identity;
      // No login here (desktop window, loopback-open): offer to create the first admin if none exists.
      if (cancelled || !id || id.authMode === 'required') return;
      const setup = await api.getAuthSetup().catch(() => undefined);
      if (cancelled || !setup || setup.adminExists) return;
      if (id.authMode === 'ipc') setFirstRun('required');
      else if (sessionStorage.getItem(FIRST_RUN_LATER_KEY) !== '1') setFirstRun('invite');
    })();
    // A session that expires while nobody clicks still leads to the login page (any 401 does).
    const check =
      api.kind === 'http' ? setInterval(() => void api.whoami().catch(() => {}), 30_000) : 0;
    return () => {
      cancelled = true;
      clearInterval(check);
    };
  }, [api]);

  useEffect(() => {
    // The playhead advances, held back by the slowest playback tile (features/playback/sync-group).
    const t = setInterval(() => {
      const s = timeStore.getState();
      s.tick(s.mode === 'playback' ? groupHoldMs() : undefined);
    }, 100);
    return () => clearInterval(t);
  }, []);

  const targets = useMemo(
    () => ({
      focusSearch: () => {
        setDrawerOpen(true);
        // The drawer may be sliding in on small screens: focus after it is in the layout.
        requestAnimationFrame(() => searchRef.current?.focus());
      },
      openExport: () => setPanel('export'),
      jumpRecording: (dir: 'prev' | 'next') => jumpRef.current?.(dir),
      toggleFullscreen,
      enterWall: () => enterWall(currentWallHash()),
    }),
    [],
  );
  useHotkeys(targets);

  const close = useCallback(() => setPanel(null), []);
  const openSettingsFor = useCallback((camera: string) => setPanel({ camera }), []);
  const addCamera = useCallback(() => setPanel('add-camera'), []);

  return (
    <div className="app">
      <TopBar
        onToggleSidebar={() => setDrawerOpen((o) => !o)}
        onExport={() => setPanel('export')}
        onSettings={() => setPanel('settings')}
        onUsers={() => setPanel('users')}
      />
      <Sidebar
        open={drawerOpen}
        {...(admin ? { onAddCamera: addCamera } : {})}
        onPicked={() => setDrawerOpen(false)}
        searchRef={searchRef}
      />
      {drawerOpen && <div className="scrim" onClick={() => setDrawerOpen(false)} />}
      <CameraGrid
        api={api}
        {...(admin ? { onOpenSettings: openSettingsFor, onAddCamera: addCamera } : {})}
      />
      <TimelinePanel api={api} jumpRef={jumpRef} />
      {panel === 'export' && <ExportDialog api={api} onClose={close} />}
      {panel === 'add-camera' && admin && <AddCameraDialog api={api} onClose={close} />}
      {panel === 'users' && admin && <UsersDialog api={api} onClose={close} />}
      {firstRun && (
        <FirstRunDialog
          api={api}
          required={firstRun === 'required'}
          onDone={() => setFirstRun(null)}
          onDismiss={() => {
            sessionStorage.setItem(FIRST_RUN_LATER_KEY, '1');
            setFirstRun(null);
          }}
        />
      )}
      {panel !== null && typeof panel === 'object' && admin && (
        <SettingsFor api={api} cameraId={panel.camera} onClose={close} />
      )}
      {panel === 'settings' && <StatusDialog api={api} onClose={close} />}
    </div>
  );
}

function SettingsFor({
  api,
  cameraId,
  onClose,
}: {
  api: Transport;
  cameraId: string;
  onClose(): void;
}) {
  const camera = useCameras((s) => s.cameras.find((c) => c.id === cameraId));
  if (!camera) return null;
  return <CameraSettingsDialog api={api} camera={camera} onClose={onClose} />;
}
