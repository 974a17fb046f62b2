// Decode health as the camera status reports it, against real loss on loopback: the project's RTSP
// server drops 2 % of its UDP RTP packets (or every keyframe), the engine records, and the status
// must say what a decoder would see. `auto` must leave UDP for TCP and record clean files there.
// Real RTSP server, real recording worker, real SQLite and files, ffmpeg as the decoder.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger, systemClock } from '../base';
import { RtspServer, type RtpFaults } from '../camera';
import type { CameraConfig, StreamStatus } from '../../src-preload/contract';
import { EventBus } from './event-bus';
import { findProjectRoot } from './paths';
import { EngineRecording } from './recording';

const DEMO = path.join(findProjectRoot()!, 'resources', 'demo');
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function lossyCamera(faults: RtpFaults | undefined): Promise<string> {
  const server = new RtspServer(faults ? { faults } : {});
  await server.addClipStream('/door/main', { file: path.join(DEMO, 'door-main.h264') });
  const { port } = await server.listen({ host: '127.0.0.1', port: 0 });
  cleanups.push(() => server.close());
  return `rtsp://127.0.0.1:${port}/door/main`;
}

let shared: { rec: EngineRecording; dataDir: string } | undefined;

/** One engine (one recording worker) for every cell: far cheaper than one each on a loaded machine. */
function sharedEngine(): { rec: EngineRecording; dataDir: string } {
  if (shared) return shared;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nvr-health-'));
  const logger = createLogger({ level: 'error' });
  const rec = new EngineRecording({
    dataDir,
    logger,
    clock: systemClock,
    bus: new EventBus(logger),
    workers: 1,
    segmentDurationMs: 3000,
    minFreeBytes: 0,
  });
  cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  cleanups.push(() => rec.close());
  shared = { rec, dataDir };
  return shared;
}

/** Adds camera `id` recording `url`; returns its main stream's status getter. */
function engine(id: string, url: string, transport: CameraConfig['transport']) {
  const { rec, dataDir } = sharedEngine();
  rec.apply({
    id,
    createdMs: 0,
    updatedMs: 0,
    config: {
      name: id,
      enabled: true,
      transport,
      streams: { main: { url } },
      recording: { mode: 'continuous', retentionDays: 30, recordSub: false },
    },
  });
  const main = (): StreamStatus | undefined => rec.status(id).streams.main;
  const segments = (afterMs = 0) => closedSegments(rec, id, afterMs);
  return { dataDir, main, segments };
}

/** Polls until `check` holds (every 50 ms, up to `timeoutMs`); returns when it did, ms since the call. */
async function waitFor(what: string, check: () => boolean, timeoutMs: number): Promise<number> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - start;
}

function decodeErrors(file: string): string {
  const r = spawnSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-'], {
    encoding: 'utf8',
  });
  return `${r.stdout}${r.stderr}`.trim();
}

function closedSegments(
  rec: EngineRecording,
  cameraId: string,
  afterMs: number,
): { path: string; startMs: number }[] {
  return rec.index
    .querySegments({ cameraId, stream: 'main', fromMs: 0, toMs: Date.now() + 1e6 })
    .filter((s) => !s.open && s.startMs >= afterMs);
}

