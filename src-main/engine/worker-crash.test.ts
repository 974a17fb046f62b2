// The engine when its recording worker dies mid-recording (a real uncaught exception in the worker
// thread, from the test-only fixtures/crashing-stream-worker.ts): the WebRTC viewer it hosted ends
// and stops counting, the status says the worker crashed, recording resumes in new segments, and
// every file decodes clean with the index matching it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../base';
import { createWhepClient, h264PayloadNalTypes } from '../live/testing';
import { scanFragments } from '../media/fmp4';
import { RecordingIndex } from '../storage';
import type { CameraStatus, NvrEvent } from '../../src-preload/contract';
import { createEngine } from './engine';
import type { Engine } from './engine';

const TRIGGER = 'crash-worker-now'; // fixtures/crashing-stream-worker.ts

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 40_000) {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('engine: a recording worker that dies mid-recording', () => {
  let engine: Engine;
  let url: string;
  let dir: string;
  let cameraId: string;
  const events: NvrEvent[] = [];
  const logs: Record<string, unknown>[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'nvr-crash-'));
    engine = createEngine(
      { host: '127.0.0.1', port: 0, demo: true, logLevel: 'silent', dataDir: dir },
      {
        logger: createLogger({ level: 'info', sink: (line) => logs.push(JSON.parse(line)) }),
        statsIntervalMs: 0,
        live: { maxViewersPerStream: 1, ffmpegPath: false },
        recording: {
          workers: 1,
          segmentDurationMs: 60_000, // segments are open when the worker dies
          workerEntry: new URL('./fixtures/crashing-stream-worker.ts', import.meta.url),
          workerRestart: { initialMs: 500, maxMs: 2000, stableMs: 60_000, jitter: 0 },
        },
      },
    );
    ({ url } = await engine.start());
    engine.events.subscribe((e) => void events.push(e));
    cameraId = (await engine.api.listCameras()).find((c) => c.name === 'Door')!.id;
  });
  afterAll(async () => {
    await engine.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const status = async () =>
    (await (await fetch(`${url}/api/cameras/${cameraId}/status`)).json()) as CameraStatus;
  const post = (sdp: string) =>
    fetch(`${url}/api/cameras/${cameraId}/whep?stream=sub`, {
      method: 'POST',
      headers: { 'content-type': 'application/sdp' },
      body: sdp,
    });
  const progressOf = (stream: string) =>
    events.filter(
      (e) =>
        e.type === 'recording.progress' && e.payload.id === cameraId && e.payload.stream === stream,
    ).length;

  it('ends its viewers, reports the crash, and records on into files that decode clean', async () => {
    const viewer = await createWhepClient();
    const second = await createWhepClient();
    const third = await createWhepClient();
    try {
      const res = await post(viewer.offerSdp);
      expect(res.status).toBe(201);
      const location = res.headers.get('location')!;
      await viewer.applyAnswer(await res.text());
      await viewer.waitFor(
        (p) => p.some((x) => h264PayloadNalTypes(x.payload).includes(5)),
        15_000,
      );
      expect((await status()).streams.sub?.webrtcViewers).toBe(1);
      expect((await post(second.offerSdp)).status).toBe(503); // the cap of 1 is taken
      await waitFor(() => progressOf('main') >= 3); // the main stream records
      // Live HLS of the sub stream runs on the engine thread's mirror of the worker's hub.
      const lastHlsSegment = async () => {
        const res = await fetch(`${url}/api/cameras/${cameraId}/hls/live.m3u8?stream=sub`);
        const all = [...(await res.text()).matchAll(/seg-(\d+)\.m4s/g)].map((m) => Number(m[1]));
        return Math.max(-1, ...all);
      };
      const hlsBefore = await lastHlsSegment();
      expect(hlsBefore).toBeGreaterThanOrEqual(0);

      const crashedAtMs = Date.now();
      fs.writeFileSync(path.join(dir, TRIGGER), '');
      // The viewer ends at once with the worker: its record is gone and it no longer counts.
      await waitFor(async () => (await status()).streams.sub?.webrtcViewers === 0);
      expect((await fetch(`${url}${location}`, { method: 'DELETE' })).status).toBe(404);
      const sessionId = location.split('/').at(-1);
      expect(logs).toContainEqual(
        expect.objectContaining({
          msg: 'viewer closed',
          viewer: sessionId,
          reason: 'worker-crashed',
        }),
      );
      expect(logs).toContainEqual(
        expect.objectContaining({ msg: 'recording worker died; restarting it', restartInMs: 0 }),
      );
      const crashed = await status();
      expect(crashed.streams.main?.workerRestarts).toBe(1);
      expect(crashed.streams.main?.workerCrash?.reason).toMatch(
        /test crash of the recording worker/,
      );
      expect(
        events.some(
          (e) =>
            e.type === 'camera.state' &&
            e.payload.id === cameraId &&
            e.payload.status.streams.main?.error?.message.includes('recording worker crashed'),
        ),
      ).toBe(true);

      // Back: streaming and recording again; a new viewer fits under the cap and plays.
      const progressAtCrash = progressOf('main');
      await waitFor(async () => (await status()).streams.main?.state === 'streaming');
      await waitFor(() => progressOf('main') >= progressAtCrash + 2);
      const backAfterMs = Date.now() - crashedAtMs;
      // Live HLS follows the new worker: new segments after the crash.
      const hlsAtRestart = await lastHlsSegment();
      await waitFor(async () => (await lastHlsSegment()) > Math.max(hlsBefore, hlsAtRestart));
      let again: Response | undefined;
      await waitFor(async () => (again = await post(third.offerSdp)).status === 201);
      await third.applyAnswer(await again!.text());
      await third.waitFor((p) => p.some((x) => h264PayloadNalTypes(x.payload).includes(5)), 15_000);
      console.log(`engine worker crash: recording and streaming again after ${backAfterMs} ms`);
    } finally {
      await Promise.all([viewer, second, third].map((c) => c.close()));
    }

    await engine.stop();
    const index = RecordingIndex.open({ dataDir: dir });
    try {
      for (const stream of ['main', 'sub'] as const) {
        const segments = index.querySegments({
          cameraId,
          stream,
          fromMs: 0,
          toMs: Date.now() + 1e6,
        });
        // One segment before the crash (closed by recovery), at least one after: 60 s would be one.
        expect(segments.length).toBeGreaterThanOrEqual(2);
        for (const s of segments) {
          expect(s.open).toBe(false);
          const file = path.join(dir, s.path);
          const bytes = fs.readFileSync(file);
          const scan = scanFragments(bytes);
          expect(scan.validEnd).toBe(bytes.length);
          expect(s.sizeBytes).toBe(bytes.length);
          expect(scan.fragments.map((f) => [f.offset, f.size])).toEqual(
            s.fragments.map((f) => [f.offset, f.sizeBytes]),
          );
          const err = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-'], {
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          expect(err).toBe('');
        }
      }
    } finally {
      index.close();
    }
  }, 120_000);
});
