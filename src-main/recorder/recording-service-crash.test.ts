// A recording worker that dies: a real uncaught exception inside the worker thread mid-recording (the
// test-only crash hook of fixtures/crash-extension.ts), and a worker that dies at every start.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, systemClock } from '../base';
import { RtspServer } from '../camera';
import { scanFragments } from '../media/fmp4';
import { RecordingIndex } from '../storage';
import { RecordingService } from './recording-service';
import type { RecordingServiceOptions } from './recording-service';
import { crashable, echoExtension } from './fixtures';
import type { StreamReport } from './protocol';
import type { WorkerCrash } from './worker-supervisor';

const demo = path.resolve(__dirname, '../../resources/demo');
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function waitFor(check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function setup(extra: Partial<RecordingServiceOptions>) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nvr-crash-'));
  cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const server = new RtspServer();
  await server.addClipStream('/door/sub', { file: path.join(demo, 'door-sub.h264') });
  const { port } = await server.listen({ host: '127.0.0.1', port: 0 });
  cleanups.push(() => server.close());
  const index = RecordingIndex.open({ dataDir });
  cleanups.push(() => index.close());
  const reports: StreamReport[] = [];
  const crashes: { streams: string[]; crash: WorkerCrash }[] = [];
  const service = new RecordingService({
    dataDir,
    index,
    logger: createLogger({ level: 'silent' }),
    clock: systemClock,
    workers: 1,
    onReport: (r) => reports.push(r),
    ...extra,
  });
  cleanups.push(() => service.close());
  service.onWorkerCrash((streams, crash) =>
    crashes.push({ streams: streams.map((s) => `${s.cameraId}/${s.stream}`), crash }),
  );
  const url = `rtsp://127.0.0.1:${port}/door/sub`;
  return { dataDir, index, service, reports, crashes, url };
}

const decodeErrors = (file: string) =>
  execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

