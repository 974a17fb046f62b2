// Picks the transport: IPC when the preload exposed `window.nvr` (Electron), HTTP + WebSocket otherwise (LAN browser).
import { createHttpTransport, type HttpTransportOptions } from './http-transport';
import { createIpcTransport } from './ipc-transport';
import type { Transport } from './transport';

export function createApiClient(options: HttpTransportOptions = {}): Transport {
  const bridge = typeof window !== 'undefined' ? window.nvr : undefined;
  return bridge ? createIpcTransport(bridge) : createHttpTransport(options);
}
