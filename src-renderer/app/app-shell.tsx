// The one window: top bar, camera sidebar, grid in the middle, timeline at the bottom (UI.md). Wires the
// panes to the stores, runs the 10 Hz clock tick and the keyboard shortcuts; panels not built yet say so.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { CameraGrid } from '../features/grid';
import { TimelinePanel } from '../features/timeline';
import { Dialog } from '../components';
import { timeStore, useCameras, useConnection } from '../stores';
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
      <CameraGrid onOpenSettings={openSettingsFor} onAddCamera={addCamera} />
      <TimelinePanel api={api} />
      {panel !== null && <PanelDialog panel={panel} onClose={close} />}
    </div>
  );
}

/** Placeholder panels: the export dialog, the wizard and settings arrive in their own issues. */
function PanelDialog({ panel, onClose }: { panel: Exclude<Panel, null>; onClose(): void }) {
  const cameras = useCameras((s) => s.cameras);
  const transport = useConnection((s) => s.transport);
  const version = useConnection((s) => s.version);
  const link = useConnection((s) => s.link);
  if (panel === 'export')
    return (
      <Dialog title="Export" onClose={onClose}>
        Pick a range on the timeline, then choose cameras. Export is not available in this build
        yet.
      </Dialog>
    );
  if (panel === 'add-camera')
    return (
      <Dialog title="Add camera" onClose={onClose}>
        The wizard (scan the network with ONVIF, or enter an RTSP URL) is not available in this
        build yet.
      </Dialog>
    );
  if (panel === 'settings')
    return (
      <Dialog title="Settings and status" onClose={onClose}>
        <dl>
          <dt>Engine</dt>
          <dd>
            {link} {version ? `· v${version}` : ''}
          </dd>
          <dt>Transport</dt>
          <dd>{transport === 'ipc' ? 'Desktop (IPC)' : 'Browser (HTTP + WebSocket)'}</dd>
          <dt>Cameras</dt>
          <dd>{cameras.length}</dd>
        </dl>
      </Dialog>
    );
  const cam = cameras.find((c) => c.id === panel.camera);
  return (
    <Dialog title={`Camera settings — ${cam?.name ?? panel.camera}`} onClose={onClose}>
      <dl>
        <dt>Main stream</dt>
        <dd>{cam?.streams.main.url ?? '—'}</dd>
        <dt>Sub stream</dt>
        <dd>{cam?.streams.sub?.url ?? '—'}</dd>
        <dt>User</dt>
        <dd>{cam?.username ?? '—'}</dd>
        <dt>Recording</dt>
        <dd>{cam ? `${cam.recording.mode}, ${cam.recording.retentionDays} days` : '—'}</dd>
      </dl>
    </Dialog>
  );
}
