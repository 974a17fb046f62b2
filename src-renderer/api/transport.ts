// What every renderer transport adds to NvrApi: its kind, the state of its link to the engine, and close.
// Types only.
import type { NvrApi } from '../../src-preload/contract';

export type LinkState = 'connecting' | 'online' | 'offline';

export interface LinkListener {
  (state: LinkState, reason?: string): void;
}

export interface TransportControl {
  readonly kind: 'ipc' | 'http';
  /** Current link state; HTTP: the events WebSocket; IPC: always online. */
  readonly link: LinkState;
  /** Calls `listener` on every link change (an `online` after `offline` means: refetch, events were missed). */
  onLink(listener: LinkListener): () => void;
  /** Closes the event socket and stops reconnecting. */
  close(): void;
}

export type Transport = NvrApi & TransportControl;
