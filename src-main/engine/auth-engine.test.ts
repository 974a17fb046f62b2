// The headless engine with login required on loopback: first admin from NVR_ADMIN_PASSWORD or generated,
// users in SQLite across restarts, HTTPS with a self-signed certificate (fingerprint in whoami), config flags.
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nullLogger } from '../base';
import { createHttpClient } from '../../src-preload/contract';
import { authModeOf, parseCommandLine } from './config';
import type { EngineConfig } from './config';
import { createEngine } from './engine';
import type { Engine, EngineDeps } from './engine';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'nvr-auth-engine-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function engineFor(
  config: Partial<EngineConfig> & { dataDir: string },
  deps: EngineDeps = {},
): Engine {
  const engine = createEngine(
    { host: '127.0.0.1', port: 0, demo: false, logLevel: 'silent', auth: 'required', ...config },
    { logger: nullLogger(), ...deps },
  );
  cleanups.push(() => engine.stop());
  return engine;
}

/** HTTPS request trusting only the given certificate. */
function httpsRequest(
  url: string,
  ca: Buffer,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      { method: init.method ?? 'GET', headers: init.headers ?? {}, ca, servername: 'localhost' },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

describe('engine auth', () => {
  it('refuses to start with login required and no admin, unless given a password', async () => {
    const dataDir = await tempDir();
    await expect(engineFor({ dataDir }).start()).rejects.toThrow(/no admin user/);
    const engine = engineFor({ dataDir, adminPassword: 'from-the-env-1' });
    const { url, generatedAdminPassword } = await engine.start();
    expect(generatedAdminPassword).toBeUndefined();
    expect((await fetch(`${url}/api/cameras`)).status).toBe(401);
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'from-the-env-1' }),
    });
    expect(login.status).toBe(200);
    await engine.stop();
    // users live in SQLite: a restart keeps the admin (and needs no password again)
    const again = engineFor({ dataDir });
    const second = await again.start();
    expect(again.auth.store.listUsers().map((u) => u.username)).toEqual(['admin']);
    expect(again.auth.store.listUsers()[0]!.passwordHash).toMatch(/^scrypt\$/);
    expect(second.generatedAdminPassword).toBeUndefined();
  });

  it('creates the first admin from NVR_ADMIN_PASSWORD on loopback too (no first-run prompt then)', async () => {
    const dataDir = await tempDir();
    const engine = engineFor(
      { dataDir, auth: 'loopback-open', adminPassword: 'from-the-env-2' },
      { recording: false },
    );
    const { url } = await engine.start();
    const api = createHttpClient({ baseUrl: url, fetch: (u, init) => fetch(u, init) });
    expect(await api.getAuthSetup()).toEqual({ adminExists: true });
    expect(engine.auth.store.listUsers().map((u) => [u.username, u.role])).toEqual([
      ['admin', 'admin'],
    ]);
    expect((await fetch(`${url}/api/cameras`)).status).toBe(200); // loopback stays open
  });

  it('generates a strong admin password once for headless serve', async () => {
    const dataDir = await tempDir();
    const engine = engineFor({ dataDir }, { generateAdminPassword: true });
    const { url, generatedAdminPassword } = await engine.start();
    expect(generatedAdminPassword).toMatch(/^[A-Za-z0-9]{20}$/);
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: generatedAdminPassword }),
    });
    expect(login.status).toBe(200);
    await engine.stop();
    const again = engineFor({ dataDir }, { generateAdminPassword: true });
    expect((await again.start()).generatedAdminPassword).toBeUndefined();
  });

  it('serves HTTPS with a self-signed certificate (0600) and shows its fingerprint', async () => {
    const dataDir = await tempDir();
    const engine = engineFor({ dataDir, https: true, adminPassword: 'https-admin-pw' });
    const { url, tlsFingerprint } = await engine.start();
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const cert = await readFile(path.join(dataDir, 'tls', 'cert.pem'));
    expect((await stat(path.join(dataDir, 'tls', 'key.pem'))).mode & 0o777).toBe(0o600);
    expect(tlsFingerprint).toBe(new X509Certificate(cert).fingerprint256);
    const local = url.replace('127.0.0.1', 'localhost');

    expect((await httpsRequest(`${local}/api/cameras`, cert)).status).toBe(401);
    const login = await httpsRequest(`${local}/api/auth/login`, cert, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'https-admin-pw' }),
    });
    expect(login.status).toBe(200);
    expect(String(login.headers['set-cookie'])).toContain('; Secure');
    const { token } = JSON.parse(login.body) as { token: string };
    const who = await httpsRequest(`${local}/api/auth/whoami`, cert, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(JSON.parse(who.body)).toMatchObject({
      user: 'admin',
      role: 'admin',
      tlsFingerprint,
    });
    // plain HTTP to the HTTPS port gets no API answer
    await expect(fetch(`${url.replace('https', 'http')}/api/health`)).rejects.toThrow();
  });

  it('keeps camera passwords sealed with a 0600 key file and never returns them', async () => {
    const dataDir = await tempDir();
    const engine = engineFor({ dataDir, auth: 'loopback-open' });
    const { url } = await engine.start();
    await engine.api.addCamera({
      name: 'Gate',
      streams: { main: { url: 'rtsp://127.0.0.1:1/gate' } },
      username: 'cam',
      password: 'plain-camera-secret',
    });
    expect((await stat(path.join(dataDir, 'secret.key'))).mode & 0o777).toBe(0o600);
    expect(await (await fetch(`${url}/api/cameras`)).text()).not.toContain('plain-camera-secret');
    await engine.stop();
    for (const f of ['index.db', 'index.db-wal']) {
      const bytes = await readFile(path.join(dataDir, f)).catch(() => Buffer.alloc(0));
      expect(bytes.includes('plain-camera-secret'), f).toBe(false);
    }
    const again = engineFor({ dataDir, auth: 'loopback-open' });
    await again.start();
    expect((await again.api.listCameras(undefined))[0]).toMatchObject({
      name: 'Gate',
      hasPassword: true,
    });
  });

  it('first run over loopback: one first admin, then users and tokens through the contract', async () => {
    const dataDir = await tempDir();
    const engine = engineFor({ dataDir, auth: 'loopback-open' }, { recording: false });
    const { url } = await engine.start();
    const api = createHttpClient({ baseUrl: url, fetch: (u, init) => fetch(u, init) });
    expect(await api.getAuthSetup()).toEqual({ adminExists: false });
    await expect(
      api.createFirstAdmin({ username: 'owner', password: 'short' }),
    ).rejects.toMatchObject({ kind: 'bad_request', field: 'password' });
    const owner = await api.createFirstAdmin({ username: 'owner', password: 'first-admin-pw1' });
    expect(owner).toMatchObject({ username: 'owner', role: 'admin', cameras: null });
    expect(await api.getAuthSetup()).toEqual({ adminExists: true });
    await expect(
      api.createFirstAdmin({ username: 'second', password: 'second-admin-pw1' }),
    ).rejects.toMatchObject({ kind: 'conflict', status: 409 });

    // A viewer's scope names existing cameras only.
    await expect(
      api.addUser({
        username: 'guard',
        password: 'guard-password-1',
        role: 'viewer',
        cameras: ['yard'],
      }),
    ).rejects.toMatchObject({ kind: 'bad_request', status: 400, field: 'cameras' });
    // (straight to the engine: the HTTP audit log below counts user changes only)
    await engine.api.addCamera({
      name: 'Yard',
      streams: { main: { url: 'rtsp://127.0.0.1:1/ch1' } },
    });
    const viewer = await api.addUser({
      username: 'guard',
      password: 'guard-password-1',
      role: 'viewer',
      cameras: ['yard'],
    });
    expect(viewer).toMatchObject({ role: 'viewer', cameras: ['yard'] });
    const users = await api.listUsers();
    expect(users.map((u) => u.username)).toEqual(['owner', 'guard']);
    expect(JSON.stringify(users)).not.toContain('scrypt');
    expect(await api.updateUser({ id: viewer.id, patch: { cameras: null } })).toMatchObject({
      cameras: null,
    });
    await expect(api.updateUser({ id: owner.id, patch: { role: 'viewer' } })).rejects.toMatchObject(
      { kind: 'conflict' },
    );

    // Over loopback nobody is signed in: a token needs its owner.
    await expect(api.createApiToken({ name: 'embed' })).rejects.toMatchObject({ field: 'userId' });
    const token = await api.createApiToken({ name: 'embed', userId: viewer.id });
    expect(token.token).toMatch(/^nvr_/);
    expect(await api.listApiTokens()).toEqual([
      expect.objectContaining({ id: token.id, name: 'embed', username: 'guard' }),
    ]);
    expect(await api.revokeApiToken({ id: token.id })).toBeUndefined();
    await expect(api.revokeApiToken({ id: token.id })).rejects.toMatchObject({ kind: 'not_found' });
    expect(await api.deleteUser({ id: viewer.id })).toBeUndefined();
    expect((await api.listUsers()).map((u) => u.username)).toEqual(['owner']);

    // The local admin is the actor in the audit log, once per change.
    const audit = engine.auth.store.listAudit(100).reverse();
    expect(audit.map((e) => [e.action, e.actor, e.address])).toEqual([
      ['user.create', 'loopback', '127.0.0.1'],
      ['user.create', 'loopback', '127.0.0.1'],
      ['user.update', 'loopback', '127.0.0.1'],
      ['token.create', 'loopback', '127.0.0.1'],
      ['token.revoke', 'loopback', '127.0.0.1'],
      ['user.delete', 'loopback', '127.0.0.1'],
    ]);
    // In-process callers (no HTTP request) reach the same service.
    expect((await engine.api.listUsers(undefined)).map((u) => u.username)).toEqual(['owner']);
  });

  it('keeps user management for admins when login is required, naming the signed-in actor', async () => {
    const dataDir = await tempDir();
    const engine = engineFor({ dataDir, adminPassword: 'admin-password-1' }, { recording: false });
    const { url } = await engine.start();
    const loginAs = async (username: string, password: string) => {
      const res = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      const { token } = (await res.json()) as { token: string };
      return createHttpClient({
        baseUrl: url,
        fetch: (u, init) =>
          fetch(u, { ...init, headers: { ...init.headers, authorization: `Bearer ${token}` } }),
      });
    };
    const admin = await loginAs('admin', 'admin-password-1');
    await admin.addUser({ username: 'guard', password: 'guard-password-1', role: 'viewer' });
    const mine = await admin.createApiToken({ name: 'script' });
    expect((await admin.listApiTokens())[0]).toMatchObject({ id: mine.id, username: 'admin' });
    await expect(
      admin.createFirstAdmin({ username: 'x', password: 'xxxxxxxxxxxx' }),
    ).rejects.toMatchObject({ kind: 'conflict' });
    const guard = await loginAs('guard', 'guard-password-1');
    expect(await guard.getAuthSetup()).toEqual({ adminExists: true });
    await expect(guard.listUsers()).rejects.toMatchObject({ status: 403 });
    await expect(
      guard.addUser({ username: 'evil', password: 'evil-password-1', role: 'admin' }),
    ).rejects.toMatchObject({ status: 403 });
    const actions = engine.auth.store.listAudit(100).map((e) => `${e.action}:${e.actor}`);
    expect(actions).toContain('user.create:admin');
    expect(actions).toContain('token.create:admin');
    expect(actions.filter((a) => a.startsWith('api.'))).toEqual([]);
  });

  it('parses the auth flags and picks the default mode by host', () => {
    const parse = (argv: string[], env: Record<string, string> = {}) => {
      const r = parseCommandLine(argv, env, { homeDir: '/home/u', platform: 'linux' });
      if (r.kind !== 'run') throw new Error('help');
      return r.config;
    };
    expect(authModeOf(parse([]))).toBe('loopback-open');
    expect(authModeOf(parse(['--host', '0.0.0.0']))).toBe('required');
    expect(authModeOf(parse(['--auth', 'required']))).toBe('required');
    expect(authModeOf(parse([], { NVR_AUTH: 'required' }))).toBe('required');
    expect(() => parse(['--auth', 'none'])).toThrow(/required or loopback-open/);
    expect(() => parse(['--tls-cert', 'a.pem'])).toThrow(/go together/);
    const c = parse(['--https', '--cors-origin', 'https://a.example,http://b:8080'], {
      NVR_ADMIN_PASSWORD: 'pw-from-env-1',
      NVR_SESSION_TTL_S: '60',
    });
    expect(c).toMatchObject({
      https: true,
      corsOrigins: ['https://a.example', 'http://b:8080'],
      adminPassword: 'pw-from-env-1',
      sessionTtlMs: 60_000,
    });
    expect(() => parse(['--cors-origin', '*'])).toThrow(/not an origin/);
  });
});
