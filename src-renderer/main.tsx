// Renderer entry: picks the transport (IPC in Electron, HTTP + WebSocket in a browser), starts the
// engine→stores sync and mounts the app shell (or wall mode on `#/wall`).
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import './styles.css'; // base theme first: pane styles (imported by their components) build on it
import { createApiClient } from './api';
import { ApiProvider, AppShell, startEngineSync, warmStartGrid } from './app';
import { startViewsSync } from './features/views';
import { WallScreen, isWallHash } from './features/wall';

const api = createApiClient();
// A window that opens on `#/wall` keeps the app's own grid as it was (no view restored into it).
const openedOnWall = isWallHash(location.hash);
// The first grid's live sessions start as soon as the cameras are known, ahead of the first render:
// their offers are made first thing, while the cameras load.
if (!openedOnWall) warmStartGrid(api);
startEngineSync(api);
startViewsSync(api, { restore: !openedOnWall });

/** `#/wall…` shows wall mode, anything else the app. An Electron wall window (opened on `#/wall`) has no exit. */
function Routes() {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const onHash = () => setHash(location.hash);
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  if (!isWallHash(hash)) return <AppShell />;
  const embedded = api.kind === 'ipc' && openedOnWall;
  return (
    <WallScreen
      api={api}
      hash={hash}
      {...(embedded ? {} : { onExit: () => (location.hash = '') })}
    />
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <ApiProvider api={api}>
      <Routes />
    </ApiProvider>
  </StrictMode>,
);
