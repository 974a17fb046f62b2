import { describe, expect, expectTypeOf, it } from 'vitest';
import { NVR_API_METHODS, NVR_METHOD_NAMES } from './api';
import type { NvrApi } from './api';
import { NVR_EVENTS, nvrEvent, parseNvrEvent } from './events';
import type { Camera, CameraStatus, Health, RecordingRanges, ResourceUrl } from './schemas';
import { createHttpClient } from './http-client';
import type { FetchLike } from './http-client';
import { methodPath, pathParams, toHttpRequest } from './validation';
import { NvrApiError } from './errors';

describe('NVR_API_METHODS', () => {
  it('binds every method to a unique HTTP route', () => {
    const routes = NVR_METHOD_NAMES.map(
      (n) => `${NVR_API_METHODS[n].http.method} ${NVR_API_METHODS[n].http.path}`,
    );
    expect(new Set(routes).size).toBe(routes.length);
    for (const n of NVR_METHOD_NAMES)
      expect(NVR_API_METHODS[n].http.path.startsWith('/api/')).toBe(true);
  });

  it('covers the DESIGN §7 routes', () => {
    const routes = new Set(
      NVR_METHOD_NAMES.map(
        (n) => `${NVR_API_METHODS[n].http.method} ${NVR_API_METHODS[n].http.path}`,
      ),
    );
    for (const r of [
      'GET /api/health',
      'GET /api/cameras',
      'POST /api/cameras',
      'GET /api/cameras/:id',
      'PATCH /api/cameras/:id',
      'DELETE /api/cameras/:id',
      'GET /api/cameras/:id/status',
      'GET /api/cameras/:id/recordings',
      'GET /api/cameras/:id/hls/live.m3u8',
      'GET /api/cameras/:id/hls/vod.m3u8',
      'POST /api/cameras/:id/whep',
      'GET /api/cameras/:id/snapshot',
      'GET /api/cameras/:id/export.mp4',
      'POST /api/exports',
      'GET /api/exports/:id',
      'POST /api/onvif/discover',
      'POST /api/onvif/probe',
      'GET /api/system',
    ])
      expect(routes, r).toContain(r);
  });

  it('path parameters are input keys', () => {
    for (const n of NVR_METHOD_NAMES) {
      const schema = NVR_API_METHODS[n].input;
      for (const p of pathParams(NVR_API_METHODS[n].http.path)) {
        const r = schema.safeParse({});
        // A missing path parameter must be reported under its own name.
        expect(r.success, `${n} without ${p}`).toBe(false);
        expect(r.error!.issues.some((i) => i.path[0] === p)).toBe(true);
      }
    }
  });

  it('splits input over path, query and body', () => {
    expect(
      toHttpRequest(NVR_API_METHODS.listRecordings.http, {
        id: 'a b',
        from: 1,
        to: 2,
        stream: 'sub',
      }),
    ).toEqual({
      url: '/api/cameras/a%20b/recordings?from=1&to=2&stream=sub',
      body: undefined,
    });
    expect(
      toHttpRequest(NVR_API_METHODS.updateCamera.http, { id: 'c', patch: { name: 'x' } }),
    ).toEqual({
      url: '/api/cameras/c',
      body: { name: 'x' },
    });
    expect(
      toHttpRequest(NVR_API_METHODS.startLive.http, { id: 'c', stream: 'sub', offerSdp: 'v=0' }),
    ).toEqual({
      url: '/api/cameras/c/whep?stream=sub',
      body: 'v=0',
    });
    expect(methodPath('getSnapshotUrl', { id: 'c' })).toBe('/api/cameras/c/snapshot');
  });

  it('derives typed method signatures', () => {
    expectTypeOf<ReturnType<NvrApi['health']>>().toEqualTypeOf<Promise<Health>>();
    expectTypeOf<ReturnType<NvrApi['listCameras']>>().toEqualTypeOf<Promise<Camera[]>>();
    expectTypeOf<ReturnType<NvrApi['getCameraStatus']>>().toEqualTypeOf<Promise<CameraStatus>>();
    expectTypeOf<ReturnType<NvrApi['listRecordings']>>().toEqualTypeOf<Promise<RecordingRanges>>();
    expectTypeOf<ReturnType<NvrApi['getLivePlaylistUrl']>>().toEqualTypeOf<Promise<ResourceUrl>>();
    expectTypeOf<Parameters<NvrApi['listRecordings']>[0]>().toHaveProperty('from');
  });
});

describe('events', () => {
  it('parses valid events and drops anything else', () => {
    const e = nvrEvent('camera.removed', { id: 'c1' });
    expect(parseNvrEvent(JSON.parse(JSON.stringify(e)))).toEqual(e);
    expect(parseNvrEvent({ type: 'camera.removed', payload: { id: '../x' } })).toBeUndefined();
    expect(parseNvrEvent({ type: 'nope', payload: {} })).toBeUndefined();
    expect(parseNvrEvent('x')).toBeUndefined();
    expect(Object.keys(NVR_EVENTS)).toEqual(
      expect.arrayContaining(['camera.state', 'export.progress', 'system.stats']),
    );
  });
});

describe('createHttpClient', () => {
  it('calls routes from the table and maps error bodies to NvrApiError', async () => {
    const calls: { url: string; method: string; body?: string }[] = [];
    const fetch: FetchLike = async (url, init) => {
      calls.push({
        url,
        method: init.method,
        ...(init.body !== undefined ? { body: init.body } : {}),
      });
      if (url.endsWith('/api/cameras/nope'))
        return {
          ok: false,
          status: 404,
          headers: { get: () => null },
          text: async () =>
            JSON.stringify({ error: { kind: 'not_found', message: 'no camera nope' } }),
        };
      return {
        ok: true,
        status: 200,
        headers: { get: () => null },
        text: async () => JSON.stringify({ ok: true, version: '1' }),
      };
    };
    const api = createHttpClient({ baseUrl: 'http://h:1/', fetch });
    expect(await api.health()).toEqual({ ok: true, version: '1' });
    await api.updateCamera({ id: 'c', patch: { name: 'n' } });
    expect(calls[1]).toEqual({
      url: 'http://h:1/api/cameras/c',
      method: 'PATCH',
      body: '{"name":"n"}',
    });
    await expect(api.getCamera({ id: 'nope' })).rejects.toMatchObject({
      kind: 'not_found',
      status: 404,
    });
    await expect(api.getCamera({ id: 'nope' })).rejects.toBeInstanceOf(NvrApiError);
    expect(await api.getVodPlaylistUrl({ id: 'c', from: 1, to: 2 })).toEqual({
      url: 'http://h:1/api/cameras/c/hls/vod.m3u8?from=1&to=2',
    });
    expect(calls).toHaveLength(4);
  });
});
