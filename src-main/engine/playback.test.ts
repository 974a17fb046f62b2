// Playback end to end over HTTP: ffmpeg draws a live clock (frame numbers as bits) and publishes it to
// the project's RTSP server; the engine records it, the camera restarts, and then timeline, playlists,
// byte ranges, snapshots, thumbnails and exports are checked against the drawn clock.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../base';
import { RtspServer } from '../camera';
import { FFMPEG, decodeErrors, liveClockArgs, probe, readFrameNumbers } from '../playback/testing';
import type { NvrEvent } from '../../src-preload/contract';
import { createEngine } from './engine';
import type { Engine } from './engine';

const FRAME_MS = 40;
let dir: string;
let rtsp: RtspServer;
let rtspPort: number;
let publisher: ChildProcess | undefined;
let engine: Engine;
let base: string;
let runs: { startMs: number; endMs: number }[] = [];
const events: NvrEvent[] = [];

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function startPublisher(): Promise<void> {
  const published = new Promise<void>((resolve) => rtsp.once('publish', () => resolve()));
  publisher = spawn(FFMPEG, liveClockArgs(`rtsp://127.0.0.1:${rtspPort}/clock/main`), {
    stdio: 'ignore',
  });
  await published;
}

async function stopPublisher(): Promise<void> {
  const p = publisher;
  publisher = undefined;
  if (!p || p.exitCode !== null) return;
  const exited = new Promise((r) => p.once('exit', r));
  p.kill('SIGKILL');
  await exited;
}

async function getJson<T>(url: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const res = await fetch(base + url, init);
  return { status: res.status, body: (await res.json()) as T };
}

async function ranges(): Promise<{ startMs: number; endMs: number }[]> {
  const { body } = await getJson<{ ranges: { startMs: number; endMs: number }[] }>(
    `/api/cameras/clock/recordings?from=0&to=${Date.now() + 60_000}`,
  );
  return body.ranges;
}

/** The frame number a snapshot at T shows. */
async function snapshotAt(t: number, extra = ''): Promise<number> {
  const res = await fetch(`${base}/api/cameras/clock/snapshot?time=${Math.round(t)}${extra}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('image/jpeg');
  const [n] = await readFrameNumbers(new Uint8Array(await res.arrayBuffer()), 'image2pipe');
  return n!;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nvr-engine-playback-'));
  rtsp = new RtspServer();
  ({ port: rtspPort } = await rtsp.listen({ host: '127.0.0.1', port: 0 }));
  await startPublisher();
  engine = createEngine(
    { dataDir: dir, host: '127.0.0.1', port: 0, demo: false, logLevel: 'silent' },
    {
      logger: createLogger({ level: 'silent' }),
      statsIntervalMs: 0,
      recording: { workers: 0, segmentDurationMs: 2000 },
      playback: { exportCapMs: 10 * 60_000 },
    },
  );
  ({ url: base } = await engine.start());
  engine.api.subscribe((e) => events.push(e));
  await engine.api.addCamera({
    name: 'Clock',
    transport: 'tcp',
    streams: { main: { url: `rtsp://127.0.0.1:${rtspPort}/clock/main` } },
  });
  await waitFor(async () => (await ranges()).some((r) => r.endMs - r.startMs > 6000));
  // The camera restarts: the publisher goes away, comes back, the engine records a new run.
  await stopPublisher();
  await new Promise((r) => setTimeout(r, 1500)); // the camera stays away for a while (a gap)
  await startPublisher();
  await waitFor(async () => {
    const r = await ranges();
    return r.length >= 2 && r.at(-1)!.endMs - r.at(-1)!.startMs > 5000;
  });
  runs = await ranges();
}, 90_000);