describe('decode health in the camera status', () => {
  // The cells run at once (each has its own server and engine) to keep CI time down.
  it(
    'reports 2 % UDP loss degraded within 10 s, falls back to TCP on auto, a clean stream ok, missing keyframes broken',
    { timeout: 150_000 },
    async () => {
      const [lossy, lossyAuto, clean, noKeyframes] = await Promise.all([
        lossyCamera({ udpDropRtpPercent: 2 }),
        lossyCamera({ udpDropRtpPercent: 2 }),
        lossyCamera(undefined),
        lossyCamera({ dropKeyframes: true }),
      ]);

      const udpCell = async () => {
        const { main } = engine('lossy-udp', lossy, 'udp');
        await waitFor('streaming', () => main()?.state === 'streaming', 40_000);
        const toDegradedMs = await waitFor(
          'degraded',
          () => main()?.health?.verdict === 'degraded',
          15_000,
        );
        const s = main()!;
        expect(s.health!.reason).toMatch(/^[\d.]+ % of frames lost over UDP, try TCP$/);
        expect(s.transport).toBe('udp');
        expect(s.transportFallback).toBeUndefined();
        expect(s.decode!.packetsLost).toBeGreaterThan(0);
        expect(s.decode!.framesLostToGaps).toBeGreaterThan(0);
        expect(s.decode!.nalusDropped).toBeGreaterThan(0);
        expect(s.error).toBeUndefined(); // degraded is a warning, not a camera error
        return {
          toDegradedMs,
          reason: s.health!.reason,
          packetsLostPercent: s.health!.packetsLostPercent,
        };
      };

      const autoCell = async () => {
        const { dataDir, main, segments } = engine('lossy-auto', lossyAuto, 'auto');
        await waitFor('streaming', () => main()?.state === 'streaming', 40_000);
        expect(main()!.transport).toBe('udp'); // auto tries UDP first
        const toFallbackMs = await waitFor(
          'the fallback to TCP',
          () => main()?.transportFallback !== undefined && main()?.transport === 'tcp',
          15_000,
        );
        const fb = main()!.transportFallback!;
        expect(fb.reason).toMatch(/% of RTP packets lost over UDP/);
        // Once the UDP loss has left the window, the stream is healthy over TCP.
        await waitFor(
          'ok over TCP',
          () => main()?.state === 'streaming' && main()?.health?.verdict === 'ok',
          25_000,
        );
        expect(main()!.transport).toBe('tcp');
        // Files recorded over TCP decode clean (and so do the ones over UDP: the depacketizer never
        // writes a broken frame, it only loses them).
        await waitFor('segments over TCP', () => segments(fb.atMs).length >= 2, 20_000);
        const files = segments();
        for (const seg of files) expect(decodeErrors(path.join(dataDir, seg.path))).toBe('');
        expect(main()!.transportFallback!.atMs).toBe(fb.atMs); // stays on TCP, no second switch
        return { toFallbackMs, segments: files.length };
      };

      const cleanCell = async () => {
        const { dataDir, main, segments } = engine('clean-udp', clean, 'udp');
        await waitFor('streaming', () => main()?.state === 'streaming', 40_000);
        let worst = 'ok';
        await waitFor(
          'a full window',
          () => {
            const h = main()?.health;
            if (h && h.verdict !== 'ok') worst = `${h.verdict}: ${h.reason}`;
            return (h?.windowMs ?? 0) >= 9000;
          },
          20_000,
        );
        expect(worst).toBe('ok');
        const s = main()!;
        expect(s.health).toMatchObject({
          verdict: 'ok',
          framesLostPercent: 0,
          packetsLostPercent: 0,
        });
        expect(s.decode).toMatchObject({
          packetsLost: 0,
          framesLostToGaps: 0,
          framesUndecodable: 0,
        });
        const files = segments();
        expect(files.length).toBeGreaterThan(0);
        for (const seg of files) expect(decodeErrors(path.join(dataDir, seg.path))).toBe('');
      };

      const brokenCell = async () => {
        const { main } = engine('no-keyframes', noKeyframes, 'tcp');
        const toBrokenMs = await waitFor(
          'broken',
          () => main()?.health?.verdict === 'broken',
          60_000,
        );
        const s = main()!;
        expect(s.health!.reason).toMatch(/^no decodable keyframe for 3\d s/);
        expect(s.error?.kind).toBe('malformed');
        expect(s.error?.message).toMatch(/no decodable keyframe/);
        expect(s.decode!.keyframes).toBe(0);
        expect(s.framesWritten).toBe(0);
        return { toBrokenMs };
      };

      const [udp, auto, , broken] = await Promise.all([
        udpCell(),
        autoCell(),
        cleanCell(),
        brokenCell(),
      ]);
      console.log(
        `health: 2 % UDP loss degraded ${udp.toDegradedMs} ms after streaming began (${udp.packetsLostPercent} % packets, "${udp.reason}"); auto fell back to TCP after ${auto.toFallbackMs} ms; ${auto.segments} segments decode clean; no keyframes: broken after ${broken.toBrokenMs} ms`,
      );
      expect(udp.toDegradedMs).toBeLessThan(10_000);
    },
  );
});
