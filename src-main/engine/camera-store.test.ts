import { describe, expect, it } from 'vitest';
import { CameraInputSchema } from '../../src-preload/contract';
import {
  MemoryCameraStore,
  applyCameraPatch,
  cameraIdFromName,
  patchWithUrlCredentials,
  splitUrlCredentials,
  toApiCamera,
} from './camera-store';

const config = CameraInputSchema.parse({
  name: 'Door',
  streams: { main: { url: 'rtsp://a/1' }, sub: { url: 'rtsp://a/2' } },
  username: 'admin',
  password: 'pw',
});

describe('camera store', () => {
  it('applies patches: absent keeps, null clears, recording merges', () => {
    const next = applyCameraPatch(config, {
      streams: { sub: null },
      password: null,
      recording: { retentionDays: 3 },
    });
    expect(next.streams).toEqual({ main: { url: 'rtsp://a/1' } });
    expect(next.password).toBeUndefined();
    expect(next.username).toBe('admin');
    expect(next.recording).toEqual({ mode: 'continuous', retentionDays: 3, recordSub: true });
    expect(config.password).toBe('pw');
    const renamed = applyCameraPatch(config, {
      name: 'Porch',
      username: null,
      transport: 'udp',
      streams: { main: { url: 'rtsp://b/1' } },
    });
    expect(renamed).toMatchObject({
      name: 'Porch',
      transport: 'udp',
      streams: { main: { url: 'rtsp://b/1' }, sub: { url: 'rtsp://a/2' } },
    });
    expect(renamed.username).toBeUndefined();
  });

  it('never exposes the password in the API view', () => {
    const camera = toApiCamera({ id: 'door', config, createdMs: 1, updatedMs: 2 });
    expect(camera).toEqual({
      id: 'door',
      name: 'Door',
      enabled: true,
      streams: { main: { url: 'rtsp://a/1' }, sub: { url: 'rtsp://a/2' } },
      username: 'admin',
      hasPassword: true,
      transport: 'auto',
      recording: { mode: 'continuous', retentionDays: 30, recordSub: true },
      createdMs: 1,
      updatedMs: 2,
    });
    expect(JSON.stringify(camera)).not.toContain('pw"');
  });

  it('derives readable unique ids', () => {
    const taken = new Set(['door', 'door-2']);
    expect(cameraIdFromName('Door', (id) => taken.has(id))).toBe('door-3');
    expect(cameraIdFromName('Front Door #1', () => false)).toBe('front-door-1');
    expect(cameraIdFromName('Café', () => false)).toBe('cafe');
    expect(cameraIdFromName('門', () => false)).toBe('camera');
  });

  it('stores copies, not references', () => {
    const store = new MemoryCameraStore();
    const stored = { id: 'door', config, createdMs: 1, updatedMs: 1 };
    store.insert(stored);
    store.get('door')!.config.name = 'mutated';
    expect(store.get('door')!.config.name).toBe('Door');
    expect(() => store.insert(stored)).toThrow();
    expect(() => store.update({ ...stored, id: 'nope' })).toThrow();
    expect(store.delete('door')).toBe(true);
    expect(store.delete('door')).toBe(false);
    expect(store.list()).toEqual([]);
  });
});

describe('credentials in camera URLs', () => {
  const base = {
    name: 'Door',
    enabled: true,
    transport: 'auto' as const,
    recording: { mode: 'continuous' as const, retentionDays: 30, recordSub: true },
  };
  it('moves user:pass@ out of the URLs into the fields, decoded; set fields stay', () => {
    const c = splitUrlCredentials({
      ...base,
      streams: {
        main: { url: 'rtsp://ad%40min:p%3Ass@10.0.0.5:554/ch1?x=a@b' },
        sub: { url: 'rtsp://other:pw2@10.0.0.5/ch2' },
      },
    });
    expect(c.streams).toEqual({
      main: { url: 'rtsp://10.0.0.5:554/ch1?x=a@b' },
      sub: { url: 'rtsp://10.0.0.5/ch2' },
    });
    expect(c).toMatchObject({ username: 'ad@min', password: 'p:ss' });
    const kept = splitUrlCredentials({
      ...base,
      username: 'admin',
      password: 'field',
      streams: { main: { url: 'rtsp://u:p@[::1]:8554/a' } },
    });
    expect(kept).toMatchObject({ username: 'admin', password: 'field' });
    expect(kept.streams.main.url).toBe('rtsp://[::1]:8554/a');
  });
  it('leaves URLs without credentials as they are (same object)', () => {
    const c = { ...base, streams: { main: { url: 'rtsp://10.0.0.5/ch1?user=a@b' } } };
    expect(splitUrlCredentials(c)).toBe(c);
  });
  it('lets credentials typed into a patched URL replace the stored ones', () => {
    expect(
      patchWithUrlCredentials({ streams: { main: { url: 'rtsp://new:secret@10.0.0.5/ch1' } } }),
    ).toMatchObject({ username: 'new', password: 'secret' });
    expect(
      patchWithUrlCredentials({
        streams: { main: { url: 'rtsp://new:secret@10.0.0.5/ch1' } },
        password: null,
      }),
    ).toMatchObject({ username: 'new', password: null });
  });
});