afterAll(async () => {
  await stopPublisher();
  await engine?.stop();
  await rtsp?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('playback over HTTP from a live clock', () => {
  it('snapshot at T shows the frame recorded at T, in both runs', async () => {
    for (const run of runs.slice(0, 2)) {
      const n0 = await snapshotAt(run.startMs);
      for (const k of [7, 31, 88]) {
        const t = run.startMs + k * FRAME_MS + FRAME_MS / 2;
        expect(await snapshotAt(t)).toBe(n0 + k);
      }
      // 'before': the keyframe (one per second) at or before T.
      const keyed = await snapshotAt(run.startMs + 37 * FRAME_MS + 5, '&mode=before&width=160');
      expect(keyed).toBe(n0 + 25);
    }
  });

  it('serves timeline data, VOD playlists and segment byte ranges', async () => {
    const [a, b] = runs;
    const { status, body } = await getJson<{
      streams: { ranges: unknown[]; gaps: unknown[]; buckets: { recordedMs: number }[] }[];
    }>('/api/timeline', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: a!.startMs - 60_000, to: b!.endMs, bucket: 'hour' }),
    });
    expect(status).toBe(200);
    expect(body.streams[0]!.ranges.length).toBeGreaterThanOrEqual(2);
    expect(body.streams[0]!.gaps.length).toBeGreaterThanOrEqual(2);

    const res = await fetch(
      `${base}/api/cameras/clock/hls/vod.m3u8?from=${a!.startMs}&to=${b!.endMs}`,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('mpegurl');
    const text = await res.text();
    expect(text).toContain('#EXT-X-DISCONTINUITY');
    expect(text).toContain('#EXT-X-ENDLIST');
    const m = /#EXT-X-BYTERANGE:(\d+)@(\d+)\n(\/api\/segments\/\d+\.mp4)/.exec(text)!;
    const [len, off, uri] = [Number(m[1]), Number(m[2]), m[3]!];
    const part = await fetch(base + uri, { headers: { range: `bytes=${off}-${off + len - 1}` } });
    expect(part.status).toBe(206);
    expect((await part.arrayBuffer()).byteLength).toBe(len);
    const etag = part.headers.get('etag')!;
    expect((await fetch(base + uri, { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await fetch(`${base}/api/segments/..%2Findex.db`)).status).toBe(400);
  });

  it('downloads an export across the restart with an exact Content-Length and duration', async () => {
    const [a, b] = runs;
    const from = a!.startMs + 1_010;
    const to = b!.startMs + 3_000;
    const res = await fetch(`${base}/api/cameras/clock/export.mp4?from=${from}&to=${to}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/filename="clock-\d{8}T\d{6}Z\.mp4"/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(bytes.length).toBe(Number(res.headers.get('content-length')));
    const file = path.join(dir, 'export.mp4');
    fs.writeFileSync(file, bytes);
    expect(await decodeErrors(file)).toBe('');
    const p = await probe(file);
    expect(Math.abs(p.durationSec - (to - from) / 1000)).toBeLessThanOrEqual(FRAME_MS / 1000);
    const shown = await readFrameNumbers(file);
    expect(shown[0]).toBe(await snapshotAt(from));
  });

  it('runs a background export with progress events and serves its file', async () => {
    const [a] = runs;
    const { status, body: job } = await getJson<{ id: string; state: string }>('/api/exports', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        cameraIds: ['clock'],
        from: a!.startMs,
        to: a!.endMs,
        gaps: 'collapse',
      }),
    });
    expect(status).toBe(201);
    await waitFor(
      async () =>
        (await getJson<{ state: string }>(`/api/exports/${job.id}`)).body.state === 'done',
    );
    const progress = events.filter((e) => e.type === 'export.progress' && e.payload.id === job.id);
    expect(progress.at(-1)?.payload).toMatchObject({ state: 'done', progress: 1 });
    const file = await fetch(`${base}/api/exports/${job.id}/file`, {
      headers: { range: 'bytes=0-7' },
    });
    expect(file.status).toBe(206);
    expect(Buffer.from(await file.arrayBuffer()).toString('latin1', 4, 8)).toBe('ftyp');
  });

  it('serves live snapshots and cached thumbnails', async () => {
    const live = await fetch(`${base}/api/cameras/clock/snapshot`);
    expect(live.status).toBe(200);
    const [n] = await readFrameNumbers(new Uint8Array(await live.arrayBuffer()), 'image2pipe');
    expect(n).toBeGreaterThan(0);
    const thumb = await fetch(
      `${base}/api/cameras/clock/thumbnail?time=${runs[0]!.startMs + 1000}&width=120`,
    );
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/jpeg');
    expect(fs.readdirSync(path.join(dir, 'thumbnails/clock/main')).length).toBe(1);
  });

  it('answers bad input with clear errors', async () => {
    const [a] = runs;
    const cases: [string, number, string][] = [
      [`/api/cameras/clock/hls/vod.m3u8?from=${a!.startMs}&to=${a!.startMs}`, 400, 'bad_request'],
      [`/api/cameras/clock/hls/vod.m3u8?from=1000&to=2000`, 404, 'not_found'],
      [`/api/cameras/nobody/hls/vod.m3u8?from=1000&to=2000`, 404, 'not_found'],
      [
        `/api/cameras/clock/hls/vod.m3u8?from=${a!.startMs}&to=${a!.endMs}&stream=sub`,
        404,
        'not_found',
      ],
      [
        `/api/cameras/clock/export.mp4?from=${a!.startMs}&to=${a!.startMs + 11 * 60_000}`,
        413,
        'too_large',
      ],
      [`/api/segments/99999999.mp4`, 404, 'not_found'],
    ];
    for (const [url, code, kind] of cases) {
      const { status, body } = await getJson<{ error: { kind: string; message: string } }>(url);
      expect(status, url).toBe(code);
      expect(body.error.kind, url).toBe(kind);
      expect(body.error.message.length).toBeGreaterThan(5);
    }
  });
});
