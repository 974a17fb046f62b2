import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nullLogger } from '../base';
import { createEngine } from './index';
import type { Engine } from './index';
import { createHttpServer } from '../server';
import type { HttpServer } from '../server';

const CAMERA = {
  name: 'Door',
  streams: { main: { url: 'rtsp://127.0.0.1:1/ch1' }, sub: { url: 'rtsp://127.0.0.1:1/ch2' } },
  username: 'admin',
  password: 'hunter2-secret',
  recording: { mode: 'continuous', retentionDays: 30, recordSub: true },
};

let tmp: string;
let rendererDir: string;
let engine: Engine;
let server: HttpServer;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'nvr-http-'));
  rendererDir = path.join(tmp, 'renderer');
  await mkdir(path.join(rendererDir, 'assets'), { recursive: true });
  await writeFile(
    path.join(rendererDir, 'index.html'),
    '<!doctype html><title>NVR test shell</title>',
  );
  await writeFile(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  engine = createEngine(
    {
      dataDir: path.join(tmp, 'data'),
      host: '127.0.0.1',
      port: 0,
      demo: false,
      logLevel: 'silent',
    },
    { logger: nullLogger(), version: '9.9.9' },
  );
  server = await createHttpServer({
    api: engine.api,
    logger: nullLogger(),
    rendererDir,
    resources: {
      getSnapshotUrl: async (input) => ({
        contentType: 'image/jpeg',
        body: Buffer.from(`jpeg:${input.id}:${input.stream}`),
      }),
    },
  });
});

afterAll(async () => {
  await server.close();
  await engine.stop();
  await rm(tmp, { recursive: true, force: true });
});

const inject = (opts: InjectOptions) => server.app.inject(opts);

