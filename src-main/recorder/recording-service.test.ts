// Recording end to end: the project's RTSP server → camera session → hub → recorder → files + SQLite
// index, in this thread and in a worker thread. Every frame sent is written; every file plays.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, systemClock } from '../base';
import { RtspServer } from '../camera';
import { RecordingIndex } from '../storage';
import { RecordingService } from './recording-service';
import type { RecordingServiceOptions } from './recording-service';
import { echoExtension } from './fixtures';
import type { StreamReport } from './protocol';

const demo = path.resolve(__dirname, '../../resources/demo');
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function setup(workers: number, extra: Partial<RecordingServiceOptions> = {}) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nvr-recsvc-'));
  cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const server = new RtspServer();
  await server.addClipStream('/door/sub', { file: path.join(demo, 'door-sub.h264') });
  await server.addClipStream('/street/main', { file: path.join(demo, 'street-main.h265') });
  const { port } = await server.listen({ host: '127.0.0.1', port: 0 });
  cleanups.push(() => server.close());
  const index = RecordingIndex.open({ dataDir });
  cleanups.push(() => index.close());
  const reports: StreamReport[] = [];
  const service = new RecordingService({
    dataDir,
    index,
    logger: createLogger({ level: 'warn' }),
    clock: systemClock,
    workers,
    segmentDurationMs: 2000,
    onReport: (r) => reports.push(r),
    ...extra,
  });
  return { dataDir, index, service, port, reports, server };
}

/** Starts door/sub without recording and waits until it streams. */
async function streamingDoorSub<T extends Awaited<ReturnType<typeof setup>>>(s: T): Promise<T> {
  s.service.start({
    cameraId: 'door',
    stream: 'sub',
    url: `rtsp://127.0.0.1:${s.port}/door/sub`,
    transport: 'tcp',
    record: false,
  });
  await waitFor(() => s.reports.some((r) => r.cameraId === 'door' && r.framesReceived > 20));
  return s;
}

async function waitFor(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each([0, 1])('RecordingService with %i worker thread(s)', (workers) => {
  it('records H.264 and H.265 into playable segments indexed in SQLite', async () => {
    const { dataDir, index, service, port, reports } = await setup(workers);
    service.start({
      cameraId: 'door',
      stream: 'sub',
      url: `rtsp://127.0.0.1:${port}/door/sub`,
      transport: 'tcp',
      record: true,
    });
    service.start({
      cameraId: 'street',
      stream: 'main',
      url: `rtsp://127.0.0.1:${port}/street/main`,
      transport: 'udp',
      record: true,
    });
    await waitFor(
      () =>
        reports.filter((r) => r.framesWritten >= 60).length >= 2 ||
        ((service.report('door', 'sub')?.framesWritten ?? 0) >= 60 &&
          (service.report('street', 'main')?.framesWritten ?? 0) >= 60),
    );
    await service.close();
    const final = (cam: string, stream: 'main' | 'sub') =>
      reports.filter((r) => r.cameraId === cam && r.stream === stream).at(-1)!;
    for (const [cam, stream, codec] of [
      ['door', 'sub', 'h264'],
      ['street', 'main', 'hevc'],
    ] as const) {
      const segments = index.querySegments({
        cameraId: cam,
        stream,
        fromMs: 0,
        toMs: Date.now() + 60_000,
      });
      expect(segments.length).toBeGreaterThanOrEqual(2);
      expect(segments.every((s) => !s.open)).toBe(true);
      const frames = segments.reduce(
        (n, s) => n + s.fragments.reduce((m, f) => m + f.sampleCount, 0),
        0,
      );
      // Nothing lost between the camera session and the index (the last report may predate the close).
      expect(frames).toBeGreaterThanOrEqual(final(cam, stream).framesWritten);
      for (const s of segments) {
        const file = path.join(dataDir, s.path);
        expect(fs.statSync(file).size).toBe(s.sizeBytes);
        const err = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-'], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        expect(err).toBe('');
        const probed = execFileSync(
          'ffprobe',
          [
            '-v',
            'error',
            '-select_streams',
            'v:0',
            '-show_entries',
            'stream=codec_name',
            '-of',
            'csv=p=0',
            file,
          ],
          { encoding: 'utf8' },
        ).trim();
        expect(probed).toBe(codec);
      }
      const ranges = index.queryRanges({
        cameraId: cam,
        stream,
        fromMs: 0,
        toMs: Date.now() + 60_000,
      });
      expect(ranges).toHaveLength(1);
      expect(ranges[0]!.endMs - ranges[0]!.startMs).toBeGreaterThan(3000);
    }
    expect(
      reports.filter((r) => r.cameraId === 'door' && r.state === 'streaming').at(-1),
    ).toMatchObject({ codec: 'h264', width: 640, height: 360 });
  });

  it('mirrors a stream hub into this thread with the cached keyframe group first', async () => {
    const { service } = await streamingDoorSub(await setup(workers));
    const { hub, release } = await service.openHub('door', 'sub');
    expect(hub.track).toMatchObject({ codec: 'h264', width: 640, height: 360 });
    expect(hub.gop.length).toBeGreaterThan(0);
    expect(hub.gop[0]!.isKeyframe).toBe(true);
    const seen: number[] = [];
    const off = hub.subscribe({ name: 'viewer', push: (au) => (seen.push(au.pts90k), true) });
    expect(seen.length).toBe(hub.gop.length); // the group at once, without waiting for a keyframe
    await waitFor(() => seen.length > hub.gop.length + 10);
    expect(seen.every((pts, i) => i === 0 || pts > seen[i - 1]!)).toBe(true);
    off();
    release();
    await expect(service.openHub('nope', 'main')).rejects.toMatchObject({ kind: 'not_found' });
    await service.close();
  });

  it("hosts an extension next to the recorder: commands reach the stream's worker, messages come back", async () => {
    const entry = new URL('./fixtures/echo-extension-worker.ts', import.meta.url);
    const { service } = await streamingDoorSub(
      await setup(workers, { worker: { entry, extension: echoExtension } }),
    );
    const got: unknown[] = [];
    service.onExtensionMessage((body) => got.push(body));
    // The extension sees the worker's own hub, with its cached group.
    service.sendExtension('door', 'sub', { cameraId: 'door', stream: 'sub' });
    await waitFor(() => got.length === 1);
    expect(got[0]).toMatchObject({ cameraId: 'door', codec: 'h264' });
    expect((got[0] as { gopFrames: number }).gopFrames).toBeGreaterThan(0);
    // A stream this worker does not run is not_found there; one no worker runs, here.
    service.sendExtension('door', 'sub', { cameraId: 'door', stream: 'main' });
    await waitFor(() => got.length === 2);
    expect(got[1]).toMatchObject({ error: 'not_found' });
    expect(() => service.sendExtension('nope', 'main', {})).toThrow(/not running/);
    // Stopping the stream tells the extension; shutting down closes it.
    service.stop('door', 'sub');
    await waitFor(() => got.length === 3);
    expect(got[2]).toEqual({ stopped: 'door/sub' });
    await service.close();
    expect(got).toContainEqual({ closed: true });
  });
});
