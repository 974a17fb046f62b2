// The frozen-picture store and the sidebar's live count: frozen or unconfirmed cameras are not live.
import { describe, expect, it } from 'vitest';
import type { Camera, CameraStatus } from '../../src-preload/contract';
import { countLive, createFramesStore } from './frames-store';

const cam = (id: string, enabled = true) => ({ id, name: id, enabled }) as unknown as Camera;
const streaming = { state: 'streaming', streams: {} } as unknown as CameraStatus;
const failed = {
  state: 'failed',
  error: { kind: 'auth', message: 'x' },
  streams: {},
} as unknown as CameraStatus;

describe('frames store', () => {
  it('marks a camera stale and fresh again', () => {
    const s = createFramesStore();
    s.getState().setStale('door', 1_000);
    expect(s.getState().staleSinceMs).toEqual({ door: 1_000 });
    const before = s.getState();
    s.getState().setStale('door', 1_000);
    expect(s.getState()).toBe(before); // no change, no render
    s.getState().setStale('door', null);
    expect(s.getState().staleSinceMs).toEqual({});
  });
});

describe('countLive', () => {
  const cams = [cam('a'), cam('b'), cam('c'), cam('d', false)];
  const statuses = { a: streaming, b: streaming, c: failed, d: streaming };
  it('counts streaming cameras as live while the link is up', () => {
    expect(countLive(cams, statuses, {}, 'online')).toEqual({ live: 2, problem: 1 });
  });
  it('a frozen picture is a problem, not live', () => {
    expect(countLive(cams, statuses, { a: 5 }, 'online')).toEqual({ live: 1, problem: 2 });
  });
  it('with the engine unreachable nothing is counted live', () => {
    expect(countLive(cams, statuses, {}, 'offline')).toEqual({ live: 0, problem: 1 });
  });
});