describe('HTTP API (inject)', () => {
  it('answers health', async () => {
    const res = await inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true, version: '9.9.9' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('round-trips camera CRUD and never returns the password', async () => {
    const texts: string[] = [];
    const created = await inject({ method: 'POST', url: '/api/cameras', payload: CAMERA });
    texts.push(created.body);
    expect(created.statusCode).toBe(201);
    const camera = created.json();
    expect(camera).toMatchObject({
      id: 'door',
      name: 'Door',
      hasPassword: true,
      username: 'admin',
      transport: 'auto',
    });
    expect(camera).not.toHaveProperty('password');

    const list = await inject({ method: 'GET', url: '/api/cameras' });
    texts.push(list.body);
    expect(list.json()).toEqual([camera]);

    const patched = await inject({
      method: 'PATCH',
      url: '/api/cameras/door',
      payload: { name: 'Front door', recording: { retentionDays: 7 }, streams: { sub: null } },
    });
    texts.push(patched.body);
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({
      id: 'door',
      name: 'Front door',
      recording: { mode: 'continuous', retentionDays: 7, recordSub: true },
      streams: { main: { url: 'rtsp://127.0.0.1:1/ch1' } },
      hasPassword: true,
    });
    expect(patched.json().streams.sub).toBeUndefined();

    const one = await inject({ method: 'GET', url: '/api/cameras/door' });
    texts.push(one.body);
    expect(one.json().name).toBe('Front door');

    const status = await inject({ method: 'GET', url: '/api/cameras/door/status' });
    // Nothing answers at 127.0.0.1:1: the camera is trying to connect (and says so per stream).
    expect(['connecting', 'reconnecting']).toContain(status.json().state);
    expect(status.json().streams.main.state).toBe(status.json().state);

    const ranges = await inject({
      method: 'GET',
      url: '/api/cameras/door/recordings?from=1000&to=2000&stream=sub',
    });
    expect(ranges.json()).toEqual({ ranges: [] });

    const cleared = await inject({
      method: 'PATCH',
      url: '/api/cameras/door',
      payload: { password: null },
    });
    expect(cleared.json().hasPassword).toBe(false);

    const deleted = await inject({ method: 'DELETE', url: '/api/cameras/door' });
    expect(deleted.json()).toEqual({ ok: true });
    const gone = await inject({ method: 'GET', url: '/api/cameras/door' });
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.kind).toBe('not_found');
    for (const text of texts) expect(text).not.toContain('hunter2');
  });

  it.each([
    [
      'bad JSON',
      {
        method: 'POST',
        url: '/api/cameras',
        headers: { 'content-type': 'application/json' },
        payload: '{"name":',
      },
      'body',
      'invalid JSON',
    ],
    [
      'a JSON array body',
      { method: 'POST', url: '/api/cameras', payload: [1, 2] },
      'body',
      'must be a JSON object',
    ],
    [
      'a bad URL',
      {
        method: 'POST',
        url: '/api/cameras',
        payload: { ...CAMERA, streams: { main: { url: 'http://x/' } } },
      },
      'streams.main.url',
      'streams.main.url: must be an rtsp://',
    ],
    [
      'a missing name',
      { method: 'POST', url: '/api/cameras', payload: { streams: CAMERA.streams } },
      'name',
      'name: is required',
    ],
    [
      'a bad patch',
      { method: 'PATCH', url: '/api/cameras/door', payload: { recording: { retentionDays: 0 } } },
      'recording.retentionDays',
      'recording.retentionDays: must be at least 1',
    ],
    [
      'an empty patch body',
      { method: 'PATCH', url: '/api/cameras/door' },
      'body',
      'body: is required',
    ],
    [
      'from after to',
      { method: 'GET', url: '/api/cameras/door/recordings?from=2000&to=1000' },
      'to',
      'to: must be after from',
    ],
    [
      'a non-numeric time',
      { method: 'GET', url: '/api/cameras/door/recordings?from=yesterday&to=1000' },
      'from',
      'from: must be a number',
    ],
    [
      'a bad stream',
      { method: 'GET', url: '/api/cameras/door/hls/live.m3u8?stream=third' },
      'stream',
      "'main', 'sub'",
    ],
    [
      'a path-like camera id',
      { method: 'GET', url: '/api/cameras/..%2F..%2Fetc' },
      'id',
      'id: must be a camera id',
    ],
  ] as const)('answers 400 naming the field for %s', async (_name, request, field, message) => {
    const res = await inject(request as InjectOptions);
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.kind).toBe('bad_request');
    expect(error.field).toBe(field);
    expect(error.message).toContain(message);
  });

  it('answers 404 for unknown cameras and unknown /api routes', async () => {
    const camera = await inject({ method: 'GET', url: '/api/cameras/nope/status' });
    expect(camera.statusCode).toBe(404);
    expect(camera.json().error).toMatchObject({ kind: 'not_found', message: 'no camera nope' });
    for (const [method, url] of [
      ['GET', '/api/nope'],
      ['POST', '/api/nope'],
      ['PUT', '/api/cameras'],
      ['GET', '/api'],
    ] as const) {
      const res = await inject({ method, url });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.json().error.kind).toBe('not_found');
    }
  });

  it('answers clear errors where a request cannot be served', async () => {
    await inject({ method: 'POST', url: '/api/cameras', payload: { ...CAMERA, name: 'Yard' } });
    const vod = await inject({ method: 'GET', url: '/api/cameras/yard/hls/vod.m3u8?from=1&to=2' });
    expect(vod.statusCode).toBe(501);
    expect(vod.json()).toEqual({
      error: { kind: 'not_implemented', message: 'Playback HLS is not implemented yet' },
    });
    const whep = await inject({
      method: 'POST',
      url: '/api/cameras/yard/whep?stream=sub',
      headers: { 'content-type': 'application/sdp' },
      payload: 'v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\n',
    });
    // Live view exists (src-main/live): this offer has no media section, so it is a bad request.
    expect(whep.statusCode).toBe(400);
    expect(whep.json().error.kind).toBe('bad_request');
    const exported = await inject({
      method: 'POST',
      url: '/api/exports',
      payload: { cameraIds: ['yard'], from: 1, to: 2 },
    });
    // Export exists (src-main/playback): nothing was recorded in that window.
    expect(exported.statusCode).toBe(404);
    expect(exported.json().error.kind).toBe('not_found');
  });

  it('wires the ONVIF handlers: PTZ of a camera added by URL is unsupported, not an error', async () => {
    const ptz = await inject({ method: 'GET', url: '/api/cameras/yard/ptz' });
    expect(ptz.statusCode).toBe(200);
    expect(ptz.json()).toEqual({ supported: false, home: false, presets: [] });
    const move = await inject({
      method: 'POST',
      url: '/api/cameras/yard/ptz/move',
      payload: { pan: 2 },
    });
    expect(move.statusCode).toBe(400);
    expect(move.json().error.field).toBe('pan');
  });

  it('serves resource routes through their handlers with validated input', async () => {
    const res = await inject({ method: 'GET', url: '/api/cameras/yard/snapshot?stream=sub' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(res.body).toBe('jpeg:yard:sub');
  });

  it('answers 413 for oversized bodies', async () => {
    const res = await inject({
      method: 'POST',
      url: '/api/cameras',
      payload: { ...CAMERA, name: 'x'.repeat(2 * 1024 * 1024) },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.kind).toBe('too_large');
  });

  it('offers every method on POST /api/rpc/:method', async () => {
    const list = await inject({ method: 'POST', url: '/api/rpc/listCameras', payload: {} });
    expect(list.json().map((c: { id: string }) => c.id)).toContain('yard');
    const url = await inject({
      method: 'POST',
      url: '/api/rpc/getVodPlaylistUrl',
      payload: { id: 'yard', from: 1, to: 2 },
    });
    expect(url.json()).toEqual({ url: '/api/cameras/yard/hls/vod.m3u8?from=1&to=2&stream=main' });
    const bad = await inject({ method: 'POST', url: '/api/rpc/getCamera', payload: { id: '' } });
    expect(bad.json().error.field).toBe('id');
    const unknown = await inject({ method: 'POST', url: '/api/rpc/rmRf', payload: {} });
    expect(unknown.statusCode).toBe(404);
  });

  it('serves the renderer with an SPA fallback, never files outside it', async () => {
    const index = await inject({ method: 'GET', url: '/' });
    expect(index.statusCode).toBe(200);
    expect(index.body).toContain('NVR test shell');
    const asset = await inject({ method: 'GET', url: '/assets/app.js' });
    expect(asset.body).toBe('console.log(1)');
    const route = await inject({ method: 'GET', url: '/timeline/door' });
    expect(route.body).toContain('NVR test shell');
    expect((await inject({ method: 'GET', url: '/assets/missing.js' })).statusCode).toBe(404);
    const traversal = await inject({ method: 'GET', url: '/..%2f..%2fdata%2fsecret.txt' });
    expect(traversal.body).not.toContain('secret');
  });
});

describe('without a renderer build', () => {
  it('serves a page that says how to build it', async () => {
    const bare = await createHttpServer({
      api: engine.api,
      logger: nullLogger(),
      rendererDir: path.join(tmp, 'missing'),
    });
    try {
      const res = await bare.app.inject({ method: 'GET', url: '/' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('npm run build');
      expect((await bare.app.inject({ method: 'GET', url: '/api/health' })).json().ok).toBe(true);
    } finally {
      await bare.close();
    }
  });
});
