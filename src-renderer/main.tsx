// Renderer entry: picks the transport (IPC in Electron, HTTP + WebSocket in a browser), starts the
// engine→stores sync and mounts the app shell.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createApiClient } from './api';
import { ApiProvider, AppShell, startEngineSync } from './app';
import './styles.css';

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
