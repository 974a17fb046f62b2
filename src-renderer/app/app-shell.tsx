// The one window: top bar, camera sidebar, grid in the middle, timeline at the bottom (UI.md). Wires the
// panes to the stores, runs the 10 Hz clock tick and the keyboard shortcuts; dialogs open over it.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { CameraGrid } from '../features/grid';
import { TimelinePanel } from '../features/timeline';
import { ExportDialog } from '../features/export';
import { AddCameraDialog, CameraSettingsDialog } from '../features/cameras';
import { StatusDialog } from '../features/status';
import type { Transport } from '../api';
import { timeStore, useCameras } from '../stores';
import { useApi } from './api-context';
import { Sidebar } from './sidebar';
import { TopBar } from './top-bar';
import './shell.css';
import { useHotkeys } from './use-hotkeys';

type Panel = 'export' | 'settings' | 'add-camera' | { camera: string } | null;

export function AppShell() {
  const api = useApi();
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [panel, setPanel] = useState<Panel>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const t = setInterval(() => timeStore.getState().tick(), 100);
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
      />
      <Sidebar
        open={drawerOpen}
        onAddCamera={addCamera}
        onPicked={() => setDrawerOpen(false)}
        searchRef={searchRef}
      />
      {drawerOpen && <div className="scrim" onClick={() => setDrawerOpen(false)} />}
      <CameraGrid api={api} onOpenSettings={openSettingsFor} onAddCamera={addCamera} />
      <TimelinePanel api={api} />
      {panel === 'export' && <ExportDialog api={api} onClose={close} />}
      {panel === 'add-camera' && <AddCameraDialog api={api} onClose={close} />}
      {panel !== null && typeof panel === 'object' && (
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
