// Auth over real HTTP on 127.0.0.1 ('required' mode): missing/expired/forged credentials, roles, camera
// scope, CSRF, login backoff, traversal in every file-naming parameter, body limits, WebSocket, CORS.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nullLogger } from '../base';
import { createEngine } from './index';
import type { Engine } from './index';
import { AuthService, MemoryAuthStore, createHttpServer } from '../server';
import type { HttpServer } from '../server';

const camera = (name: string) => ({
  name,
  streams: { main: { url: 'rtsp://127.0.0.1:1/ch1' } },
  password: 'camera-secret-pw',
});
const ADMIN_PW = 'admin-password-1';
const VIEWER_PW = 'viewer-password-1';

let tmp: string;
let engine: Engine;
let server: HttpServer;
let base: string;
let nowMs = 1_700_000_000_000;
const auth = new AuthService({
  store: new MemoryAuthStore(),
  nowMs: () => nowMs,
  sessionTtlMs: 3600_000,
});
const fileCalls: string[] = [];
let adminToken: string;
let viewerToken: string;

async function login(username: string, password: string, headers: Record<string, string> = {}) {
  return fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ username, password }),
  });
}
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
async function get(url: string, headers: Record<string, string> = {}) {
  return fetch(`${base}${url}`, { headers, redirect: 'manual' });
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'nvr-auth-'));
  const rendererDir = path.join(tmp, 'renderer');
  await mkdir(rendererDir, { recursive: true });
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>SPA</title>');
  await writeFile(path.join(tmp, 'secret.txt'), 'TOP-SECRET');
  engine = createEngine(
    {
      dataDir: path.join(tmp, 'data'),
      host: '127.0.0.1',
      port: 0,
      demo: false,
      logLevel: 'silent',
    },
    { logger: nullLogger(), recording: false },
  );
  server = await createHttpServer({
    api: engine.api,
    logger: nullLogger(),
    rendererDir,
    auth: {
      mode: 'required',
      service: auth,
      corsOrigins: ['https://dashboard.example'],
      segmentCamera: (id) => (id === 7 ? 'yard' : id === 8 ? 'door' : undefined),
    },
    segmentFiles: async (id) => {
      fileCalls.push(`segment:${id}`);
      return { status: 200, contentType: 'video/mp4', headers: {}, body: 'seg' };
    },
    liveFiles: async (input) => {
      fileCalls.push(`live:${input.file}`);
      return { contentType: 'video/mp4', body: 'live' };
    },
  });
  base = await server.listen({ host: '127.0.0.1', port: 0 });
  await auth.createUser({ username: 'admin', password: ADMIN_PW, role: 'admin' }, null, null);
  await auth.createUser(
    { username: 'viewer', password: VIEWER_PW, role: 'viewer', cameras: ['yard'] },
    'admin',
    null,
  );
  adminToken = ((await (await login('admin', ADMIN_PW)).json()) as { token: string }).token;
  viewerToken = ((await (await login('viewer', VIEWER_PW)).json()) as { token: string }).token;
  for (const name of ['Yard', 'Door']) {
    const res = await fetch(`${base}/api/cameras`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(adminToken) },
      body: JSON.stringify(camera(name)),
    });
    expect(res.status).toBe(201);
  }
});

afterAll(async () => {
  await server.close();
  await engine.stop();
  await rm(tmp, { recursive: true, force: true });
});

