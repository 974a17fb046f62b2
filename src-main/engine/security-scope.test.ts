// Hardening (issue 22) against the headless engine with login required on loopback, real SQLite:
// events and results cut to a viewer's camera scope, camera credentials never returned and never in
// the database in clear, Origin checked on every WebSocket upgrade, framing refused, password changes
// revoking the other sessions, camera ids never reused, scopes naming existing cameras only.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nullLogger } from '../base';
import { createHttpServer } from '../server';
import { RecordingIndex } from '../storage';
import { createEngine } from './engine';
import type { Engine } from './engine';
import { apiClient, bearer } from './testing';

const ADMIN_PW = 'admin-password-1';
const VIEWER_PW = 'viewer-password-1';
const URL_SECRET = 'url-secret-pw-7f3a';
const FIELD_SECRET = 'field-secret-pw-91c2';
const camera = (name: string) => ({
  name,
  enabled: false,
  streams: {
    main: { url: `rtsp://cam-user:${URL_SECRET}@127.0.0.1:1/${name}/main` },
    sub: { url: `rtsp://cam-user:${URL_SECRET}@127.0.0.1:1/${name}/sub` },
  },
  recording: { mode: 'off' as const },
});

let tmp: string;
let dataDir: string;
let engine: Engine;
let base: string;
let adminToken: string;
let viewerToken: string;
let viewerId: number;

const { call, login } = apiClient(() => base);

/** Status of a WebSocket upgrade (101 when it opened). */
function upgrade(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
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
}

/** An open events socket collecting every message. */
async function eventsSocket(token: string): Promise<{ ws: WebSocket; messages: string[] }> {
  const ws = new WebSocket(`${base.replace('http', 'ws')}/api/events`, { headers: bearer(token) });
  const messages: string[] = [];
  ws.on('message', (data: Buffer) => messages.push(data.toString('utf8')));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, messages };
}

async function until(what: () => boolean, label: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!what()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function dbBytes(): Promise<string> {
  const parts = await Promise.all(
    ['index.db', 'index.db-wal'].map((f) =>
      readFile(path.join(dataDir, f)).catch(() => Buffer.alloc(0)),
    ),
  );
  return Buffer.concat(parts).toString('latin1');
}

function startEngine(): Engine {
  return createEngine(
    {
      dataDir,
      host: '127.0.0.1',
      port: 0,
      demo: false,
      logLevel: 'silent',
      auth: 'required',
      adminPassword: ADMIN_PW,
    },
    { logger: nullLogger(), statsIntervalMs: 0 },
  );
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'nvr-secscope-'));
  dataDir = path.join(tmp, 'data');
  engine = startEngine();
  base = (await engine.start()).url;
  adminToken = await login('admin', ADMIN_PW);
  for (const name of ['Yard', 'Door']) {
    const res = await call('POST', '/api/cameras', adminToken, camera(name));
    expect(res.status).toBe(201);
  }
  const res = await call('POST', '/api/auth/users', adminToken, {
    username: 'guard',
    password: VIEWER_PW,
    role: 'viewer',
    cameras: ['yard'],
  });
  expect(res.status).toBe(201);
  viewerId = ((await res.json()) as { id: number }).id;
  viewerToken = await login('guard', VIEWER_PW);
}, 60_000);

afterAll(async () => {
  await engine?.stop();
  await rm(tmp, { recursive: true, force: true });
});

