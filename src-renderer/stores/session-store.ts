// Who uses this window (from the transport's whoami) and what that allows: admins see every control,
// viewers only live, playback, export and snapshots. Pure zustand (vanilla) store; no API calls here.
import { createStore } from 'zustand/vanilla';
import type { Identity } from '../api';

/** The transport's whoami answer, as the store keeps it. */
export type SessionIdentity = Identity;

export interface SessionState {
  status: 'loading' | 'ready' | 'error';
  identity: SessionIdentity | null;
  error: string | null;
  setIdentity(identity: SessionIdentity): void;
  setError(message: string): void;
}

export function createSessionStore() {
  return createStore<SessionState>()((set) => ({
    status: 'loading',
    identity: null,
    error: null,
    setIdentity: (identity) => set({ status: 'ready', identity, error: null }),
    setError: (message) => set({ status: 'error', error: message }),
  }));
}

export type SessionStore = ReturnType<typeof createSessionStore>;

/**
 * Admin controls show only once the identity is known to be an admin: while loading (or after an
 * error) the UI stays in its viewer form rather than flashing buttons a viewer cannot use.
 */
export function canAdminister(s: Pick<SessionState, 'identity'>): boolean {
  return s.identity?.role === 'admin';
}

/** A Log out button makes sense only for a signed-in browser session. */
export function canLogOut(s: Pick<SessionState, 'identity'>): boolean {
  return s.identity?.authMode === 'required' && s.identity.user !== null;
}

/** What the top bar says about the user: the name, or "Local admin" without a login. */
export function userLabel(s: Pick<SessionState, 'identity'>): string {
  const id = s.identity;
  if (!id) return '';
  if (id.user) return id.role === 'viewer' ? `${id.user} (viewer)` : id.user;
  return 'Local admin';
}

/** Loads the identity into the store through `whoami` (the transport's). */
export async function loadSession(
  store: SessionStore,
  whoami: () => Promise<SessionIdentity>,
): Promise<void> {
  try {
    store.getState().setIdentity(await whoami());
  } catch (err) {
    store.getState().setError(err instanceof Error ? err.message : String(err));
  }
}
