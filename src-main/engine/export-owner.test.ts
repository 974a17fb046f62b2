// Issue 22 finding 10 over real HTTP on 127.0.0.1 ('required' mode): an export belongs to the viewer
// who started it. Another viewer cannot list, cancel, download or delete it; its owner and an admin
// can. The engine reads recordings recorded beforehand into its data folder (real files and SQLite).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nullLogger } from '../base';
import { loadClip } from '../camera';
import { RecordingIndex } from '../storage';
import { makeClockClip, recordClip } from '../playback/testing';
import { createEngine } from './engine';
import type { Engine } from './engine';

const T0 = Date.UTC(2026, 10, 21, 10, 0, 0);
const PW = 'a-long-password-1';
let tmp: string;
let engine: Engine;
let base: string;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nvr-export-owner-'));
  const dataDir = path.join(tmp, 'data');
  fs.mkdirSync(dataDir);
  const clip = await loadClip(await makeClockClip(tmp, { seconds: 4, fps: 10, gop: 10 }));
  const index = RecordingIndex.open({ dataDir });
  await recordClip({
    index,
    cameraId: 'door',
    clip,
    startMs: T0,
    segmentDurationMs: 2_000,
    runs: [{ frames: 40 }],
  });
  index.close();
  engine = createEngine(
    {
      dataDir,
      host: '127.0.0.1',
      port: 0,
      demo: false,
      logLevel: 'silent',
      auth: 'required',
      adminPassword: PW,
    },
    { logger: nullLogger(), playback: { ffmpegPath: false } },
  );
  await engine.start();
  base = engine.url!;
  const auth = engine.auth;
  for (const [name, role] of [
    ['alice', 'viewer'],
    ['bob', 'viewer'],
    ['admin', 'admin'],
  ] as const) {
    if (role !== 'admin') await auth.createUser({ username: name, password: PW, role }, null, null);
    const res = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: name, password: PW }),
    });
    tokens[name] = ((await res.json()) as { token: string }).token;
  }
}, 120_000);

afterAll(async () => {
  await engine?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const call = (who: string, method: string, url: string, body?: unknown) =>
  fetch(`${base}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${tokens[who]}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

async function settled(who: string, id: string): Promise<{ state: string }> {
  for (;;) {
    const job = (await (await call(who, 'GET', `/api/exports/${id}`)).json()) as { state: string };
    if (job.state !== 'queued' && job.state !== 'running') return job;
    await new Promise((r) => setImmediate(r));
  }
}

describe('export ownership over HTTP', () => {
  it("keeps a viewer's export from other viewers; the owner and an admin may delete it", async () => {
    const started = await call('alice', 'POST', '/api/exports', {
      cameraIds: ['door'],
      from: T0,
      to: T0 + 3_000,
    });
    expect(started.status).toBe(201);
    const { id } = (await started.json()) as { id: string };
    expect((await settled('alice', id)).state).toBe('done');

    const bobList = (await (await call('bob', 'GET', '/api/exports')).json()) as unknown[];
    expect(bobList).toEqual([]);
    for (const [method, url] of [
      ['GET', `/api/exports/${id}`],
      ['DELETE', `/api/exports/${id}`],
      ['GET', `/api/exports/${id}/file`],
      ['DELETE', `/api/exports/${id}/file`],
    ] as const) {
      const res = await call('bob', method, url);
      expect(res.status, `${method} ${url}`).toBe(403);
    }
    const file = await call('alice', 'GET', `/api/exports/${id}/file`);
    expect(file.status).toBe(200);
    expect((await file.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    const adminList = (await (await call('admin', 'GET', '/api/exports')).json()) as {
      id: string;
    }[];
    expect(adminList.map((j) => j.id)).toEqual([id]);
    expect((await call('alice', 'DELETE', `/api/exports/${id}/file`)).status).toBe(200);
    expect((await call('admin', 'GET', `/api/exports/${id}`)).status).toBe(404);
    expect(fs.readdirSync(path.join(tmp, 'data', 'exports'))).toEqual([]);
  });
});
