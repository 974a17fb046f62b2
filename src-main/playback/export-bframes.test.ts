// Export of a B-frame recording: the exported MP4 (ctts from the fragments' composition offsets)
// decodes clean and shows the source pictures in presentation order.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FakeClock, createLogger, systemClock } from '../base';
import { StreamRecorder, type RecorderEvent } from '../recorder';
import { bFrameClip, runTool as run } from '../recorder/fixtures';
import { RecordingIndex } from '../storage';
import { PlaybackService } from './playback-service';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nvr-export-b-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const T0 = 1_790_000_000_000;

const hashes = (file: string) =>
  run('ffmpeg', [
    ...['-v', 'error', '-i', file, '-map', '0:v:0', '-fps_mode', 'passthrough'],
    ...['-f', 'framemd5', '-'],
  ])
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(',').at(-1)!.trim());

describe('export of a B-frame recording', () => {
  it('decodes clean, in the source picture order', async () => {
    const { units, track, mp4 } = bFrameClip(dir, 'h264');
    const index = RecordingIndex.open({ dataDir: dir });
    const runs = new Map<string, number>();
    const segs = new Map<string, number>();
    const apply = (e: RecorderEvent) => {
      if (e.type === 'run.start') runs.set(e.runToken, index.createRun(e));
      else if (e.type === 'segment.open')
        segs.set(e.segToken, index.openSegment({ ...e, runId: runs.get(e.runToken)! }));
      else if (e.type === 'fragment') index.appendFragments(segs.get(e.segToken)!, [e.fragment]);
      else if (e.type === 'segment.close') index.closeSegment(segs.get(e.segToken)!, e.endMs);
      else if (e.type === 'run.end') index.closeRun(runs.get(e.runToken)!, e.endMs);
      else throw new Error(`recorder error ${e.kind}: ${e.message}`);
    };
    const clock = new FakeClock(T0);
    const rec = new StreamRecorder({
      dataDir: dir,
      cameraId: 'cam',
      stream: 'main',
      clock,
      emit: apply,
      segmentDurationMs: 2000,
    });
    for (const u of units) {
      rec.push(u, track);
      clock.advance(40);
    }
    rec.close();
    const service = new PlaybackService({
      index,
      dataDir: dir,
      ffmpegPath: '/usr/bin/ffmpeg',
      clock: systemClock,
      logger: createLogger({ level: 'warn', sink: () => {} }),
      exportCapMs: 3_600_000,
    });
    try {
      const prepared = await service.prepareExport({
        cameraIds: ['cam'],
        stream: 'main',
        fromMs: T0,
        toMs: T0 + 10_000, // past the end: the whole recording
      });
      const out = path.join(dir, 'export.mp4');
      const chunks: Buffer[] = [];
      for await (const c of prepared.open() as AsyncIterable<Uint8Array>)
        chunks.push(Buffer.from(c));
      fs.writeFileSync(out, Buffer.concat(chunks));
      expect(run('ffmpeg', ['-v', 'error', '-i', out, '-f', 'null', '-'])).toBe('');
      const src = hashes(mp4);
      expect(hashes(out)).toEqual(src);
      // A window: the recording's wall clock starts when its first unit is written, after the
      // deriver held 4 units (3 × 40 ms); frame n is shown at T0 + 120 + 40 n.
      const part = await service.prepareExport({
        cameraIds: ['cam'],
        stream: 'main',
        fromMs: T0 + 1000,
        toMs: T0 + 3000,
      });
      const partChunks: Buffer[] = [];
      for await (const c of part.open() as AsyncIterable<Uint8Array>)
        partChunks.push(Buffer.from(c));
      fs.writeFileSync(out, Buffer.concat(partChunks));
      expect(run('ffmpeg', ['-v', 'error', '-i', out, '-f', 'null', '-'])).toBe('');
      const shown = hashes(out).map((h) => src.indexOf(h));
      expect(shown[0]).toBe(22);
      // The end may lose the last frame (the edit's end maps decode-order positions; see README).
      expect(shown.at(-1)).toBeGreaterThanOrEqual(70);
      expect(shown.at(-1)).toBeLessThanOrEqual(71);
      expect(shown).toEqual(Array.from({ length: shown.length }, (_, k) => 22 + k));
    } finally {
      await service.dispose();
      index.close();
    }
  });
});