describe('RecordingService when a recording worker dies', () => {
  it('recovers the open segment, restarts the worker and its stream, and the mirror resumes', async () => {
    const entry = new URL('./fixtures/crash-extension-worker.ts', import.meta.url);
    const s = await setup({
      worker: { entry, extension: crashable(echoExtension) },
      segmentDurationMs: 60_000, // the segment is open when the worker dies
      restart: { initialMs: 200, maxMs: 800, stableMs: 60_000, jitter: 0 },
    });
    s.service.start({
      cameraId: 'door',
      stream: 'sub',
      url: s.url,
      transport: 'tcp',
      record: true,
    });
    const segments = () =>
      s.index.querySegments({ cameraId: 'door', stream: 'sub', fromMs: 0, toMs: Date.now() + 1e6 });
    // A mirror in this thread (live HLS, snapshots) of the worker's hub.
    const { hub, release } = await s.service.openHub('door', 'sub');
    cleanups.push(release);
    const seen: number[] = [];
    let breaks = 0;
    hub.subscribe({
      name: 'mirror-viewer',
      push: (au) => (seen.push(au.pts90k), true),
      onRunBreak: () => breaks++,
    });
    await waitFor(() => (segments()[0]?.fragments.length ?? 0) >= 3);
    const reported = segments()[0]!.fragments; // what the worker had reported (and was flushed)
    expect(segments()[0]!.open).toBe(true);

    const crashedAtMs = Date.now();
    s.service.sendExtension('door', 'sub', { crash: 'test crash mid-recording' });
    await waitFor(() => s.crashes.length === 1);
    expect(s.crashes[0]!.streams).toEqual(['door/sub']);
    expect(s.crashes[0]!.crash).toMatchObject({
      reason: 'Error: test crash mid-recording',
      exitCode: 1,
      restartInMs: 0,
      crashesInRow: 1,
    });
    // Recovered before the stream records again: closed, cut to whole fragments, nothing reported lost.
    const recovered = segments()[0]!;
    expect(recovered.open).toBe(false);
    expect(recovered.fragments.slice(0, reported.length)).toEqual(reported);
    const file = path.join(s.dataDir, recovered.path);
    const bytes = fs.readFileSync(file);
    const scan = scanFragments(bytes);
    expect(scan.validEnd).toBe(bytes.length);
    expect(recovered.sizeBytes).toBe(bytes.length);
    expect(
      scan.fragments.map((f) => ({ offset: f.offset, sizeBytes: f.size, count: f.sampleCount })),
    ).toEqual(
      recovered.fragments.map((f) => ({
        offset: f.offset,
        sizeBytes: f.sizeBytes,
        count: f.sampleCount,
      })),
    );
    expect(decodeErrors(file)).toBe('');
    // The status says what happened while the worker is away.
    expect(s.service.report('door', 'sub')).toMatchObject({
      workerRestarts: 1,
      workerCrash: { reason: 'Error: test crash mid-recording' },
    });
    expect(s.reports).toContainEqual(
      expect.objectContaining({
        state: 'reconnecting',
        error: expect.objectContaining({ kind: 'internal' }),
      }),
    );

    // Back and recording, in a new segment; the mirror follows the new worker's hub.
    const seenAtCrash = seen.length;
    await waitFor(() => s.service.report('door', 'sub')?.state === 'streaming');
    const streamingAfterMs = Date.now() - crashedAtMs;
    await waitFor(() => segments().length >= 2 && segments()[1]!.fragments.length >= 2);
    const backAfterMs = Date.now() - crashedAtMs;
    await waitFor(() => seen.length > seenAtCrash + 20);
    expect(breaks).toBeGreaterThanOrEqual(1);
    expect(s.service.report('door', 'sub')).toMatchObject({
      state: 'streaming',
      workerRestarts: 1,
    });
    console.log(
      `worker crash: streaming again after ${streamingAfterMs} ms, 2 fragments indexed after ${backAfterMs} ms`,
    );

    await s.service.close();
    const all = segments();
    expect(all.every((g) => !g.open)).toBe(true);
    expect(all[1]!.startMs).toBeGreaterThanOrEqual(recovered.endMs);
    for (const g of all) {
      const f = path.join(s.dataDir, g.path);
      expect(fs.statSync(f).size).toBe(g.sizeBytes);
      expect(decodeErrors(f)).toBe('');
    }
  }, 90_000);

  it('restarts a worker that keeps dying with a growing, bounded delay instead of a hot loop', async () => {
    const entry = new URL('./fixtures/dying-worker.ts', import.meta.url);
    const s = await setup({
      worker: { entry, extension: echoExtension },
      restart: { initialMs: 100, maxMs: 400, stableMs: 60_000, jitter: 0 },
    });
    s.service.start({
      cameraId: 'door',
      stream: 'sub',
      url: s.url,
      transport: 'tcp',
      record: true,
    });
    await waitFor(() => s.crashes.length >= 5);
    expect(s.crashes.map((c) => c.crash.restartInMs).slice(0, 5)).toEqual([0, 100, 200, 400, 400]);
    expect(s.crashes.map((c) => c.crash.crashesInRow).slice(0, 5)).toEqual([1, 2, 3, 4, 5]);
    expect(s.crashes[0]!.crash.reason).toMatch(/always dies at start-up/);
    expect(s.crashes.every((c) => c.streams.join() === 'door/sub')).toBe(true);
    expect(s.service.report('door', 'sub')?.workerRestarts).toBeGreaterThanOrEqual(5);
    // While it is away its extension is unavailable, not silently dropped.
    await waitFor(() => {
      try {
        s.service.sendExtension('door', 'sub', {});
        return false;
      } catch (e) {
        return (e as { kind?: string }).kind === 'unavailable';
      }
    });
    await s.service.close();
    const after = s.crashes.length;
    expect(after).toBeGreaterThanOrEqual(5);
  }, 90_000);
});
