// NvrApi over Electron IPC: `window.nvr`, which the preload builds from the contract's method list.
// Only normalizes errors and adds the transport controls; never touches ipcRenderer itself.
import type { NvrApi, NvrMethodName } from '../../src-preload/contract';
import { toApiCallError } from './api-error';
import { HTTP_ROUTES } from './http-routes';
import type { Identity, LinkListener, Transport } from './transport';

declare global {
  interface Window {
    /** Exposed by the preload through contextBridge (absent in a plain browser). */
    nvr?: NvrApi;
  }
}

export type IpcTransport = Transport & { readonly kind: 'ipc' };

export const LOCAL_ADMIN: Identity = { user: null, role: 'admin', cameras: null, authMode: 'ipc' };

export function createIpcTransport(bridge: NvrApi): IpcTransport {
  const api: Record<string, unknown> = {};
  // HTTP_ROUTES has exactly the contract's method names (checked at compile time).
  for (const name of Object.keys(HTTP_ROUTES) as NvrMethodName[]) {
    api[name] = async (input?: unknown) => {
      const fn = bridge[name] as (input?: unknown) => Promise<unknown>;
      try {
        return await fn(input);
      } catch (err) {
        throw toApiCallError(err);
      }
    };
  }
  const control = {
    kind: 'ipc' as const,
    link: 'online' as const,
    subscribe: (listener: Parameters<NvrApi['subscribe']>[0]) => bridge.subscribe(listener),
    onLink: (_listener: LinkListener) => () => undefined,
    // The desktop app's own window is the local admin (loopback stays open to this process only).
    whoami: async (): Promise<Identity> => LOCAL_ADMIN,
    logout: async () => undefined,
    close: () => undefined,
  };
  return Object.assign(api, control) as unknown as IpcTransport;
}
