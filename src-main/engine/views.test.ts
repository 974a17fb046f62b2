// Saved views through the engine: validation errors name the field, names are unique, `views.changed`
// carries the list, deleting a camera leaves views intact, views survive an engine restart (SQLite), and
// viewers may list views but not write them.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nullLogger } from '../base';
import { createEngine } from './engine';
import type { Engine } from './engine';
import type { NvrEvent } from '../../src-preload/contract';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'nvr-views-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function engineAt(dataDir: string): Engine {
  const engine = createEngine(
    { host: '127.0.0.1', port: 0, demo: false, logLevel: 'silent', dataDir },
    { logger: nullLogger() },
  );
  cleanups.push(() => engine.stop());
  return engine;
}

describe('views in the engine', () => {
  it('validates input and names the field', async () => {
    const { api } = engineAt(await tempDir());
    await expect(api.saveView({ name: ' ', layout: '2x2', tiles: [] })).rejects.toMatchObject({
      kind: 'bad_request',
      context: { field: 'name' },
    });
    await expect(
      api.saveView({ name: 'A', layout: '9x9' as '2x2', tiles: [] }),
    ).rejects.toMatchObject({ kind: 'bad_request', context: { field: 'layout' } });
    await expect(
      api.saveView({ name: 'A', layout: '2x2', tiles: ['a', 'b', 'c', 'd', 'e'] }),
    ).rejects.toMatchObject({ kind: 'bad_request', context: { field: 'tiles' } });
    await expect(
      api.saveView({ name: 'A', layout: '2x2', tiles: ['../etc'] }),
    ).rejects.toMatchObject({ kind: 'bad_request', context: { field: 'tiles.0' } });
    await expect(
      api.saveView({ name: 'A', layout: 'custom', cols: 3, tiles: [] }),
    ).rejects.toMatchObject({
      kind: 'bad_request',
      context: { field: 'rows' },
    });
    await expect(
      api.saveView({ name: 'A', layout: 'custom', cols: 9, rows: 2, tiles: [] }),
    ).rejects.toMatchObject({ kind: 'bad_request', context: { field: 'cols' } });
    await expect(api.deleteView({ id: 'nope' })).rejects.toMatchObject({ kind: 'not_found' });
    await expect(
      api.saveView({ id: 'nope', name: 'A', layout: '1x1', tiles: [] }),
    ).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('creates, renames, overwrites and deletes, with views.changed; persists across restart', async () => {
    const dataDir = await tempDir();
    let engine = engineAt(dataDir);
    const events: NvrEvent[] = [];
    engine.api.subscribe((e) => events.push(e));
    const cam = await engine.api.addCamera({
      name: 'Door',
      streams: { main: { url: 'rtsp://127.0.0.1:1/door' } },
    });

    const lobby = await engine.api.saveView({
      name: 'Lobby',
      layout: 'custom',
      cols: 3,
      rows: 2,
      tiles: [null, cam.id, null],
    });
    expect(lobby).toMatchObject({ name: 'Lobby', layout: 'custom', cols: 3, rows: 2 });
    expect(lobby.id).toMatch(/^[A-Za-z0-9_-]+$/);
    const yard = await engine.api.saveView({
      name: 'Yard',
      layout: '1+7',
      cols: 4,
      tiles: [cam.id],
    });
    expect(yard.cols).toBeUndefined(); // only custom layouts keep their size
    await expect(
      engine.api.saveView({ name: 'LOBBY', layout: '1x1', tiles: [] }),
    ).rejects.toMatchObject({ kind: 'conflict' });
    const renamed = await engine.api.saveView({
      ...yard,
      name: 'Back yard',
      tiles: [null, cam.id],
    });
    expect(renamed).toMatchObject({ id: yard.id, name: 'Back yard', tiles: [null, cam.id] });
    const temp = await engine.api.saveView({ name: 'Temp', layout: '5x5', tiles: [] });
    await engine.api.deleteView({ id: temp.id });

    const changes = events.filter((e) => e.type === 'views.changed');
    expect(changes).toHaveLength(5);
    const last = changes.at(-1)!;
    expect(last.type === 'views.changed' && last.payload.views.map((v) => v.name)).toEqual([
      'Lobby',
      'Back yard',
    ]);

    // A deleted camera stays in the view (the client shows an empty tile); nothing breaks.
    await engine.api.deleteCamera({ id: cam.id });
    expect((await engine.api.listViews()).map((v) => v.tiles)).toEqual([
      [null, cam.id, null],
      [null, cam.id],
    ]);
    await engine.stop();

    engine = engineAt(dataDir);
    const again = await engine.api.listViews();
    expect(again).toEqual([
      { ...lobby, updatedMs: lobby.updatedMs },
      { ...renamed, updatedMs: renamed.updatedMs },
    ]);
  });

  it('serves views over HTTP (list, save, delete)', async () => {
    const engine = engineAt(await tempDir());
    const { url } = await engine.start();
    const saved = await fetch(`${url}/api/views`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Wall', layout: '3x3', tiles: [null] }),
    });
    expect(saved.status).toBe(200);
    const view = (await saved.json()) as { id: string };
    const list = (await (await fetch(`${url}/api/views`)).json()) as { name: string }[];
    expect(list.map((v) => v.name)).toEqual(['Wall']);
    const bad = await fetch(`${url}/api/views`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Wall 2', layout: '1x1', tiles: ['a', 'b'] }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { field?: string } }).error.field).toBe('tiles');
    expect((await fetch(`${url}/api/views/${view.id}`, { method: 'DELETE' })).status).toBe(200);
    expect(await (await fetch(`${url}/api/views`)).json()).toEqual([]);
  });

  it('viewers list and use views; only admins save or delete them', async () => {
    const dataDir = await tempDir();
    const engine = createEngine(
      {
        host: '127.0.0.1',
        port: 0,
        demo: false,
        logLevel: 'silent',
        dataDir,
        auth: 'required',
        adminPassword: 'admin-password-1',
      },
      { logger: nullLogger(), recording: false },
    );
    cleanups.push(() => engine.stop());
    const { url } = await engine.start();
    await engine.auth.createUser(
      { username: 'guard', password: 'guard-password-1', role: 'viewer' },
      null,
      null,
    );
    const tokenOf = async (username: string, password: string) => {
      const res = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      return ((await res.json()) as { token: string }).token;
    };
    const call = (token: string, method: string, route: string, body?: unknown) =>
      fetch(`${url}${route}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    const admin = await tokenOf('admin', 'admin-password-1');
    const guard = await tokenOf('guard', 'guard-password-1');
    const saved = await call(admin, 'POST', '/api/views', {
      name: 'Gate',
      layout: '1x1',
      tiles: [],
    });
    expect(saved.status).toBe(200);
    const { id } = (await saved.json()) as { id: string };
    const listed = await call(guard, 'GET', '/api/views');
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { name: string }[]).map((v) => v.name)).toEqual(['Gate']);
    expect(
      (await call(guard, 'POST', '/api/views', { name: 'Mine', layout: '1x1', tiles: [] })).status,
    ).toBe(403);
    expect((await call(guard, 'DELETE', `/api/views/${id}`)).status).toBe(403);
    expect((await call(admin, 'DELETE', `/api/views/${id}`)).status).toBe(200);
  });
});
