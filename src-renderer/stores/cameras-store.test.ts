import { describe, expect, it } from 'vitest';
import type { Camera, CameraStatus } from '../../src-preload/contract';
import { createCamerasStore, filterCameras } from './cameras-store';
import { describeStatus, streamFacts } from './status-words';
import { testCamera } from './testing';

const cam = (id: string, name: string): Camera => testCamera(id, { name });
const streaming: CameraStatus = {
  state: 'streaming',
  streams: { main: { state: 'streaming', fps: 25, bitrateKbps: 1100 } },
};

describe('cameras store', () => {
  it('sorts cameras by name (numeric aware) and becomes ready', () => {
    const store = createCamerasStore();
    store.getState().setLoading();
    expect(store.getState().loadState).toBe('loading');
    store.getState().setCameras([cam('3', 'Cam 10'), cam('1', 'Cam 2'), cam('2', 'Alley')]);
    expect(store.getState().cameras.map((c) => c.name)).toEqual(['Alley', 'Cam 2', 'Cam 10']);
    expect(store.getState().loadState).toBe('ready');
  });

  it('applies state, stats, added, updated and removed events', () => {
    const store = createCamerasStore();
    store.getState().setCameras([cam('a', 'Door')]);
    expect(
      store.getState().applyEvent({
        type: 'camera.stats',
        payload: { id: 'a', streams: { main: { state: 'streaming', fps: 10 } } },
      }),
    ).toBe(false);
    store.getState().applyEvent({ type: 'camera.state', payload: { id: 'a', status: streaming } });
    expect(store.getState().statuses.a?.state).toBe('streaming');
    store.getState().applyEvent({
      type: 'camera.stats',
      payload: { id: 'a', streams: { main: { state: 'streaming', fps: 12 } } },
    });
    // stats merge into the stream: fps updated, bitrate kept
    expect(store.getState().statuses.a?.streams.main).toMatchObject({ fps: 12, bitrateKbps: 1100 });
    store.getState().applyEvent({ type: 'camera.added', payload: { camera: cam('b', 'Attic') } });
    expect(store.getState().cameras.map((c) => c.id)).toEqual(['b', 'a']);
    store.getState().applyEvent({ type: 'camera.updated', payload: { camera: cam('b', 'Zoo') } });
    expect(store.getState().cameras.map((c) => c.name)).toEqual(['Door', 'Zoo']);
    store.getState().select('a');
    store.getState().applyEvent({ type: 'camera.removed', payload: { id: 'a' } });
    expect(store.getState().cameras.map((c) => c.id)).toEqual(['b']);
    expect(store.getState().statuses.a).toBeUndefined();
    expect(store.getState().selectedId).toBeNull();
    expect(store.getState().applyEvent({ type: 'discovery.done', payload: { count: 0 } })).toBe(
      false,
    );
  });

  it('drops statuses of cameras that disappear on reload', () => {
    const store = createCamerasStore();
    store.getState().setCameras([cam('a', 'A'), cam('b', 'B')]);
    store.getState().setStatus('a', streaming);
    store.getState().setStatus('b', streaming);
    store.getState().setCameras([cam('b', 'B')]);
    expect(Object.keys(store.getState().statuses)).toEqual(['b']);
  });

  it('a reload that finds the same cameras keeps the same objects (nothing renders again)', () => {
    const store = createCamerasStore();
    store.getState().setCameras([cam('a', 'Door'), cam('b', 'Attic')]);
    store.getState().setStatus('a', streaming);
    const before = store.getState();
    store.getState().setCameras([cam('b', 'Attic'), cam('a', 'Door')]);
    expect(store.getState().cameras).toBe(before.cameras);
    expect(store.getState().statuses).toBe(before.statuses);
    // A renamed camera is a new list.
    store.getState().setCameras([cam('b', 'Attic'), cam('a', 'Front door')]);
    expect(store.getState().cameras).not.toBe(before.cameras);
    expect(store.getState().cameras.map((c) => c.name)).toEqual(['Attic', 'Front door']);
  });

  it('filters by name, ignoring case and accents', () => {
    const list = [cam('1', 'Entrée'), cam('2', 'Garage'), cam('3', 'Back door')];
    expect(filterCameras(list, 'ENTREE').map((c) => c.id)).toEqual(['1']);
    expect(filterCameras(list, ' door ').map((c) => c.id)).toEqual(['3']);
    expect(filterCameras(list, '')).toHaveLength(3);
  });
});

describe('status in words', () => {
  it('says what is wrong', () => {
    expect(
      describeStatus({ state: 'failed', error: { kind: 'auth', message: '401' }, streams: {} }),
    ).toMatchObject({
      tone: 'bad',
      label: 'offline: wrong password',
      fixInSettings: true,
    });
    expect(
      describeStatus({ state: 'failed', error: { kind: 'unreachable', message: 'x' }, streams: {} })
        .label,
    ).toBe('offline: unreachable');
    expect(
      describeStatus({
        state: 'failed',
        error: { kind: 'unsupported_codec', message: 'x' },
        streams: {},
      }).label,
    ).toBe('offline: unsupported codec');
    expect(
      describeStatus({
        state: 'reconnecting',
        error: { kind: 'timeout', message: 'x' },
        streams: {},
      }),
    ).toMatchObject({
      tone: 'warn',
      label: 'reconnecting: not responding',
    });
    expect(describeStatus({ state: 'connecting', streams: {} }).label).toBe('connecting');
    expect(describeStatus(streaming)).toMatchObject({ tone: 'ok', label: 'live' });
    expect(describeStatus(undefined).tone).toBe('idle');
    expect(describeStatus(streaming, false).label).toBe('disabled');
  });

  it('formats stream facts', () => {
    expect(
      streamFacts({
        state: 'streaming',
        fps: 24.6,
        bitrateKbps: 1100,
        width: 1280,
        height: 720,
        codec: 'h265',
      }),
    ).toEqual(['25 fps', '1.1 Mb/s', '1280×720', 'H.265']);
    expect(streamFacts({ state: 'streaming', bitrateKbps: 280 })).toEqual(['280 kb/s']);
    expect(streamFacts(undefined)).toEqual([]);
  });
});
