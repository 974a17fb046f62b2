import { describe, expect, it } from 'vitest';
import {
  canAdminister,
  canLogOut,
  createSessionStore,
  loadSession,
  userLabel,
  type SessionIdentity,
} from './session-store';

const viewer: SessionIdentity = {
  user: 'guard',
  role: 'viewer',
  cameras: ['yard'],
  authMode: 'required',
};

describe('session store', () => {
  it('shows no admin controls until an admin identity is loaded', async () => {
    const store = createSessionStore();
    expect(store.getState().status).toBe('loading');
    expect(canAdminister(store.getState())).toBe(false);
    await loadSession(store, async () => ({
      user: 'boss',
      role: 'admin',
      cameras: null,
      authMode: 'required',
    }));
    expect(store.getState().status).toBe('ready');
    expect(canAdminister(store.getState())).toBe(true);
    expect(canLogOut(store.getState())).toBe(true);
    expect(userLabel(store.getState())).toBe('boss');
  });

  it('keeps viewers in the viewer UI, with their name and Log out', async () => {
    const store = createSessionStore();
    await loadSession(store, async () => viewer);
    expect(canAdminister(store.getState())).toBe(false);
    expect(canLogOut(store.getState())).toBe(true);
    expect(userLabel(store.getState())).toBe('guard (viewer)');
  });

  it('treats the desktop window and loopback-open as the local admin without Log out', async () => {
    for (const authMode of ['ipc', 'loopback-open'] as const) {
      const store = createSessionStore();
      await loadSession(store, async () => ({
        user: null,
        role: 'admin',
        cameras: null,
        authMode,
      }));
      expect(canAdminister(store.getState())).toBe(true);
      expect(canLogOut(store.getState())).toBe(false);
      expect(userLabel(store.getState())).toBe('Local admin');
    }
  });

  it('records a failed whoami and stays without admin controls', async () => {
    const store = createSessionStore();
    await loadSession(store, async () => {
      throw new Error('engine unreachable');
    });
    expect(store.getState()).toMatchObject({ status: 'error', error: 'engine unreachable' });
    expect(canAdminister(store.getState())).toBe(false);
    expect(userLabel(store.getState())).toBe('');
  });
});
