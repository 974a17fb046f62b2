import { describe, expect, it } from 'vitest';
import type { Camera, CameraStatus, NvrEventListener } from '../../src-preload/contract';
import type { LinkListener, Transport } from '../api';
import { createCamerasStore, createConnectionStore, createLayoutStore } from '../stores';
import { testCamera } from '../stores/testing';
import { startEngineSync } from './engine-sync';

const cam = (id: string, name: string): Camera => testCamera(id, { name });

function fakeTransport(cameras: Camera[], statuses: Record<string, CameraStatus>) {
  const listeners = new Set<NvrEventListener>();
  const linkListeners = new Set<LinkListener>();
  let healthCalls = 0;
  let fail = false;
  const api = {
    kind: 'http',
    link: 'connecting',
    health: async () => {
      healthCalls++;
      if (fail)
        throw Object.assign(new Error('engine unreachable: ECONNREFUSED'), { kind: 'unavailable' });
      return { ok: true, version: '9.9.9' };
    },
    listCameras: async () => cameras,
    getCameraStatus: async ({ id }: { id: string }) =>
      statuses[id] ?? Promise.reject(new Error('no status')),
    subscribe: (l: NvrEventListener) => (listeners.add(l), () => listeners.delete(l)),
    onLink: (l: LinkListener) => (linkListeners.add(l), () => linkListeners.delete(l)),
    close: () => undefined,
  } as unknown as Transport;
  return {
    api,
    emit: (e: Parameters<NvrEventListener>[0]) => listeners.forEach((l) => l(e)),
    link: (s: Parameters<LinkListener>[0], reason?: string) =>
      linkListeners.forEach((l) => l(s, reason)),
    healthCalls: () => healthCalls,
    setFail: (f: boolean) => (fail = f),
    listenerCount: () => listeners.size + linkListeners.size,
  };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

const newStores = () => ({
  cameras: createCamerasStore(),
  layout: createLayoutStore(),
  connection: createConnectionStore(),
});

/** A transport whose listCameras calls wait until the test answers them, in any order. */
function heldListTransport() {
  const t = fakeTransport([], {});
  const pending: ((cams: Camera[]) => void)[] = [];
  (t.api as { listCameras: () => Promise<Camera[]> }).listCameras = () =>
    new Promise((resolve) => pending.push(resolve));
  return { t, pending };
}

describe('engine sync', () => {
  it('loads cameras and statuses, fills the grid, applies events, refetches after reconnect, and stops', async () => {
    const stores = newStores();
    const t = fakeTransport([cam('b', 'Yard'), cam('a', 'Door')], {
      a: { state: 'streaming', streams: {} },
    });
    const stop = startEngineSync(t.api, stores);
    await settle();
    await settle();
    expect(stores.cameras.getState().cameras.map((c) => c.name)).toEqual(['Door', 'Yard']);
    expect(stores.cameras.getState().statuses.a?.state).toBe('streaming');
    expect(stores.cameras.getState().statuses.b).toBeUndefined(); // its status call failed: left unknown
    expect(stores.layout.getState().tiles).toEqual(['a', 'b', null, null]);
    expect(stores.connection.getState()).toMatchObject({
      link: 'online',
      version: '9.9.9',
      transport: 'http',
    });

    t.emit({ type: 'camera.added', payload: { camera: cam('c', 'Attic') } });
    expect(stores.layout.getState().tiles).toEqual(['a', 'b', 'c', null]);

    t.link('offline', 'socket closed');
    expect(stores.connection.getState()).toMatchObject({
      link: 'offline',
      lastError: 'socket closed',
    });
    t.link('online');
    await settle();
    expect(t.healthCalls()).toBe(2);

    stop();
    expect(t.listenerCount()).toBe(0);
  });

  it('reports an unreachable engine', async () => {
    const stores = newStores();
    const t = fakeTransport([], {});
    t.setFail(true);
    const stop = startEngineSync(t.api, stores);
    await settle();
    expect(stores.cameras.getState().loadState).toBe('error');
    expect(stores.connection.getState()).toMatchObject({
      link: 'offline',
      lastError: 'engine unreachable: ECONNREFUSED',
    });
    stop();
  });

  it('shows the first load at once even when the event link opens meanwhile, never an older one after a newer', async () => {
    const stores = newStores();
    const { t, pending } = heldListTransport();
    const stop = startEngineSync(t.api, stores);
    t.link('online'); // the second load starts before the first answered
    await settle();
    expect(pending).toHaveLength(2);
    pending[0]!([cam('a', 'Door')]);
    await settle();
    expect(stores.cameras.getState().cameras.map((c) => c.id)).toEqual(['a']);
    pending[1]!([cam('a', 'Door'), cam('b', 'Yard')]);
    await settle();
    expect(stores.cameras.getState().cameras.map((c) => c.id)).toEqual(['a', 'b']);
    stop();
  });

  it('drops an older load that answers after a newer one', async () => {
    const stores = newStores();
    const { t, pending } = heldListTransport();
    const stop = startEngineSync(t.api, stores);
    t.link('online');
    await settle();
    pending[1]!([cam('a', 'Door'), cam('b', 'Yard')]);
    await settle();
    pending[0]!([cam('a', 'Door')]);
    await settle();
    expect(stores.cameras.getState().cameras.map((c) => c.id)).toEqual(['a', 'b']);
    stop();
  });
});
