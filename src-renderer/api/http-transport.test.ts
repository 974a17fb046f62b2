import { describe, expect, it } from 'vitest';
import { ApiCallError } from './api-error';
import { buildRequest } from './http-routes';
import { createHttpTransport, parseEventFrame, type WebSocketLike } from './http-transport';
import type { LinkState } from './transport';

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

function fakeFetch(
  answer: (req: Sent) => { status: number; body: string; headers?: Record<string, string> },
) {
  const sent: Sent[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    const req = {
      url,
      method: String(init.method),
      headers: init.headers as Record<string, string>,
      body: init.body as string | undefined,
    };
    sent.push(req);
    const a = answer(req);
    return new Response(a.body === '' ? null : a.body, { status: a.status, headers: a.headers });
  }) as unknown as typeof globalThis.fetch;
  return { fetch, sent };
}

class FakeSocket implements WebSocketLike {
  onopen: WebSocketLike['onopen'] = null;
  onmessage: WebSocketLike['onmessage'] = null;
  onclose: WebSocketLike['onclose'] = null;
  onerror: WebSocketLike['onerror'] = null;
  closed = false;
  constructor(readonly url: string) {}
  close() {
    this.closed = true;
  }
}

describe('buildRequest', () => {
  it('fills path parameters and sends the rest as the query', () => {
    expect(
      buildRequest(
        { method: 'GET', path: '/api/cameras/:id/recordings' },
        { id: 'cam 1', from: 1, to: 2, stream: undefined },
      ),
    ).toEqual({
      url: '/api/cameras/cam%201/recordings?from=1&to=2',
      body: undefined,
    });
  });
  it("sends everything but path parameters as the body with body '*'", () => {
    expect(
      buildRequest(
        { method: 'POST', path: '/api/cameras', body: '*' },
        { name: 'Door', enabled: true },
      ),
    ).toEqual({
      url: '/api/cameras',
      body: { name: 'Door', enabled: true },
    });
  });
  it('rounds fractional wall-clock times (from, to, time) to integer ms', () => {
    expect(
      buildRequest(
        { method: 'GET', path: '/api/cameras/:id/recordings' },
        { id: 'a', from: 1000.4, to: 2000.5, stream: 'main' },
      ).url,
    ).toBe('/api/cameras/a/recordings?from=1000&to=2001&stream=main');
    expect(
      buildRequest(
        { method: 'POST', path: '/api/timeline', body: '*' },
        { cameraIds: ['a'], from: 1.25, to: 9.75 },
      ).body,
    ).toEqual({ cameraIds: ['a'], from: 1, to: 10 });
  });
  it('sends one key as the body when the route names it', () => {
    expect(
      buildRequest(
        { method: 'PATCH', path: '/api/cameras/:id', body: 'patch' },
        { id: 'a', patch: { name: 'x' } },
      ),
    ).toEqual({
      url: '/api/cameras/a',
      body: { name: 'x' },
    });
  });
});