describe('auth over HTTP', () => {
  it('refuses every route without credentials, except health and the login page', async () => {
    for (const url of [
      '/api/cameras',
      '/api/system',
      '/api/cameras/yard/status',
      '/api/cameras/yard/hls/vod.m3u8?from=1&to=2',
      '/api/cameras/yard/snapshot',
      '/api/cameras/yard/export.mp4?from=1&to=2',
      '/api/cameras/yard/hls/live/init-1.mp4',
      '/api/segments/7.mp4',
      '/api/exports',
      '/api/auth/whoami',
      '/api/nope',
    ]) {
      const res = await get(url);
      expect(res.status, url).toBe(401);
      expect(((await res.json()) as { error: { kind: string } }).error.kind).toBe('unauthorized');
    }
    const whep = await fetch(`${base}/api/cameras/yard/whep`, {
      method: 'POST',
      headers: { 'content-type': 'application/sdp' },
      body: 'v=0\r\n',
    });
    expect(whep.status).toBe(401);
    expect(fileCalls).toEqual([]);
    expect((await get('/api/health')).status).toBe(200);
    expect((await get('/login')).status).toBe(200);
    expect((await get('/login')).headers.get('content-security-policy')).toContain(
      "script-src 'self'",
    );
    const page = await get('/', { accept: 'text/html' });
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/login');
  });

  it('logs in with a cookie (HttpOnly, SameSite=Strict) and a bearer token', async () => {
    const res = await login('admin', ADMIN_PW);
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^nvr_session=nvr_[\w-]+; Path=\/; HttpOnly; SameSite=Strict/);
    const { token } = (await res.json()) as { token: string };
    const who = await get('/api/auth/whoami', { cookie: setCookie.split(';')[0]! });
    expect(await who.json()).toMatchObject({ user: 'admin', role: 'admin', cameras: null });
    expect((await get('/api/cameras', bearer(token))).status).toBe(200);
    expect((await login('admin', 'wrong-password')).status).toBe(401);
  });

  it('rejects forged cookies and tokens', async () => {
    const forged: Record<string, string>[] = [
      { cookie: 'nvr_session=nvr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
      { cookie: `nvr_session=${adminToken}x` },
      { authorization: 'Bearer forged' },
      { authorization: `Bearer ${adminToken.slice(0, -2)}` },
    ];
    for (const headers of forged) expect((await get('/api/cameras', headers)).status).toBe(401);
  });

  it('expires sessions', async () => {
    const { token } = (await (await login('viewer', VIEWER_PW)).json()) as { token: string };
    expect((await get('/api/cameras', bearer(token))).status).toBe(200);
    nowMs += 3600_000 + 1;
    try {
      expect((await get('/api/cameras', bearer(token))).status).toBe(401);
    } finally {
      nowMs -= 3600_000 + 1;
    }
  });

  it('keeps viewers out of admin routes and outside their cameras', async () => {
    const v = bearer(viewerToken);
    const post = await fetch(`${base}/api/cameras`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...v },
      body: JSON.stringify(camera('Evil')),
    });
    expect(post.status).toBe(403);
    expect((await get('/api/auth/users', v)).status).toBe(403);
    expect((await get('/api/auth/audit', v)).status).toBe(403);
    const rpc = await fetch(`${base}/api/rpc/deleteCamera`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...v },
      body: JSON.stringify({ id: 'yard' }),
    });
    expect(rpc.status).toBe(403);
    // The add-camera wizard's stream test opens arbitrary URLs: admin only.
    const streamTest = await fetch(`${base}/api/streams/test`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...v },
      body: JSON.stringify({ url: 'rtsp://127.0.0.1:9/x' }),
    });
    expect(streamTest.status).toBe(403);
    // camera scope
    const cams = (await (await get('/api/cameras', v)).json()) as { id: string }[];
    expect(cams.map((c) => c.id)).toEqual(['yard']);
    expect((await get('/api/cameras/yard', v)).status).toBe(200);
    expect((await get('/api/cameras/door', v)).status).toBe(403);
    expect((await get('/api/cameras/door/hls/live/init-1.mp4', v)).status).toBe(403);
    expect((await get('/api/segments/8.mp4', v)).status).toBe(403);
    expect((await get('/api/segments/9.mp4', v)).status).toBe(403);
    expect((await get('/api/segments/7.mp4', v)).status).toBe(200);
    const timeline = await fetch(`${base}/api/timeline`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...v },
      body: JSON.stringify({ cameraIds: ['door'], from: 1, to: 2 }),
    });
    expect(timeline.status).toBe(403);
    const exp = await fetch(`${base}/api/exports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...v },
      body: JSON.stringify({ cameraIds: ['yard', 'door'], from: 1, to: 2 }),
    });
    expect(exp.status).toBe(403);
    // camera passwords are never returned
    const one = await (await get('/api/cameras/yard', bearer(adminToken))).text();
    expect(one).not.toContain('camera-secret-pw');
  });

  it('requires a same-origin Origin for cookie writes (CSRF), not for bearer clients', async () => {
    const cookie = `nvr_session=${adminToken}`;
    const patch = (headers: Record<string, string>) =>
      fetch(`${base}/api/cameras/door`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ name: 'Door 2' }),
      });
    expect((await patch({ cookie })).status).toBe(403);
    expect((await patch({ cookie, origin: 'https://evil.example' })).status).toBe(403);
    expect((await patch({ cookie, origin: base })).status).toBe(200);
    expect((await patch(bearer(adminToken))).status).toBe(200);
  });

  it('backs off after repeated wrong passwords (429 with Retry-After)', async () => {
    const addr = { 'x-test': 'backoff' };
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await login('admin', `wrong-${i}`, addr)).status);
    // 5 failures per address and username in all: the earlier test's wrong admin password counts.
    expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401]);
    expect(statuses.slice(4).every((s) => s === 429)).toBe(true);
    const locked = await login('admin', ADMIN_PW);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    nowMs += 15 * 60_000;
    expect((await login('admin', ADMIN_PW)).status).toBe(200);
  });

  it('rejects ../ and URL-encoded traversal in every file-naming parameter', async () => {
    const a = bearer(adminToken);
    const before = fileCalls.length;
    for (const url of [
      '/api/segments/..%2F..%2Fsecret.txt',
      '/api/segments/..%252F7.mp4',
      '/api/segments/7.mp4%2F..%2F..%2Fsecret.txt',
      '/api/cameras/yard/hls/live/..%2F..%2Fsecret.txt',
      '/api/cameras/yard/hls/live/%2e%2e%2fsecret.txt',
      '/api/cameras/..%2F..%2Fsecret.txt/hls/live/init-1.mp4',
      '/api/cameras/..%2Fyard/status',
      '/api/exports/..%2F..%2Fsecret.txt/file',
      '/api/cameras/yard/thumbnail?time=..%2F..%2Fsecret.txt',
    ]) {
      const res = await get(url, a);
      expect([400, 404], url).toContain(res.status);
      expect(await res.text(), url).not.toContain('TOP-SECRET');
    }
    for (const url of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2Fsecret.txt']) {
      const res = await get(url, { ...a, accept: 'text/html' });
      expect(await res.text(), url).not.toContain('TOP-SECRET');
    }
    expect(fileCalls.length).toBe(before);
  });

  it('bounds numeric parameters', async () => {
    const a = bearer(adminToken);
    for (const url of [
      '/api/cameras/yard/recordings?from=99999999999999999999&to=1',
      '/api/cameras/yard/recordings?from=-1&to=1',
      '/api/cameras/yard/recordings?from=1.5&to=2',
      '/api/segments/1234567890123456.mp4',
      '/api/cameras/yard/hls/live/seg-1234567890123.m4s',
      '/api/auth/audit?limit=0',
      '/api/auth/audit?limit=1001',
    ])
      expect((await get(url, a)).status, url).toBe(400);
    const patch = await fetch(`${base}/api/auth/users/99999999999`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', ...a },
      body: '{}',
    });
    expect(patch.status).toBe(400);
  });

  it('rejects oversized bodies', async () => {
    const big = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'x'.repeat(8000) }),
    });
    expect(big.status).toBe(413);
    const huge = await fetch(`${base}/api/cameras`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(adminToken) },
      body: JSON.stringify({ ...camera('Huge'), notes: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(huge.status).toBe(413);
  });

  it('refuses a WebSocket without a session and accepts one with it', async () => {
    const wsUrl = `${base.replace('http', 'ws')}/api/events`;
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(wsUrl);
      ws.on('unexpected-response', (req, res) => {
        req.destroy();
        resolve(res.statusCode ?? 0);
      });
      ws.on('open', () => {
        ws.close();
        resolve(101);
      });
    });
    expect(status).toBe(401);
    const cross = await new Promise<number>((resolve) => {
      const ws = new WebSocket(wsUrl, {
        headers: { cookie: `nvr_session=${adminToken}`, origin: 'https://evil.example' },
      });
      ws.on('unexpected-response', (req, res) => {
        req.destroy();
        resolve(res.statusCode ?? 0);
      });
      ws.on('open', () => {
        ws.close();
        resolve(101);
      });
    });
    expect(cross).toBe(403);
    const ok = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(wsUrl, {
        headers: { cookie: `nvr_session=${adminToken}`, origin: base },
      });
      ws.on('unexpected-response', (req, res) => {
        req.destroy();
        resolve(res.statusCode ?? 0);
      });
      ws.on('error', reject);
      ws.on('open', () => {
        ws.close();
        resolve(101);
      });
    });
    expect(ok).toBe(101);
  });

  it('issues viewer-scoped API tokens an admin can revoke', async () => {
    const res = await fetch(`${base}/api/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(adminToken) },
      body: JSON.stringify({ name: 'embed' }),
    });
    expect(res.status).toBe(201);
    const t = (await res.json()) as { id: string; token: string };
    expect((await get('/api/cameras', bearer(t.token))).status).toBe(200);
    expect((await get(`/api/cameras?access_token=${t.token}`)).status).toBe(200);
    // a session secret is not accepted in a URL
    expect((await get(`/api/cameras?access_token=${adminToken}`)).status).toBe(401);
    expect((await get('/api/auth/users', bearer(t.token))).status).toBe(403);
    const del = await fetch(`${base}/api/auth/tokens/${t.id}`, {
      method: 'DELETE',
      headers: bearer(adminToken),
    });
    expect(del.status).toBe(204);
    expect((await get('/api/cameras', bearer(t.token))).status).toBe(401);
  });

  it('logs out, keeps CORS closed by default, and writes the audit log', async () => {
    const { token } = (await (await login('viewer', VIEWER_PW)).json()) as { token: string };
    const out = await fetch(`${base}/api/auth/logout`, { method: 'POST', headers: bearer(token) });
    expect(out.status).toBe(204);
    expect((await get('/api/cameras', bearer(token))).status).toBe(401);

    const foreign = await get('/api/health', { origin: 'https://evil.example' });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    const allowed = await get('/api/health', { origin: 'https://dashboard.example' });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://dashboard.example');

    const audit = (await (await get('/api/auth/audit?limit=1000', bearer(adminToken))).json()) as {
      action: string;
    }[];
    const actions = new Set(audit.map((e) => e.action));
    for (const a of [
      'login',
      'login.failed',
      'login.rate_limited',
      'logout',
      'user.create',
      'token.create',
      'token.revoke',
      'api.addCamera',
      'api.updateCamera',
    ])
      expect(actions, a).toContain(a);
    expect((await get('/api/auth/audit?limit=100000', bearer(adminToken))).status).toBe(400);
  });

  it('refuses to listen beyond loopback without auth or without an admin', async () => {
    const open = await createHttpServer({ api: engine.api, logger: nullLogger() });
    await expect(open.listen({ host: '0.0.0.0', port: 0 })).rejects.toThrow(
      /without authentication/,
    );
    await open.close();
    const noAdmin = await createHttpServer({
      api: engine.api,
      logger: nullLogger(),
      auth: { mode: 'required', service: new AuthService({ store: new MemoryAuthStore() }) },
    });
    await expect(noAdmin.listen({ host: '0.0.0.0', port: 0 })).rejects.toThrow(/no admin/);
    await noAdmin.close();
  });

  it('answers only loopback Host names in loopback-open mode', async () => {
    const open = await createHttpServer({ api: engine.api, logger: nullLogger() });
    const res = await open.app.inject({
      method: 'GET',
      url: '/api/cameras',
      headers: { host: 'evil.example' },
    });
    expect(res.statusCode).toBe(403);
    const ok = await open.app.inject({
      method: 'GET',
      url: '/api/cameras',
      headers: { host: '127.0.0.1:8480' },
    });
    expect(ok.statusCode).toBe(200);
    await open.close();
  });
});
