// warmStartGrid with the real stores, fake peer connections and a fake transport: the first grid's offers
// leave inside the store update that fills the grid (before React could render it), for the cameras its
// tiles will show; a remembered view is waited for; a failed camera load starts nothing.
import { describe, expect, it } from 'vitest';
import type { Camera, View } from '../../src-preload/contract';
import type { Transport } from '../api';
import { FakePeerConnection } from '../features/live/testing';
import { createCamerasStore, createLayoutStore, createViewsStore } from '../stores';
import { testCamera, testView } from '../stores/testing';
import { warmStartGrid } from './grid-warm-start';

const cam = (id: string, enabled = true): Camera =>
  testCamera(id, {
    enabled,
    streams: { main: { url: `rtsp://127.0.0.1/${id}` }, sub: { url: `rtsp://127.0.0.1/${id}s` } },
  });
const view = (id: string, tiles: (string | null)[]): View => testView(id, { tiles });

const flush = () => new Promise((r) => setTimeout(r, 0));

function setup(viewId: string | null = null) {
  const stores = {
    cameras: createCamerasStore(),
    layout: createLayoutStore(),
    views: createViewsStore(),
  };
  const pcs: FakePeerConnection[] = [];
  const started: string[] = [];
  const api = {
    startLive: ({ id, stream }: { id: string; stream: string }) => {
      started.push(`${id}:${stream}`);
      return Promise.resolve({ sdp: 'v=0 answer', sessionId: id });
    },
    stopLive: () => Promise.resolve({ ok: true }),
  } as unknown as Transport;
  const stop = warmStartGrid(api, stores, {
    viewId,
    createPeerConnection: () => {
      const pc = new FakePeerConnection();
      pcs.push(pc);
      return pc;
    },
  });
  /** What engine-sync does when the camera list lands. */
  const camerasLoaded = (cameras: Camera[]) => {
    stores.cameras.getState().setCameras(cameras);
    stores.layout.getState().syncCameras(cameras.map((c) => c.id));
  };
  return { stores, pcs, started, stop, camerasLoaded };
}

describe('warmStartGrid', () => {
  it('sends the offers of the tiles the grid will show as soon as it takes in the cameras', async () => {
    const t = setup();
    expect(t.pcs).toHaveLength(4); // one offer per tile of the 2×2 grid, made while the cameras load
    await flush();
    t.stores.cameras.getState().setLoading();
    t.stores.cameras
      .getState()
      .setCameras([cam('a'), cam('b', false), cam('c'), cam('d'), cam('e')]);
    expect(t.started).toEqual([]); // the grid has not placed them yet
    t.stores.layout.getState().syncCameras(['a', 'b', 'c', 'd', 'e']);
    // Synchronously: sub streams of the enabled cameras in the four tiles (b is disabled, e is off-grid).
    expect(t.started).toEqual(['a:sub', 'c:sub', 'd:sub']);
    expect(t.pcs.filter((pc) => pc.closed)).toHaveLength(1);
    // Once only: later changes start nothing.
    t.camerasLoaded([cam('e'), cam('f')]);
    expect(t.started).toHaveLength(3);
    t.stop();
  });

  it('waits for the view the app was left on, then starts its cameras', async () => {
    const t = setup('v1');
    await flush();
    t.camerasLoaded([cam('a'), cam('b'), cam('c')]);
    expect(t.started).toEqual([]); // views not loaded yet
    t.stores.views.getState().setViews([view('v1', ['c', null, 'a', null])]);
    expect(t.started).toEqual([]); // loaded, not applied yet
    t.stores.layout.getState().applyView(view('v1', ['c', null, 'a', null]));
    expect(t.started).toEqual(['c:sub', 'a:sub']);
    t.stop();
  });

  it('a remembered view that no longer exists does not hold the grid back', async () => {
    const t = setup('gone');
    await flush();
    t.camerasLoaded([cam('a')]);
    t.stores.views.getState().setViews([view('v1', ['a'])]);
    expect(t.started).toEqual(['a:sub']);
    t.stop();
  });

  it('starts nothing and closes its offers when the cameras fail to load', async () => {
    const t = setup();
    await flush();
    t.stores.cameras.getState().setLoadError('engine unreachable');
    expect(t.started).toEqual([]);
    expect(t.pcs.every((pc) => pc.closed)).toBe(true);
    t.stop();
  });
});
