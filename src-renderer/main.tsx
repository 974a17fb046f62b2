// Renderer entry: picks the transport (IPC in Electron, HTTP + WebSocket in a browser), starts the
// engine→stores sync and mounts the app shell.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './styles.css'; // base theme first: pane styles (imported by their components) build on it
import { createApiClient } from './api';
import { ApiProvider, AppShell, startEngineSync } from './app';

const api = createApiClient();
startEngineSync(api);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <ApiProvider api={api}>
      <AppShell />
    </ApiProvider>
  </StrictMode>,
);