describe('camera scope and secrets', () => {
  it('sends a viewer only the events of its cameras, and camera configs without credentials', async () => {
    const viewer = await eventsSocket(viewerToken);
    const admin = await eventsSocket(adminToken);
    const bus = engine.events;
    const stream = { state: 'streaming' as const, codec: 'h264' as const, bitrateKbps: 800 };
    for (const id of ['door', 'yard']) {
      bus.emit('camera.state', { id, status: { state: 'streaming', streams: {} } });
      bus.emit('camera.stats', { id, streams: { main: stream } });
      bus.emit('recording.progress', { id, stream: 'main', endMs: 1_700_000_000_000 });
      bus.emit('export.progress', {
        id: `exp-${id}`,
        state: 'running',
        progress: 0.5,
        bytes: 10,
        request: { cameraIds: [id], from: 0, to: 1000, stream: 'main', gaps: 'preserve' },
        createdMs: 1,
      });
    }
    bus.emit('system.stats', {
      ...((await (await call('GET', '/api/system', adminToken)).json()) as object),
    } as never);
    bus.emit('discovery.done', { count: 3 });
    // Real config changes: camera.updated of both cameras, the door's with credentials in its URL.
    for (const id of ['door', 'yard']) {
      const res = await call('PATCH', `/api/cameras/${id}`, adminToken, {
        streams: { main: { url: `rtsp://other:${URL_SECRET}@127.0.0.1:1/${id}/new` } },
      });
      expect(res.status).toBe(200);
    }
    bus.emit('camera.state', { id: 'yard', status: { state: 'idle', streams: {} } }); // the last one
    const isLast = (m: string) => m.includes('"camera.state"') && m.includes('"idle"');
    await until(() => viewer.messages.some(isLast), 'the viewer events');
    await until(() => admin.messages.some(isLast), 'the admin events');
    viewer.ws.close();
    admin.ws.close();

    const types = (ms: string[]) => ms.map((m) => (JSON.parse(m) as { type: string }).type);
    expect(new Set(types(viewer.messages))).toEqual(
      new Set([
        'camera.state',
        'camera.stats',
        'recording.progress',
        'export.progress',
        'system.stats',
        'camera.updated',
      ]),
    );
    const seen = viewer.messages.join('\n');
    expect(seen).not.toMatch(/door/i);
    expect(seen).toContain('yard');
    // The admin hears of both cameras (so the filter above is not vacuous), without credentials.
    expect(admin.messages.join('\n')).toContain('"door"');
    expect(types(admin.messages)).toContain('discovery.done');
    for (const m of [...viewer.messages, ...admin.messages]) {
      expect(m).not.toContain(URL_SECRET);
      expect(m).not.toContain(FIELD_SECRET);
    }
  });

  it('never returns credentials of camera URLs, to viewers or admins, and keeps them sealed at rest', async () => {
    for (const token of [adminToken, viewerToken]) {
      const list = await (await call('GET', '/api/cameras', token)).text();
      const one = await (await call('GET', '/api/cameras/yard', token)).text();
      for (const body of [list, one]) {
        expect(body).not.toContain(URL_SECRET);
        expect(body).not.toContain('@127.0.0.1');
      }
      const yard = JSON.parse(one) as { streams: { main: { url: string } }; hasPassword: boolean };
      expect(yard.streams.main.url).toBe('rtsp://127.0.0.1:1/yard/new');
      expect(yard.hasPassword).toBe(true);
    }
    // The credentials moved to the camera's own fields: a PATCH's URL credentials replace them.
    const yard = (await (await call('GET', '/api/cameras/yard', adminToken)).json()) as {
      username: string;
    };
    expect(yard.username).toBe('other');
    const res = await call('PATCH', '/api/cameras/yard', adminToken, { password: FIELD_SECRET });
    expect(res.status).toBe(200);
    expect(await dbBytes()).not.toContain(URL_SECRET);
    expect(await dbBytes()).not.toContain(FIELD_SECRET);
  });

  it('creates the data folder 0700 and the database files 0600', async () => {
    expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
    for (const f of ['index.db', 'index.db-wal', 'index.db-shm', 'secret.key'])
      expect(((await stat(path.join(dataDir, f))).mode & 0o777).toString(8)).toBe('600');
  });

  it('shows a viewer only its cameras in /api/system and /api/views', async () => {
    const sys = (await (await call('GET', '/api/system', viewerToken)).json()) as {
      cameras: { id: string }[];
    };
    expect(sys.cameras.map((c) => c.id)).toEqual(['yard']);
    const adminSys = (await (await call('GET', '/api/system', adminToken)).json()) as {
      cameras: { id: string }[];
    };
    expect(adminSys.cameras.map((c) => c.id).sort()).toEqual(['door', 'yard']);
    const saved = await call('POST', '/api/views', adminToken, {
      name: 'Front',
      layout: '2x2',
      tiles: ['door', 'yard', null],
    });
    expect(saved.status).toBe(200);
    const views = (await (await call('GET', '/api/views', viewerToken)).json()) as {
      tiles: (string | null)[];
    }[];
    expect(views.map((v) => v.tiles)).toEqual([[null, 'yard', null]]);
    const rpc = await fetch(`${base}/api/rpc/listViews`, {
      method: 'POST',
      headers: { ...bearer(viewerToken), 'content-type': 'application/json' },
      body: '{}',
    });
    expect(await rpc.text()).not.toContain('door');
  });

  it('accepts only existing cameras in a viewer scope (400 naming the field)', async () => {
    const add = await call('POST', '/api/auth/users', adminToken, {
      username: 'ghost',
      password: VIEWER_PW,
      role: 'viewer',
      cameras: ['yard', 'not-yet'],
    });
    expect(add.status).toBe(400);
    expect(await add.json()).toMatchObject({ error: { kind: 'bad_request', field: 'cameras' } });
    const patch = await call('PATCH', `/api/auth/users/${viewerId}`, adminToken, {
      cameras: ['gate'],
    });
    expect(patch.status).toBe(400);
  });
});

