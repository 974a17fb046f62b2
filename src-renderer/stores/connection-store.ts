// Link to the engine as the UI shows it: which transport, whether the event stream is up, the engine version.
// Pure zustand (vanilla) store; the api module reports into it through app/engine-sync.
import { createStore } from 'zustand/vanilla';

export type EngineLink = 'connecting' | 'online' | 'offline';

export interface ConnectionState {
  transport: 'ipc' | 'http' | null;
  link: EngineLink;
  version: string | null;
  /** Last failure in words, shown in the banner while offline. */
  lastError: string | null;
  setTransport(transport: 'ipc' | 'http'): void;
  setOnline(version?: string): void;
  setOffline(reason: string): void;
  setConnecting(): void;
}

export function createConnectionStore() {
  return createStore<ConnectionState>()((set) => ({
    transport: null,
    link: 'connecting',
    version: null,
    lastError: null,
    setTransport: (transport) => set({ transport }),
    setOnline: (version) =>
      set((s) => ({ link: 'online', lastError: null, version: version ?? s.version })),
    setOffline: (reason) => set({ link: 'offline', lastError: reason }),
    setConnecting: () => set((s) => (s.link === 'online' ? s : { link: 'connecting' })),
  }));
}

export type ConnectionStore = ReturnType<typeof createConnectionStore>;
