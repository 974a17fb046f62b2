// B-frames: a clip encoded with B-frames, fed as RTP would give it (decode order, presentation
// times only), is recorded with derived decode times and composition offsets: every segment decodes
// clean, decode times only increase, and the pictures come out in the source's presentation order.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../base';
import { bFrameClip, runTool as run } from './fixtures';
import { StreamRecorder } from './stream-recorder';
import type { RecorderEvent } from './protocol';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nvr-rec-b-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe.each(['h264', 'h265'] as const)('StreamRecorder with B-frames (%s)', (codec) => {
  it('writes decode times and composition offsets: clean decode, source picture order', () => {
    const { units, track, mp4 } = bFrameClip(dir, codec);
    expect(units.some((u, i) => i > 0 && u.pts90k < units[i - 1]!.pts90k)).toBe(true);
    const dataDir = fs.mkdtempSync(path.join(dir, 'data-'));
    const clock = new FakeClock(1_790_000_000_000);
    const events: RecorderEvent[] = [];
    const rec = new StreamRecorder({
      dataDir,
      cameraId: 'cam1',
      stream: 'main',
      clock,
      emit: (e) => events.push(e),
      segmentDurationMs: 2000,
    });
    for (const u of units) {
      rec.push(u, track);
      clock.advance(40);
    }
    rec.close();
    const files = events.flatMap((e) =>
      e.type === 'segment.open' ? [path.join(dataDir, e.path)] : [],
    );
    expect(files.length).toBe(2);
    const hashes = (file: string) =>
      run('ffmpeg', [
        '-v',
        'error',
        '-i',
        file,
        '-map',
        '0:v:0',
        '-fps_mode',
        'passthrough',
        '-f',
        'framemd5',
        '-',
      ])
        .split('\n')
        .filter((l) => l && !l.startsWith('#'))
        .map((l) => l.split(',').at(-1)!.trim());
    const recorded: string[] = [];
    for (const file of files) {
      expect(run('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-'])).toBe('');
      const dts = run('ffprobe', [
        '-v',
        'error',
        '-show_entries',
        'packet=dts',
        '-of',
        'csv=p=0',
        file,
      ])
        .trim()
        .split('\n')
        .map(Number);
      expect(dts.every((d, i) => i === 0 || d > dts[i - 1]!)).toBe(true);
      recorded.push(...hashes(file));
    }
    expect(recorded).toEqual(hashes(mp4));
  });
});
