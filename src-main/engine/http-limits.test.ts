// Issue 22 findings 1 and 2 over real HTTP on 127.0.0.1 ('required' mode): a viewer's end-of-time
// timeline request gets a 400 naming the field while health keeps answering; login backoff holds
// against 200 concurrent guesses and is not reset by another account's success from the address.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { nullLogger } from '../base';
import { createEngine } from './index';
import type { Engine } from './index';
import { AuthService, MemoryAuthStore, createHttpServer } from '../server';
import type { HttpServer } from '../server';

const ADMIN_PW = 'admin-password-1';
const VIEWER_PW = 'viewer-password-1';

let tmp: string;
let rendererDir: string;
let engine: Engine;
const servers: HttpServer[] = [];

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'nvr-limits-'));
  rendererDir = path.join(tmp, 'renderer');
  await mkdir(rendererDir, { recursive: true });
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>SPA</title>');
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
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

afterAll(async () => {
  await engine.stop();
  await rm(tmp, { recursive: true, force: true });
});

/** A fresh server with its own auth service (fresh backoff), an admin and a viewer; `audit` collects actions. */
async function start() {
  let nowMs = 1_700_000_000_000;
  const store = new MemoryAuthStore();
  const audit: string[] = [];
  const append = store.appendAudit.bind(store);
  store.appendAudit = (e) => {
    audit.push(e.action);
    append(e);
  };
  const auth = new AuthService({ store, nowMs: () => nowMs });
  const server = await createHttpServer({
    api: engine.api,
    logger: nullLogger(),
    rendererDir,
    auth: { mode: 'required', service: auth },
  });
  servers.push(server);
  const base = await server.listen({ host: '127.0.0.1', port: 0 });
  await auth.createUser({ username: 'admin', password: ADMIN_PW, role: 'admin' }, null, null);
  await auth.createUser({ username: 'viewer', password: VIEWER_PW, role: 'viewer' }, null, null);
  const login = (username: string, password: string) =>
    fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
  return {
    base,
    audit,
    login,
    advance: (ms: number) => (nowMs += ms),
    failedChecks: () => audit.filter((a) => a === 'login.failed').length,
  };
}

describe('login backoff (finding 2)', () => {
  it('200 concurrent wrong logins: at most 5 reach the password check, the rest 429 with Retry-After', async () => {
    const s = await start();
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, i) => s.login('admin', `wrong-guess-${i}`)),
    );
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((c) => c === 401)).toHaveLength(5);
    expect(statuses.filter((c) => c === 429)).toHaveLength(195);
    expect(s.failedChecks()).toBe(5);
    for (const r of replies.filter((x) => x.status === 429))
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // The right password is refused too while backed off (the attacker cannot tell it apart).
    expect((await s.login('admin', ADMIN_PW)).status).toBe(429);
    s.advance(2000);
    expect((await s.login('admin', ADMIN_PW)).status).toBe(200);
  });

  it("counts per username and is not reset by another account's success from the same address", async () => {
    const s = await start();
    for (let i = 0; i < 4; i++) expect((await s.login('admin', `wrong-${i}`)).status).toBe(401);
    // The attacker's own viewer account signs in from the same address…
    expect((await s.login('viewer', VIEWER_PW)).status).toBe(200);
    // …and the admin guesses keep counting: one more check, then backoff.
    expect((await s.login('admin', 'wrong-4')).status).toBe(401);
    const r = await s.login('admin', 'wrong-5');
    expect(r.status).toBe(429);
    expect(s.failedChecks()).toBe(5);
    // The viewer's own success cleared only its own (zero) failures: it is backed off with the address.
    expect((await s.login('viewer', VIEWER_PW)).status).toBe(429);
  });
});

describe('request caps over HTTP (finding 1)', () => {
  it("refuses a viewer's end-of-time timeline with a 400 naming the field; health keeps answering", async () => {
    const s = await start();
    const { token } = (await (await s.login('viewer', VIEWER_PW)).json()) as { token: string };
    const post = (body: unknown) =>
      fetch(`${s.base}/api/timeline`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
    const [res, health] = await Promise.all([
      post({ cameraIds: ['door'], from: 0, to: 8_640_000_000_000_000, bucket: 'hour' }),
      fetch(`${s.base}/api/health`),
    ]);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { kind: 'bad_request', field: 'to' } });
    expect(health.status).toBe(200);
    const year = 365 * 86_400_000;
    const hours = await post({
      from: Date.UTC(2024, 0, 1),
      to: Date.UTC(2024, 0, 1) + 2 * year,
      bucket: 'hour',
    });
    expect(hours.status).toBe(400);
    expect(await hours.json()).toMatchObject({ error: { field: 'bucket' } });
  });
});