describe('origin and framing', () => {
  it('refuses WebSocket upgrades from another origin in both modes; own origin and no origin pass', async () => {
    const ws = `${base.replace('http', 'ws')}/api/events`;
    expect(await upgrade(ws, { ...bearer(viewerToken), origin: 'http://evil.example' })).toBe(403);
    expect(await upgrade(ws, { ...bearer(viewerToken), origin: base })).toBe(101);
    expect(await upgrade(ws, bearer(viewerToken))).toBe(101);

    const open = await createHttpServer({ api: engine.api, logger: nullLogger() });
    const openBase = await open.listen({ host: '127.0.0.1', port: 0 });
    try {
      const openWs = `${openBase.replace('http', 'ws')}/api/events`;
      expect(await upgrade(openWs, { origin: 'http://evil.example' })).toBe(403);
      expect(await upgrade(openWs, { origin: 'null' })).toBe(403); // a sandboxed frame anywhere
      expect(await upgrade(openWs, { origin: openBase })).toBe(101);
      expect(await upgrade(openWs, {})).toBe(101);
      for (const url of ['/', '/api/health', '/api/cameras']) {
        const res = await fetch(`${openBase}${url}`);
        expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
        expect(res.headers.get('x-frame-options')).toBe('DENY');
      }
    } finally {
      await open.close();
    }
  });
});

