// Readers against retention and damaged files: an export in progress keeps its segments from
// retention until the client goes away; missing and truncated segment files are skipped with a
// discontinuity and logged (never a crash or a corrupt export); thumbnails go with their video.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, systemClock } from '../base';
import { RecordingIndex, RetentionManager } from '../storage';
import { PlaybackService } from './playback-service';
import {
  decodeErrors,
  frameAt,
  makeClockClip,
  probe,
  readFrameNumbers,
  recordClip,
} from './testing';
import type { RecordedFrame } from './testing';

const T0 = Date.UTC(2026, 10, 20, 8, 0, 0);
let dir: string;
let index: RecordingIndex;
let service: PlaybackService;
let frames: RecordedFrame[];
let logs: string[];

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nvr-readers-'));
  index = RecordingIndex.open({ dataDir: dir });
  logs = [];
  const clip = await makeClockClip(dir, { seconds: 30, fps: 25, gop: 25 });
  // Two runs (a restart 3 s long), 5-s segments.
  frames = await recordClip({
    index,
    cameraId: 'gate',
    clip,
    startMs: T0,
    segmentDurationMs: 5_000,
    runs: [{ frames: 400, gapAfterMs: 3_000 }, { frames: 250 }],
  });
  service = new PlaybackService({
    index,
    dataDir: dir,
    ffmpegPath: '/usr/bin/ffmpeg',
    clock: systemClock,
    logger: createLogger({ level: 'warn', sink: (l) => logs.push(l) }),
  });
}, 60_000);

afterEach(async () => {
  await service.dispose();
  index.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const window = () => ({ cameraIds: ['gate'], stream: 'main', fromMs: T0, toMs: T0 + 60_000 });

describe('readers hold what they read', () => {
  it('retention skips segments under an export until the client disconnects', async () => {
    const prepared = await service.prepareExport(window());
    const ids = prepared.tracks[0]!.segmentIds;
    expect(ids.length).toBeGreaterThan(4);
    const retention = new RetentionManager({
      index,
      quotaBytes: 1,
      statfs: () => ({ bavail: 1e9, bsize: 4096 }),
    });
    const first = retention.run();
    expect(first.deletedSegments).toBe(0);
    expect(first.skippedHeld).toBe(ids.length);

    const stream = prepared.open();
    await new Promise<void>((resolve) => stream.once('readable', () => resolve()));
    expect(stream.read()).not.toBeNull();
    stream.destroy(); // the client goes away mid-export
    await new Promise((r) => stream.once('close', r));
    // The last lease ended: retention's own follow-up pass deletes what was due.
    await expect
      .poll(
        () =>
          index.querySegments({ cameraId: 'gate', stream: 'main', fromMs: 0, toMs: T0 + 1e6 })
            .length,
      )
      .toBe(0);
    expect(ids.some((id) => index.isHeld(id))).toBe(false);
    retention.dispose();
  });

  it('a playlist keeps its segments held for the player', async () => {
    await service.vodPlaylist({ cameraId: 'gate', stream: 'main', fromMs: T0, toMs: T0 + 8_000 });
    const [seg] = index.querySegments({
      cameraId: 'gate',
      stream: 'main',
      fromMs: T0,
      toMs: T0 + 1,
    });
    expect(index.isHeld(seg!.id)).toBe(true);
  });
});

describe('damaged recordings', () => {
  function segmentsOf() {
    return index.querySegments({ cameraId: 'gate', stream: 'main', fromMs: T0, toMs: T0 + 60_000 });
  }

  it('skips a missing and a truncated segment with a discontinuity, logs them, and exports cleanly', async () => {
    const segs = segmentsOf();
    const missing = segs[1]!;
    const truncated = segs[2]!;
    fs.rmSync(path.join(dir, missing.path));
    const cut = truncated.fragments[2]!;
    fs.truncateSync(path.join(dir, truncated.path), cut.offset + 100);

    const { text } = await service.vodPlaylist({
      cameraId: 'gate',
      stream: 'main',
      fromMs: T0,
      toMs: T0 + 60_000,
    });
    expect(text).not.toContain(`/api/segments/${missing.id}.mp4`);
    // Around the missing file, after the truncation, and at the restart.
    expect(text.split('\n').filter((l) => l === '#EXT-X-DISCONTINUITY')).toHaveLength(3);
    expect(logs.some((l) => l.includes('segment file is missing'))).toBe(true);
    expect(logs.some((l) => l.includes('segment file is truncated'))).toBe(true);

    const prepared = await service.prepareExport({ ...window(), gaps: 'preserve' });
    const out = path.join(dir, 'damaged.mp4');
    const chunks: Buffer[] = [];
    for await (const c of prepared.open()) chunks.push(c as Buffer);
    fs.writeFileSync(out, Buffer.concat(chunks));
    expect(fs.statSync(out).size).toBe(prepared.sizeBytes);
    expect(await decodeErrors(out)).toBe('');
    const shown = await readFrameNumbers(out);
    // Nothing from the missing segment (frames 125..249) nor from the cut-off part of the truncated one.
    expect(shown.some((n) => n >= 125 && n < 250)).toBe(false);
    expect(shown.some((n) => n >= 250 + 50 && n < 375)).toBe(false);
    expect(shown[0]).toBe(0);
    expect(shown.at(-1)).toBe(frames.at(-1)!.n);
    // Gaps kept as real time: the whole recorded span.
    const span = (frames.at(-1)!.wallMs + 40 - T0) / 1000;
    expect(Math.abs((await probe(out)).durationSec - span)).toBeLessThanOrEqual(0.04);

    const segmentErr = await service.segmentReply(missing.id).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((segmentErr as Error).message).toMatch(/missing or truncated/);
  });

  it('snapshots still find frames next to a damaged segment', async () => {
    const segs = segmentsOf();
    fs.rmSync(path.join(dir, segs[1]!.path));
    const t = T0 + 11_000; // in segment 3
    const jpeg = await service.snapshot({ cameraId: 'gate', stream: 'main', timeMs: t });
    expect(await readFrameNumbers(jpeg, 'image2pipe')).toEqual([frameAt(frames, t)!.n]);
    const inHole = await service
      .snapshot({ cameraId: 'gate', stream: 'main', timeMs: T0 + 6_000 })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect((inHole as Error).message).toMatch(/nothing recorded/);
  });
});

describe('thumbnails', () => {
  it('are pruned with the video they show', async () => {
    await service.thumbnail({ cameraId: 'gate', stream: 'main', timeMs: T0 + 10_000 });
    const thumbDir = path.join(dir, 'thumbnails/gate/main');
    expect(fs.readdirSync(thumbDir)).toHaveLength(1);
    expect(await service.pruneThumbnails()).toBe(0);
    const retention = new RetentionManager({
      index,
      quotaBytes: 1,
      statfs: () => ({ bavail: 1e9, bsize: 4096 }),
    });
    retention.run();
    retention.dispose();
    expect(await service.pruneThumbnails()).toBe(1);
    expect(fs.existsSync(thumbDir)).toBe(false);
  });
});
