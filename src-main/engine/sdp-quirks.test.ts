// A camera whose SDP is broken the way cheap firmwares break it (junk after the real parameter sets
// in sprop-parameter-sets, as Reolink sends; an SPS that is not base64 at all; LF line ends, stray
// lines): the engine records anyway from the in-band parameter sets, the files decode clean, and
// the stream status says what was wrong. Real RTSP server behind an SDP-rewriting proxy.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, systemClock } from '../base';
import { RtspServer } from '../camera';
import { startSdpProxy } from '../camera/rtsp/testing';
import { RecordingIndex } from '../storage';
import { CameraStatusSchema } from '../../src-preload/contract';
import { EventBus } from './event-bus';
import { findProjectRoot } from './paths';
import { EngineRecording } from './recording';

const DEMO = path.join(findProjectRoot()!, 'resources', 'demo');
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function waitFor(
  check: () => boolean,
  why: () => unknown,
  timeoutMs = 60_000,
): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs)
      throw new Error(`timed out waiting: ${JSON.stringify(why())}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * main: junk after the real sets (Reolink); sub: no usable SPS at all, only the in-band one. Both:
 * LF line ends, blank lines, a line that is not SDP and an unknown attribute.
 */
function breakSdp(sdp: string, head: string): string {
  const sub = head.includes('/door/sub');
  const broken = sdp
    .replace(/sprop-parameter-sets=([^;\r\n]*)/, (_m, sets: string) =>
      sub
        ? `sprop-parameter-sets=Z0I*AB!,${sets.split(',')[1]}`
        : `sprop-parameter-sets=${sets},AAAAAAAA,!#junk`,
    )
    .replace(/\r\n/g, '\n')
    .replace('m=video', 'this line is not SDP\na=x-vendor-junk\nm=video');
  return `\n${broken}\n\n`;
}

function ffmpegErrors(file: string): string {
  return execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('engine recording through SDP quirks', () => {
  it(
    'records a stream whose sprop-parameter-sets carry junk, and reports the junk',
    { timeout: 120_000 },
    async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nvr-sdpq-'));
      cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
      const server = new RtspServer();
      await server.addClipStream('/door/main', { file: path.join(DEMO, 'door-main.h264') });
      await server.addClipStream('/door/sub', { file: path.join(DEMO, 'door-sub.h264') });
      const { port } = await server.listen({ host: '127.0.0.1', port: 0 });
      cleanups.push(() => server.close());
      const proxy = await startSdpProxy({ host: '127.0.0.1', port }, breakSdp);
      cleanups.push(() => proxy.close());

      const rec = new EngineRecording({
        dataDir,
        logger: createLogger({ level: 'error' }),
        clock: systemClock,
        bus: new EventBus(createLogger({ level: 'error' })),
        workers: 1,
        segmentDurationMs: 2000,
        minFreeBytes: 0,
      });
      cleanups.push(() => rec.close());
      rec.apply({
        id: 'reolink',
        createdMs: 0,
        updatedMs: 0,
        config: {
          name: 'Reolink-style',
          enabled: true,
          transport: 'tcp',
          streams: { main: { url: proxy.url('/door/main') }, sub: { url: proxy.url('/door/sub') } },
          recording: { mode: 'continuous', retentionDays: 30, recordSub: true },
        },
      });
      const written = (stream: 'main' | 'sub') =>
        rec.service.report('reolink', stream)?.framesWritten ?? 0;
      await waitFor(
        () => written('main') > 60 && written('sub') > 60,
        () => rec.status('reolink'),
      );
      // What GET /api/cameras/:id/status answers (the contract keeps the warnings).
      const { main, sub } = CameraStatusSchema.parse(rec.status('reolink')).streams;
      for (const status of [main!, sub!]) {
        expect(status).toMatchObject({ state: 'streaming', codec: 'h264' });
        expect(status.error).toBeUndefined();
        expect(status.warnings).toContainEqual(
          expect.stringMatching(/not an SDP line, ignored: "this line is not SDP"/),
        );
      }
      expect(main!.warnings).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/sprop-parameter-sets item 3 dropped \(not a parameter set/),
          expect.stringMatching(/sprop-parameter-sets item 4 dropped \(not base64: "!#junk"\)/),
        ]),
      );
      // The sub stream's only SPS came in band: its size is known all the same.
      expect(sub!.warnings).toContainEqual(
        expect.stringMatching(/sprop-parameter-sets item 1 dropped \(not base64: "Z0I\*AB!"\)/),
      );
      expect(sub!.width).toBeGreaterThan(0);
      expect(proxy.rewritten.some((s) => s.includes(',AAAAAAAA,!#junk'))).toBe(true);
      await rec.close();
      cleanups.pop();

      const index = RecordingIndex.open({ dataDir });
      cleanups.push(() => index.close());
      for (const stream of ['main', 'sub'] as const) {
        const segments = index.querySegments({
          cameraId: 'reolink',
          stream,
          fromMs: 0,
          toMs: Date.now() + 1e6,
        });
        expect(segments.length, stream).toBeGreaterThan(0);
        for (const s of segments) {
          const file = path.join(dataDir, s.path);
          expect(ffmpegErrors(file), file).toBe('');
        }
      }
    },
  );
});
