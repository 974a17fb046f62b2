// Recording against what real cameras and disks do: a camera that restarts, a disk that fills up,
// and the engine killed with SIGKILL mid-recording. Real RTSP server, real SQLite, real files.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, systemClock } from '../base';
import { RtspServer } from '../camera';
import { RecordingIndex } from '../storage';
import type { CameraConfig } from '../../src-preload/contract';
import { EventBus } from './event-bus';
import { findProjectRoot } from './paths';
import { EngineRecording } from './recording';

const ROOT = findProjectRoot()!;
const DEMO = path.join(ROOT, 'resources', 'demo');
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nvr-engrec-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function demoServer(): Promise<{ server: RtspServer; port: number }> {
  const server = new RtspServer();
  await server.addClipStream('/door/main', { file: path.join(DEMO, 'door-main.h264') });
  await server.addClipStream('/door/sub', { file: path.join(DEMO, 'door-sub.h264') });
  const { port } = await server.listen({ host: '127.0.0.1', port: 0 });
  cleanups.push(() => server.close());
  return { server, port };
}

function camera(
  port: number,
  streams: 'main' | 'both' = 'both',
): { id: string; config: CameraConfig; createdMs: number; updatedMs: number } {
  return {
    id: 'door',
    createdMs: 0,
    updatedMs: 0,
    config: {
      name: 'Door',
      enabled: true,
      transport: 'tcp',
      streams: {
        main: { url: `rtsp://127.0.0.1:${port}/door/main` },
        ...(streams === 'both' ? { sub: { url: `rtsp://127.0.0.1:${port}/door/sub` } } : {}),
      },
      recording: { mode: 'continuous', retentionDays: 30, recordSub: true },
    },
  };
}