describe('password changes', () => {
  it('lets a viewer change its own password with the current one, revoking its other sessions and tokens', async () => {
    const a = await login('guard', VIEWER_PW);
    const b = await login('guard', VIEWER_PW);
    const tokenRes = await call('POST', '/api/auth/tokens', adminToken, {
      name: 'wall',
      userId: viewerId,
    });
    expect(tokenRes.status).toBe(201);
    const apiToken = ((await tokenRes.json()) as { token: string }).token;
    expect((await call('GET', '/api/cameras', apiToken)).status).toBe(200);

    const socketB = await eventsSocket(b);
    const closedB = new Promise<number>((resolve) =>
      socketB.ws.once('close', (code) => resolve(code)),
    );

    const NEW_PW = 'viewer-password-2';
    const wrong = await call('POST', '/api/auth/password', a, {
      currentPassword: 'not-the-password',
      newPassword: NEW_PW,
    });
    expect(wrong.status).toBe(403);
    const ok = await call('POST', '/api/auth/password', a, {
      currentPassword: VIEWER_PW,
      newPassword: NEW_PW,
    });
    expect(ok.status).toBe(204);
    expect((await call('GET', '/api/auth/whoami', a)).status).toBe(200);
    for (const gone of [b, apiToken, viewerToken])
      expect((await call('GET', '/api/cameras', gone)).status).toBe(401);
    // The events socket of a revoked session is closed as soon as events flow (within a second).
    let closedCode: number | undefined;
    void closedB.then((code) => (closedCode = code));
    const heartbeat = setInterval(
      () =>
        engine.events.emit('camera.state', { id: 'yard', status: { state: 'idle', streams: {} } }),
      100,
    );
    try {
      await until(() => closedCode !== undefined, 'the revoked socket to close');
    } finally {
      clearInterval(heartbeat);
    }
    expect(closedCode).toBe(4401);
    const old = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'guard', password: VIEWER_PW }),
    });
    expect(old.status).toBe(401);
    viewerToken = await login('guard', NEW_PW);

    // An admin setting the viewer's password ends every viewer session; the admin's own change keeps
    // the admin's current session and ends the others.
    const res = await call('PATCH', `/api/auth/users/${viewerId}`, adminToken, {
      password: VIEWER_PW,
    });
    expect(res.status).toBe(200);
    for (const gone of [a, viewerToken])
      expect((await call('GET', '/api/cameras', gone)).status).toBe(401);
    viewerToken = await login('guard', VIEWER_PW);
    const otherAdmin = await login('admin', ADMIN_PW);
    const me = (await (await call('GET', '/api/auth/whoami', adminToken)).json()) as object;
    expect(me).toMatchObject({ user: 'admin' });
    const users = (await (await call('GET', '/api/auth/users', adminToken)).json()) as {
      id: number;
      username: string;
    }[];
    const adminId = users.find((u) => u.username === 'admin')!.id;
    expect(
      (await call('PATCH', `/api/auth/users/${adminId}`, adminToken, { password: ADMIN_PW }))
        .status,
    ).toBe(200);
    expect((await call('GET', '/api/cameras', adminToken)).status).toBe(200);
    expect((await call('GET', '/api/cameras', otherAdmin)).status).toBe(401);
  });
});

describe('camera ids', () => {
  it('never gives a deleted camera id to a new camera, across restarts', async () => {
    expect((await call('DELETE', '/api/cameras/door', adminToken)).status).toBe(200);
    const again = await call('POST', '/api/cameras', adminToken, camera('Door'));
    expect(again.status).toBe(201);
    const id2 = ((await again.json()) as { id: string }).id;
    expect(id2).not.toBe('door');
    expect((await call('DELETE', `/api/cameras/${id2}`, adminToken)).status).toBe(200);

    await engine.stop();
    engine = startEngine();
    base = (await engine.start()).url;
    adminToken = await login('admin', ADMIN_PW);
    const third = await call('POST', '/api/cameras', adminToken, camera('Door'));
    const id3 = ((await third.json()) as { id: string }).id;
    expect(['door', id2]).not.toContain(id3);
  }, 60_000);

  it('moves credentials out of the URLs of cameras an older version stored, and tightens file modes', async () => {
    await engine.stop();
    const { chmod } = await import('node:fs/promises');
    // What an older version left: a URL with credentials, in clear, in a world-readable file.
    const index = RecordingIndex.open({ dataDir });
    index.cameras.insert({
      id: 'gate',
      config: {
        ...camera('Gate'),
        transport: 'auto',
        recording: { mode: 'off', retentionDays: 30, recordSub: true },
      },
      createdMs: 1,
      updatedMs: 1,
    });
    index.close();
    await chmod(path.join(dataDir, 'index.db'), 0o644);
    await chmod(dataDir, 0o755);
    expect(await dbBytes()).toContain(URL_SECRET);

    engine = startEngine();
    base = (await engine.start()).url;
    adminToken = await login('admin', ADMIN_PW);
    const gate = (await (await call('GET', '/api/cameras/gate', adminToken)).json()) as {
      streams: { main: { url: string } };
      username: string;
      hasPassword: boolean;
    };
    expect(gate).toMatchObject({
      streams: { main: { url: 'rtsp://127.0.0.1:1/Gate/main' } },
      username: 'cam-user',
      hasPassword: true,
    });
    await engine.stop();
    expect(await dbBytes()).not.toContain(URL_SECRET);
    expect((await stat(path.join(dataDir, 'index.db'))).mode & 0o777).toBe(0o600);
    expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
  }, 60_000);
});