describe('HttpTransport', () => {
  it('calls the route of each method and parses JSON', async () => {
    const { fetch, sent } = fakeFetch((req) =>
      req.url.endsWith('/api/cameras')
        ? { status: 200, body: '[]' }
        : { status: 200, body: '{"ok":true,"version":"1.2.3"}' },
    );
    const api = createHttpTransport({ baseUrl: 'http://127.0.0.1:9/', fetch });
    await expect(api.health()).resolves.toEqual({ ok: true, version: '1.2.3' });
    await expect(api.listCameras()).resolves.toEqual([]);
    expect(sent.map((s) => `${s.method} ${s.url}`)).toEqual([
      'GET http://127.0.0.1:9/api/health',
      'GET http://127.0.0.1:9/api/cameras',
    ]);
  });

  it('posts JSON bodies and patches with the nested body key', async () => {
    const { fetch, sent } = fakeFetch(() => ({ status: 201, body: '{"id":"x"}' }));
    const api = createHttpTransport({ baseUrl: '', fetch });
    await api.addCamera({ name: 'Door', streams: { main: { url: 'rtsp://127.0.0.1/a' } } });
    await api.updateCamera({ id: 'x', patch: { name: 'Gate' } });
    expect(sent[0]).toMatchObject({
      method: 'POST',
      url: '/api/cameras',
      body: '{"name":"Door","streams":{"main":{"url":"rtsp://127.0.0.1/a"}}}',
    });
    expect(sent[0]?.headers['content-type']).toBe('application/json');
    expect(sent[1]).toMatchObject({
      method: 'PATCH',
      url: '/api/cameras/x',
      body: '{"name":"Gate"}',
    });
  });

  it('returns resource URLs without calling the engine', async () => {
    const { fetch, sent } = fakeFetch(() => ({ status: 500, body: '' }));
    const api = createHttpTransport({ baseUrl: 'http://127.0.0.1:9', fetch });
    await expect(api.getSnapshotUrl({ id: 'door' })).resolves.toEqual({
      url: 'http://127.0.0.1:9/api/cameras/door/snapshot',
    });
    await expect(
      api.getVodPlaylistUrl({ id: 'door', from: 10, to: 20, stream: 'sub' }),
    ).resolves.toEqual({
      url: 'http://127.0.0.1:9/api/cameras/door/hls/vod.m3u8?from=10&to=20&stream=sub',
    });
    expect(sent).toHaveLength(0);
  });

  it('sends SDP as text and reads the session id from Location (WHEP)', async () => {
    const { fetch, sent } = fakeFetch(() => ({
      status: 201,
      body: 'v=0 answer',
      headers: { location: '/api/cameras/door/whep/s123' },
    }));
    const api = createHttpTransport({ baseUrl: '', fetch });
    await expect(api.startLive({ id: 'door', offerSdp: 'v=0 offer' })).resolves.toEqual({
      sdp: 'v=0 answer',
      sessionId: 's123',
    });
    expect(sent[0]).toMatchObject({
      method: 'POST',
      url: '/api/cameras/door/whep',
      body: 'v=0 offer',
    });
    expect(sent[0]?.headers['content-type']).toBe('application/sdp');
  });

  it('rejects with the engine error kind, message, field and status', async () => {
    const { fetch } = fakeFetch(() => ({
      status: 400,
      body: JSON.stringify({
        error: { kind: 'bad_request', message: 'name: must not be empty', field: 'name' },
      }),
    }));
    const api = createHttpTransport({ baseUrl: '', fetch });
    const err = await api
      .addCamera({ name: '', streams: { main: { url: 'rtsp://x/' } } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiCallError);
    expect(err).toMatchObject({
      kind: 'bad_request',
      field: 'name',
      status: 400,
      message: 'name: must not be empty',
    });
  });

  it('turns network failures and non-JSON errors into typed errors', async () => {
    const down = createHttpTransport({
      baseUrl: '',
      fetch: (async () => Promise.reject(new TypeError('fetch failed'))) as unknown as typeof fetch,
    });
    await expect(down.health()).rejects.toMatchObject({ kind: 'unavailable' });
    const { fetch } = fakeFetch(() => ({ status: 502, body: 'Bad Gateway' }));
    await expect(createHttpTransport({ baseUrl: '', fetch }).health()).rejects.toMatchObject({
      kind: 'internal',
      status: 502,
    });
  });

  it('delivers events from the WebSocket and reconnects with backoff after a close', () => {
    const sockets: FakeSocket[] = [];
    const timers: { fn: () => void; ms: number }[] = [];
    const links: LinkState[] = [];
    const api = createHttpTransport({
      baseUrl: 'http://127.0.0.1:9',
      fetch: fakeFetch(() => ({ status: 200, body: '{}' })).fetch,
      openWebSocket: (url) => {
        const s = new FakeSocket(url);
        sockets.push(s);
        return s;
      },
      setTimer: (fn, ms) => timers.push({ fn, ms }),
      clearTimer: () => undefined,
      minRetryMs: 100,
      maxRetryMs: 250,
    });
    api.onLink((l) => links.push(l));
    const got: string[] = [];
    api.subscribe((e) => got.push(e.type));
    expect(sockets[0]?.url).toBe('ws://127.0.0.1:9/api/events');
    sockets[0]!.onopen?.({});
    sockets[0]!.onmessage?.({
      data: JSON.stringify({ type: 'camera.removed', payload: { id: 'a' } }),
    });
    sockets[0]!.onmessage?.({ data: 'not json' });
    sockets[0]!.onmessage?.({ data: JSON.stringify({ type: 'no.such.event', payload: {} }) });
    expect(got).toEqual(['camera.removed']);

    sockets[0]!.onclose?.({ code: 1006 });
    sockets[0]!.onclose?.({ code: 1006 }); // a stale second close changes nothing
    expect(api.link).toBe('offline');
    expect(timers.map((t) => t.ms)).toEqual([100]);
    timers[0]!.fn();
    expect(sockets).toHaveLength(2);
    sockets[1]!.onclose?.({});
    timers[1]!.fn();
    sockets[2]!.onclose?.({});
    expect(timers.map((t) => t.ms)).toEqual([100, 200, 250]);
    timers[2]!.fn();
    sockets[3]!.onopen?.({});
    expect(links).toEqual([
      'online',
      'offline',
      'connecting',
      'offline',
      'connecting',
      'offline',
      'connecting',
      'online',
    ]);

    api.close();
    expect(sockets[3]!.closed).toBe(true);
  });
});

describe('HttpTransport sessions', () => {
  it('reads who is signed in from whoami', async () => {
    const { fetch, sent } = fakeFetch(() => ({
      status: 200,
      body: '{"authMode":"required","user":"guard","role":"viewer","cameras":["yard"],"via":"session","tlsFingerprint":"AB:CD"}',
    }));
    const api = createHttpTransport({ baseUrl: '', fetch, onUnauthorized: () => {} });
    await expect(api.whoami()).resolves.toEqual({
      user: 'guard',
      role: 'viewer',
      cameras: ['yard'],
      authMode: 'required',
      tlsFingerprint: 'AB:CD',
    });
    expect(sent[0]).toMatchObject({ method: 'GET', url: '/api/auth/whoami' });
    const open = fakeFetch(() => ({
      status: 200,
      body: '{"authMode":"loopback-open","user":null,"role":"admin","cameras":null,"via":"loopback"}',
    }));
    await expect(createHttpTransport({ baseUrl: '', fetch: open.fetch }).whoami()).resolves.toEqual(
      { user: null, role: 'admin', cameras: null, authMode: 'loopback-open' },
    );
  });

  it('goes to the login page once when a call answers 401, and still rejects the call', async () => {
    let expired = false;
    const { fetch } = fakeFetch(() =>
      expired
        ? { status: 401, body: '{"error":{"kind":"unauthorized","message":"sign in first"}}' }
        : { status: 200, body: '[]' },
    );
    let redirects = 0;
    const api = createHttpTransport({ baseUrl: '', fetch, onUnauthorized: () => redirects++ });
    await api.listCameras();
    expect(redirects).toBe(0);
    expired = true;
    await expect(api.listCameras()).rejects.toMatchObject({ kind: 'unauthorized' });
    await expect(api.getSystem()).rejects.toBeInstanceOf(ApiCallError);
    await expect(api.whoami()).rejects.toMatchObject({ kind: 'unauthorized' });
    expect(redirects).toBe(1);
  });

  it('asks whoami when the event socket closes, so an expired session leads to the login page', async () => {
    const sockets: FakeSocket[] = [];
    const { fetch, sent } = fakeFetch(() => ({
      status: 401,
      body: '{"error":{"kind":"unauthorized","message":"sign in first"}}',
    }));
    let redirects = 0;
    const api = createHttpTransport({
      baseUrl: 'http://127.0.0.1:9',
      fetch,
      openWebSocket: (url) => {
        const ws = new FakeSocket(url);
        sockets.push(ws);
        return ws;
      },
      setTimer: () => 0,
      clearTimer: () => {},
      onUnauthorized: () => redirects++,
    });
    api.subscribe(() => {});
    sockets[0]!.onclose?.({ code: 1006 });
    await new Promise((r) => setTimeout(r, 0));
    expect(sent.map((r) => r.url)).toEqual(['http://127.0.0.1:9/api/auth/whoami']);
    expect(redirects).toBe(1);
    api.close();
  });

  it('logs out with a POST and then leaves for the login page', async () => {
    const { fetch, sent } = fakeFetch(() => ({ status: 204, body: '' }));
    let redirects = 0;
    const api = createHttpTransport({ baseUrl: '', fetch, onUnauthorized: () => redirects++ });
    await api.logout();
    expect(sent.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /api/auth/logout']);
    expect(redirects).toBe(1);
  });
});

describe('parseEventFrame', () => {
  it('accepts known event names with an object payload only', () => {
    expect(
      parseEventFrame(
        '{"type":"camera.state","payload":{"id":"a","status":{"state":"idle","streams":{}}}}',
      )?.type,
    ).toBe('camera.state');
    expect(parseEventFrame('{"type":"camera.state"}')).toBeUndefined();
    expect(parseEventFrame('{"type":"toString","payload":{}}')).toBeUndefined();
    expect(parseEventFrame('[1,2]')).toBeUndefined();
  });
});