async function waitFor(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

function ffmpegErrors(file: string): string {
  return execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function recording(dataDir: string, extra: { minFreeBytes?: number } = {}) {
  const rec = new EngineRecording({
    dataDir,
    logger: createLogger({ level: 'error' }),
    clock: systemClock,
    bus: new EventBus(createLogger({ level: 'error' })),
    workers: 1,
    segmentDurationMs: 2000,
    minFreeBytes: extra.minFreeBytes ?? 0,
  });
  return rec;
}

describe('engine recording', () => {
  it("starts a new run after a camera restart, from the camera's return on", async () => {
    const dataDir = tempDir();
    const { server, port } = await demoServer();
    const rec = recording(dataDir);
    cleanups.push(() => rec.close());
    rec.apply(camera(port, 'main'));
    await waitFor(() => (rec.service.report('door', 'main')?.framesWritten ?? 0) > 40);
    const before = rec.status('door').streams.main!;
    expect(before.reconnects).toBe(0);
    expect(before.uptimeMs).toBeGreaterThan(0);
    await server.close(); // the camera reboots: gone for 1.5 s
    await waitFor(() => rec.status('door').state === 'reconnecting');
    await new Promise((r) => setTimeout(r, 1500));
    await server.listen({ host: '127.0.0.1', port });
    const backMs = Date.now();
    await waitFor(() => rec.status('door').state === 'streaming');
    const resumedAfterMs = Date.now() - backMs;
    // Uptime counts from the new run; the outage shows as reconnects.
    const after = rec.status('door').streams.main!;
    expect(after.reconnects).toBeGreaterThanOrEqual(1);
    expect(after.uptimeMs).toBeGreaterThanOrEqual(0);
    expect(after.uptimeMs!).toBeLessThan(Date.now() - backMs + 1000);
    await waitFor(
      () =>
        rec.index.queryRanges({
          cameraId: 'door',
          stream: 'main',
          fromMs: 0,
          toMs: Date.now() + 1e6,
        }).length === 2,
    );
    await rec.close();
    cleanups.pop();
    const index = RecordingIndex.open({ dataDir });
    cleanups.push(() => index.close());
    const ranges = index.queryRanges({
      cameraId: 'door',
      stream: 'main',
      fromMs: 0,
      toMs: Date.now() + 1e6,
    });
    expect(ranges).toHaveLength(2);
    const gapMs = ranges[1]!.startMs - ranges[0]!.endMs;
    expect(gapMs).toBeGreaterThan(1000);
    // The second run starts with the first frame the camera sends after its return (how soon that
    // is follows the reconnect backoff, whose schedule client-session's tests pin with a fake clock).
    expect(ranges[1]!.startMs).toBeGreaterThanOrEqual(backMs - 100);
    console.log(
      `camera restart: gap ${gapMs} ms, streaming again ${resumedAfterMs} ms after the camera returned`,
    );
    for (const s of index.querySegments({
      cameraId: 'door',
      stream: 'main',
      fromMs: 0,
      toMs: Date.now() + 1e6,
    })) {
      expect(ffmpegErrors(path.join(dataDir, s.path))).toBe('');
    }
  });

  it(
    'stops cleanly with a disk error when the disk is full and resumes when space returns',
    { timeout: 90_000 },
    async (ctx) => {
      const mountDir = tempDir();
      const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mountDir]);
      if (mounted.status !== 0) {
        ctx.skip(
          `cannot mount a tmpfs here (${mounted.stderr.toString().trim()}); run the tests as root`,
        );
        return;
      }
      cleanups.push(() => void spawnSync('umount', ['-l', mountDir]));
      const dataDir = path.join(mountDir, 'data');
      const { port } = await demoServer();
      const rec = recording(dataDir);
      cleanups.push(() => rec.close());
      // Ballast leaves about 1.5 MB for recordings: the 1080p stream fills it within seconds.
      const ballast = path.join(mountDir, 'ballast');
      fs.writeFileSync(ballast, Buffer.alloc(2 * 1024 * 1024));
      rec.apply(camera(port));
      await waitFor(() => rec.status('door').streams.main?.error?.kind === 'disk', 30_000);
      expect(rec.status('door').streams.main?.error?.message).toMatch(/disk full/);
      const filesBefore = rec.index.querySegments({
        cameraId: 'door',
        stream: 'main',
        fromMs: 0,
        toMs: Date.now() + 1e6,
      });
      fs.rmSync(ballast);
      const bytesAtFree = rec.service.report('door', 'main')!.bytesWritten;
      await waitFor(
        () => (rec.service.report('door', 'main')?.bytesWritten ?? 0) > bytesAtFree + 50_000,
        30_000,
      );
      await rec.close();
      cleanups.pop();
      // Nothing already written is damaged: every indexed file plays without error.
      const index = RecordingIndex.open({ dataDir });
      cleanups.push(() => index.close());
      const segments = index.querySegments({
        cameraId: 'door',
        stream: 'main',
        fromMs: 0,
        toMs: Date.now() + 1e6,
      });
      expect(segments.length).toBeGreaterThan(filesBefore.length);
      for (const s of segments) {
        expect(fs.statSync(path.join(dataDir, s.path)).size).toBe(s.sizeBytes);
        expect(ffmpegErrors(path.join(dataDir, s.path))).toBe('');
      }
    },
  );

  it(
    'survives kill -9: the index is consistent, every file plays, and little is lost',
    { timeout: 90_000 },
    async () => {
      const dataDir = tempDir();
      const { port } = await demoServer();
      // node itself (not the tsx wrapper, whose SIGKILL would orphan the real engine process).
      const serve = (args: string[]) => {
        const child = spawn(
          process.execPath,
          [
            '--import',
            'tsx',
            'src-main/engine/serve.ts',
            '--port',
            '0',
            '--data',
            dataDir,
            ...args,
          ],
          { cwd: ROOT, stdio: 'pipe', env: { ...process.env, NVR_LOG_LEVEL: 'error' } },
        );
        cleanups.push(() => void child.kill('SIGKILL'));
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        const url = new Promise<string>((resolve, reject) => {
          let out = '';
          child.stdout.on('data', (d: Buffer) => {
            out += d.toString();
            const m = /NVR listening on (\S+)/.exec(out);
            if (m) resolve(m[1]!);
          });
          void exited.then(() => reject(new Error(`serve exited: ${out}`)));
        });
        return { child, url, exited };
      };
      const first = serve([]);
      const base = await first.url;
      const added = await fetch(`${base}/api/cameras`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...camera(port).config, name: 'Door' }),
      });
      expect(added.status).toBe(201);
      const id = ((await added.json()) as { id: string }).id;
      let lastFrameMs = 0;
      const started = Date.now();
      while (Date.now() - started < 20_000) {
        const status = (await (await fetch(`${base}/api/cameras/${id}/status`)).json()) as {
          streams: { main?: { bytesWritten?: number; lastFrameMs?: number } };
        };
        lastFrameMs = status.streams.main?.lastFrameMs ?? 0;
        if ((status.streams.main?.bytesWritten ?? 0) > 400_000) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await new Promise((r) => setTimeout(r, 2500)); // mid-segment, mid-fragment
      const killedMs = Date.now();
      first.child.kill('SIGKILL');
      await first.exited;
      expect(lastFrameMs).toBeGreaterThan(0);

      const second = serve([]);
      const base2 = await second.url; // start-up recovery has run
      second.child.kill('SIGTERM');
      await second.exited;
      expect(base2).toMatch(/^http:/);

      const index = RecordingIndex.open({ dataDir });
      cleanups.push(() => index.close());
      for (const stream of ['main', 'sub'] as const) {
        const segments = index.querySegments({
          cameraId: id,
          stream,
          fromMs: 0,
          toMs: Date.now() + 1e6,
        });
        expect(segments.length).toBeGreaterThan(0);
        expect(segments.every((s) => !s.open)).toBe(true);
        for (const s of segments) {
          const file = path.join(dataDir, s.path);
          expect(fs.statSync(file).size).toBe(s.sizeBytes);
          expect(ffmpegErrors(file)).toBe('');
        }
        // Recorded up to shortly before the kill (of the first run: the second engine records on).
        const firstRun = index.queryRanges({
          cameraId: id,
          stream,
          fromMs: 0,
          toMs: Date.now() + 1e6,
        })[0]!;
        const lostMs = killedMs - firstRun.endMs;
        console.log(
          `kill -9 (${stream}): lost the last ${lostMs} ms (fragment ≤ 1 s, index flush 1 s, recovered from the file)`,
        );
        expect(lostMs).toBeLessThan(2500);
      }
    },
  );
});
