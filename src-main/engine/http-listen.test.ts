import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_KINDS as BASE_ERROR_KINDS, createLogger, memorySink, nullLogger } from '../base';
import { createEngine } from './index';
import type { Engine } from './index';
import {
  ERROR_KINDS,
  HTTP_STATUS_BY_KIND,
  NvrApiError,
  createHttpClient,
} from '../../src-preload/contract';
import type {
  ApiErrorBody,
  FetchLike,
  NvrApi,
  NvrEvent,
  WebSocketLike,
} from '../../src-preload/contract';
import { createHttpServer } from '../server';
import type { HttpServer } from '../server';

let tmp: string;
let engine: Engine;
let server: HttpServer;
let baseUrl: string;
let client: NvrApi;
const sockets = new Set<WebSocket>();

const nodeFetch: FetchLike = (url, init) => fetch(url, init);

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'nvr-listen-'));
  engine = createEngine(
    { dataDir: tmp, host: '127.0.0.1', port: 0, demo: false, logLevel: 'silent' },
    { logger: nullLogger(), version: '1.2.3' },
  );
  server = await createHttpServer({
    api: engine.api,
    logger: nullLogger(),
    rendererDir: path.join(tmp, 'no-build'),
  });
  baseUrl = await server.listen({ host: '127.0.0.1', port: 0 });
  client = createHttpClient({
    baseUrl,
    fetch: nodeFetch,
    openWebSocket: (url) => {
      const ws = new WebSocket(url);
      sockets.add(ws);
      return ws as unknown as WebSocketLike;
    },
  });
});

afterAll(async () => {
  for (const ws of sockets) ws.terminate();
  await server.close();
  await engine.stop();
  await rm(tmp, { recursive: true, force: true });
});

describe('HTTP API (real listen on 127.0.0.1:0)', () => {
  it('listens on loopback with a real port', () => {
    expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(baseUrl).not.toMatch(/:0$/);
  });

  it('answers health over the network', async () => {
    const res = await fetch(`${baseUrl}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, version: '1.2.3' });
    expect(await client.health()).toEqual({ ok: true, version: '1.2.3' });
  });

  it('round-trips cameras through the contract client', async () => {
    const camera = await client.addCamera({
      name: 'Garage',
      streams: { main: { url: 'rtsp://127.0.0.1:1/live' } },
      password: 'pw',
    });
    expect(camera).toMatchObject({ id: 'garage', hasPassword: true });
    expect(await client.getCamera({ id: 'garage' })).toEqual(camera);
    const updated = await client.updateCamera({ id: 'garage', patch: { enabled: false } });
    expect(updated.enabled).toBe(false);
    expect((await client.listCameras()).map((c) => c.id)).toEqual(['garage']);
    const raw = await (await fetch(`${baseUrl}/api/cameras`)).text();
    expect(raw).not.toContain('"pw"');
    expect(raw).not.toContain('password"');
    await client.deleteCamera({ id: 'garage' });
    await expect(client.getCamera({ id: 'garage' })).rejects.toMatchObject({
      kind: 'not_found',
      status: 404,
    });
  });

  it('reports bad input as NvrApiError with the field', async () => {
    const err = await client.listRecordings({ id: 'x', from: 10, to: 5 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(NvrApiError);
    expect(err).toMatchObject({ kind: 'bad_request', field: 'to', status: 400 });
    const res = await fetch(`${baseUrl}/api/cameras`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ApiErrorBody).error).toMatchObject({
      kind: 'bad_request',
      field: 'body',
    });
  });

  it('answers 501 and 404 over the network', async () => {
    await client.addCamera({
      name: 'Lobby',
      streams: { main: { url: 'rtsp://127.0.0.1:1/live' } },
    });
    const live = await fetch(`${baseUrl}/api/cameras/lobby/hls/live.m3u8`);
    expect(live.status).toBe(501);
    expect(((await live.json()) as ApiErrorBody).error.kind).toBe('not_implemented');
    expect((await fetch(`${baseUrl}/api/nothing/here`)).status).toBe(404);
  });

  it('pushes events over the WebSocket', async () => {
    const received: NvrEvent[] = [];
    const added = new Promise<NvrEvent>((resolve) => {
      const unsubscribe = client.subscribe((event) => {
        received.push(event);
        if (event.type === 'camera.added') {
          unsubscribe();
          resolve(event);
        }
      });
    });
    const ws = [...sockets].at(-1)!;
    if (ws.readyState !== WebSocket.OPEN) await new Promise((resolve) => ws.once('open', resolve));
    await client.addCamera({ name: 'Door', streams: { main: { url: 'rtsp://127.0.0.1:1/live' } } });
    const event = await added;
    expect(event).toMatchObject({
      type: 'camera.added',
      payload: { camera: { id: 'door', name: 'Door', hasPassword: false } },
    });
  });
});

describe('contract mirrors', () => {
  it('base and contract list the same error kinds, each with an HTTP status', () => {
    expect([...ERROR_KINDS]).toEqual([...BASE_ERROR_KINDS]);
    for (const kind of ERROR_KINDS) expect(HTTP_STATUS_BY_KIND[kind]).toBeGreaterThanOrEqual(400);
  });
});

describe('base logger under fastify', () => {
  it('is accepted as loggerInstance and receives request-scoped records', async () => {
    const mem = memorySink();
    const app = Fastify({ loggerInstance: createLogger({ sink: mem.sink }) });
    app.get('/x', async (req) => {
      req.log.info({ route: 'x' }, 'handled');
      return { ok: true };
    });
    const res = await app.inject({ method: 'GET', url: '/x' });
    await app.close();
    expect(res.json()).toEqual({ ok: true });
    expect(mem.records().find((r) => r.msg === 'handled')).toMatchObject({
      level: 'info',
      route: 'x',
      reqId: expect.any(String),
    });
    // fastify's req serializer is applied (no huge raw request objects in the log).
    expect(mem.records().find((r) => r.msg === 'incoming request')?.req).toMatchObject({
      method: 'GET',
      url: '/x',
    });
  });
});
