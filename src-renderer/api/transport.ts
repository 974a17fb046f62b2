// What every renderer transport adds to NvrApi: its kind, the state of its link to the engine, and close.
// Types only.
import type { NvrApi } from '../../src-preload/contract';

export type LinkState = 'connecting' | 'online' | 'offline';

export interface LinkListener {
  (state: LinkState, reason?: string): void;
}

/** Who uses this window: the signed-in user over HTTP, the local admin over IPC. */
export interface Identity {
  /** Null when nobody signed in: the desktop app's own window or loopback-open mode (local admin). */
  user: string | null;
  role: 'admin' | 'viewer';
  /** Cameras a viewer may see; null = every camera. */
  cameras: string[] | null;
  /** `ipc`: the desktop app's window; otherwise the engine's HTTP auth mode. */
  authMode: 'ipc' | 'required' | 'loopback-open';
  /** SHA-256 fingerprint of the engine's TLS certificate when served over HTTPS. */
  tlsFingerprint?: string;
}

export interface TransportControl {
  readonly kind: 'ipc' | 'http';
  /** Current link state; HTTP: the events WebSocket; IPC: always online. */
  readonly link: LinkState;
  /** Calls `listener` on every link change (an `online` after `offline` means: refetch, events were missed). */
  onLink(listener: LinkListener): () => void;
  /** Who is signed in (HTTP: GET /api/auth/whoami; IPC: the local admin). */
  whoami(): Promise<Identity>;
  /** HTTP: ends the session and goes to the login page; IPC: nothing to do. */
  logout(): Promise<void>;
  /** Closes the event socket and stops reconnecting. */
  close(): void;
}

export type Transport = NvrApi & TransportControl;
