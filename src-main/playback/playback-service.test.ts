// PlaybackService against real recordings: a clock clip (frame numbers drawn into the picture) recorded
// through the real StreamRecorder into real files and SQLite, two runs with a camera restart between.
// Checks timeline data, playlists, byte ranges, exports (ffprobe/ffmpeg) and snapshots frame-exactly.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, isNvrError, systemClock } from '../base';
import type { Clip } from '../camera';
import { loadClip } from '../camera';
import { RecordingIndex } from '../storage';
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

const T0 = Date.UTC(2026, 10, 21, 9, 59, 30);
const FRAME_MS = 40;
let dir: string;
let index: RecordingIndex;
let service: PlaybackService;
let frames: RecordedFrame[];
let clip: Clip;
const logs: string[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nvr-playback-'));
  const clipFile = await makeClockClip(dir, { seconds: 40, fps: 25, gop: 25 });
  clip = await loadClip(clipFile);
  index = RecordingIndex.open({ dataDir: dir });
  // Run 1: 22 s; camera restart with 5 s of nothing; run 2: 14 s. 10-s segments.
  frames = await recordClip({
    index,
    cameraId: 'door',
    clip,
    startMs: T0,
    segmentDurationMs: 10_000,
    runs: [{ frames: 550, gapAfterMs: 5000 }, { frames: 350 }],
  });
  service = new PlaybackService({
    index,
    dataDir: dir,
    ffmpegPath: '/usr/bin/ffmpeg',
    clock: systemClock,
    logger: createLogger({ level: 'warn', sink: (l) => logs.push(l) }),
    exportCapMs: 3_600_000,
  });
}, 120_000);

afterAll(async () => {
  await service?.dispose();
  index?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function rejection(p: Promise<unknown> | (() => unknown)): Promise<unknown> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

async function readAll(body: unknown): Promise<Buffer> {
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body);
  const chunks: Buffer[] = [];
  for await (const c of body as AsyncIterable<Buffer>) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

const run2Start = () => frames.find((f, i) => i > 0 && f.wallMs - frames[i - 1]!.wallMs > 1000)!;

describe('timeline', () => {
  it('gives ranges, gaps and hourly coverage from the index', () => {
    const [t] = service.timeline({
      streams: [{ cameraId: 'door', stream: 'main' }],
      fromMs: T0 - 60_000,
      toMs: T0 + 120_000,
      bucket: 'hour',
    });
    expect(t!.ranges).toHaveLength(2);
    const [a, b] = t!.ranges;
    expect(a!.startMs).toBe(T0);
    expect(a!.endMs).toBeCloseTo(T0 + 550 * FRAME_MS, -1);
    expect(b!.startMs).toBe(Math.round(run2Start().wallMs));
    expect(t!.gaps[0]).toEqual({ startMs: T0 - 60_000, endMs: T0 });
    expect(t!.gaps[1]).toEqual({ startMs: a!.endMs, endMs: b!.startMs });
    // 09:59:30 → two hour buckets, the recording straddles 10:00.
    expect(t!.buckets!.map((x) => x.startMs)).toEqual([
      Date.UTC(2026, 10, 21, 9),
      Date.UTC(2026, 10, 21, 10),
    ]);
    expect(t!.buckets![0]!.recordedMs + t!.buckets![1]!.recordedMs).toBe(t!.recordedMs);
    expect(t!.buckets![0]!.recordedMs).toBe(
      a!.endMs - a!.startMs + (Date.UTC(2026, 10, 21, 10) - b!.startMs),
    );
  });

  it('sums recorded bytes from the index when asked (export size estimates)', () => {
    const ref = { cameraId: 'door', stream: 'main' } as const;
    const media = index
      .querySegments({ ...ref, fromMs: T0 - 60_000, toMs: T0 + 120_000 })
      .reduce((n, s) => n + s.sizeBytes - s.initSize, 0);
    const [all] = service.timeline({
      streams: [ref],
      fromMs: T0 - 60_000,
      toMs: T0 + 120_000,
      withBytes: true,
    });
    expect(all!.recordedBytes).toBe(media);
    expect(media).toBeGreaterThan(10_000);
    // The first 5 s of a 10-s segment: about half of that segment's bytes.
    const [first] = index.querySegments({ ...ref, fromMs: T0, toMs: T0 + 1 });
    const [half] = service.timeline({
      streams: [ref],
      fromMs: T0,
      toMs: T0 + 5_000,
      withBytes: true,
    });
    const firstMedia = first!.sizeBytes - first!.initSize;
    expect(half!.recordedBytes).toBeGreaterThan(firstMedia * 0.4);
    expect(half!.recordedBytes).toBeLessThan(firstMedia * 0.6);
    // Not asked: not computed.
    const [plain] = service.timeline({ streams: [ref], fromMs: T0, toMs: T0 + 5_000 });
    expect(plain!.recordedBytes).toBeUndefined();
  });

  it('refuses from >= to and unknown cameras', async () => {
    expect(
      isNvrError(
        await rejection(() => service.timeline({ streams: [], fromMs: 5, toMs: 5 })),
        'bad_request',
      ),
    ).toBe(true);
    const e = await rejection(() =>
      service.ranges({ cameraId: 'nope', stream: 'main', fromMs: 0, toMs: 1 }),
    );
    expect(isNvrError(e, 'not_found')).toBe(true);
  });
});

describe('HLS playlists', () => {
  it('builds a byte-range VOD playlist with PDT on every entry and a discontinuity at the restart', async () => {
    const { text, type } = await service.vodPlaylist({
      cameraId: 'door',
      stream: 'main',
      fromMs: T0,
      toMs: T0 + 60_000,
    });
    expect(type).toBe('VOD');
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe('#EXTM3U');
    expect(lines.at(-1)).toBe('#EXT-X-ENDLIST');
    const uris = lines.filter((l) => !l.startsWith('#'));
    const pdts = lines.filter((l) => l.startsWith('#EXT-X-PROGRAM-DATE-TIME:'));
    expect(pdts).toHaveLength(uris.length);
    expect(lines.filter((l) => l.startsWith('#EXT-X-BYTERANGE:'))).toHaveLength(uris.length);
    expect(lines.filter((l) => l === '#EXT-X-DISCONTINUITY')).toHaveLength(1);
    expect(uris.every((u) => /^\/api\/segments\/\d+\.mp4$/.test(u))).toBe(true);
    expect(new Set(lines.filter((l) => l.startsWith('#EXT-X-MAP:'))).size).toBe(5); // 3 + 2 segment files
    expect(pdts[0]).toBe(`#EXT-X-PROGRAM-DATE-TIME:${new Date(T0).toISOString()}`);
    const total = lines
      .filter((l) => l.startsWith('#EXTINF:'))
      .reduce((n, l) => n + Number(l.slice(8, -1)), 0);
    expect(total).toBeCloseTo(900 * 0.04, 1);
  });

  it('answers 404 for a window without recordings and EVENT for windows reaching now', async () => {
    const e = await rejection(
      service.vodPlaylist({
        cameraId: 'door',
        stream: 'main',
        fromMs: T0 - 60_000,
        toMs: T0 - 1000,
      }),
    );
    expect(isNvrError(e, 'not_found')).toBe(true);
    expect((e as Error).message).toMatch(/nothing recorded/);
    const live = await service.vodPlaylist({
      cameraId: 'door',
      stream: 'main',
      fromMs: T0,
      toMs: Date.now() + 1000,
    });
    expect(live.type).toBe('EVENT');
    expect(live.text).not.toContain('#EXT-X-ENDLIST');
    expect(
      isNvrError(
        await rejection(
          service.vodPlaylist({ cameraId: 'door', stream: 'sub', fromMs: T0, toMs: T0 + 1 }),
        ),
        'not_found',
      ),
    ).toBe(true);
    expect(
      isNvrError(
        await rejection(
          service.vodPlaylist({ cameraId: 'door', stream: 'main', fromMs: T0 + 1, toMs: T0 }),
        ),
        'bad_request',
      ),
    ).toBe(true);
  });

  it('serves byte ranges as 206 with ETag, 304 and 416', async () => {
    const [seg] = index.querySegments({
      cameraId: 'door',
      stream: 'main',
      fromMs: T0,
      toMs: T0 + 1,
    });
    const file = fs.readFileSync(path.join(dir, seg!.path));
    const f = seg!.fragments[1]!;
    const r = await service.segmentReply(seg!.id, {
      range: `bytes=${f.offset}-${f.offset + f.sizeBytes - 1}`,
    });
    expect(r.status).toBe(206);
    expect(r.headers['content-range']).toBe(
      `bytes ${f.offset}-${f.offset + f.sizeBytes - 1}/${seg!.sizeBytes}`,
    );
    expect(r.headers['content-length']).toBe(String(f.sizeBytes));
    expect((await readAll(r.body)).equals(file.subarray(f.offset, f.offset + f.sizeBytes))).toBe(
      true,
    );
    const whole = await service.segmentReply(seg!.id);
    expect(whole.status).toBe(200);
    expect((await readAll(whole.body)).equals(file)).toBe(true);
    expect(whole.headers['cache-control']).toContain('immutable');
    expect((await service.segmentReply(seg!.id, { ifNoneMatch: whole.headers.etag! })).status).toBe(
      304,
    );
    const bad = await service.segmentReply(seg!.id, { range: `bytes=${seg!.sizeBytes}-` });
    expect(bad.status).toBe(416);
    expect(isNvrError(await rejection(service.segmentReply(999_999)), 'not_found')).toBe(true);
  });
});

describe('export', () => {
  async function exportToFile(
    name: string,
    input: Parameters<PlaybackService['prepareExport']>[0],
  ) {
    const prepared = await service.prepareExport(input);
    const out = path.join(dir, name);
    fs.writeFileSync(out, await readAll(prepared.open()));
    expect(fs.statSync(out).size).toBe(prepared.sizeBytes);
    return { prepared, out };
  }

  it('exports a window inside one run: exact duration, first frame at from, clean decode', async () => {
    const fromMs = T0 + 3_010; // mid-GOP: starts at the keyframe before, edit list skips to from
    const toMs = T0 + 15_000; // crosses a segment boundary (10 s)
    const { prepared, out } = await exportToFile('one-run.mp4', {
      cameraIds: ['door'],
      stream: 'main',
      fromMs,
      toMs,
    });
    const firstMs = frameAt(frames, fromMs)!.wallMs; // the frame shown at from starts 10 ms earlier
    expect(prepared.fileName).toBe(
      `door-${new Date(firstMs).toISOString().slice(0, 19).replace(/[-:]/g, '')}Z.mp4`,
    );
    expect(await decodeErrors(out)).toBe('');
    const p = await probe(out);
    expect(Math.abs(p.durationSec - (toMs - fromMs) / 1000)).toBeLessThanOrEqual(FRAME_MS / 1000);
    expect(p.tags.creation_time?.slice(0, 19)).toBe(new Date(firstMs).toISOString().slice(0, 19));
    expect(p.tags.date).toBe(new Date(firstMs).toISOString());
    const shown = await readFrameNumbers(out);
    expect(shown[0]).toBe(frameAt(frames, fromMs)!.n);
    expect(shown.at(-1)).toBe(frameAt(frames, toMs - 1)!.n);
    expect(Math.abs(shown.length - (toMs - fromMs) / FRAME_MS)).toBeLessThanOrEqual(1);
  });

  it('exports across the camera restart with the gap kept or collapsed', async () => {
    const fromMs = T0 + 18_000;
    const toMs = run2Start().wallMs + 4_000;
    const recorded = T0 + 550 * FRAME_MS - fromMs + 4_000;
    const kept = await exportToFile('kept.mp4', {
      cameraIds: ['door'],
      stream: 'main',
      fromMs,
      toMs,
      gaps: 'preserve',
    });
    const collapsed = await exportToFile('collapsed.mp4', {
      cameraIds: ['door'],
      stream: 'main',
      fromMs,
      toMs,
      gaps: 'collapse',
    });
    for (const f of [kept.out, collapsed.out]) expect(await decodeErrors(f)).toBe('');
    expect(
      Math.abs((await probe(kept.out)).durationSec - (toMs - fromMs) / 1000),
    ).toBeLessThanOrEqual(0.04);
    expect(
      Math.abs((await probe(collapsed.out)).durationSec - recorded / 1000),
    ).toBeLessThanOrEqual(0.04);
    const shown = await readFrameNumbers(collapsed.out);
    expect(shown[0]).toBe(frameAt(frames, fromMs)!.n);
    expect(shown.at(-1)).toBe(frameAt(frames, toMs - 1)!.n);
    expect(shown).toContain(run2Start().n);
  });

  it('exports several cameras of the same range as one MP4 with a track each', async () => {
    await recordClip({
      index,
      cameraId: 'yard',
      clip,
      startMs: T0 + 2_000,
      runs: [{ frames: 400 }],
      segmentDurationMs: 10_000,
    });
    const { out } = await exportToFile('multi.mp4', {
      cameraIds: ['door', 'yard'],
      stream: 'main',
      fromMs: T0 + 5_000,
      toMs: T0 + 12_000,
    });
    const p = await probe(out);
    expect(p.streams.map((s) => s.codec_name)).toEqual(['h264', 'h264']);
    expect(Math.abs(p.durationSec - 7)).toBeLessThanOrEqual(0.04);
    expect(await decodeErrors(out)).toBe('');
  });

  it('refuses bad windows: from >= to, over the cap, unknown camera, nothing recorded', async () => {
    const base = { cameraIds: ['door'], stream: 'main' };
    expect(
      isNvrError(
        await rejection(service.prepareExport({ ...base, fromMs: T0, toMs: T0 })),
        'bad_request',
      ),
    ).toBe(true);
    expect(
      isNvrError(
        await rejection(service.prepareExport({ ...base, fromMs: T0, toMs: T0 + 3_600_001 })),
        'too_large',
      ),
    ).toBe(true);
    expect(
      isNvrError(
        await rejection(
          service.prepareExport({ ...base, cameraIds: ['ghost'], fromMs: T0, toMs: T0 + 1000 }),
        ),
        'not_found',
      ),
    ).toBe(true);
    expect(
      isNvrError(
        await rejection(service.prepareExport({ ...base, fromMs: T0 - 9000, toMs: T0 - 1000 })),
        'not_found',
      ),
    ).toBe(true);
  });

  it('runs background exports with progress and cancel', async () => {
    const events: string[] = [];
    const job = service.startExport({
      cameraIds: ['door'],
      stream: 'main',
      fromMs: T0,
      toMs: T0 + 20_000,
    });
    expect(job.state).toBe('queued');
    const done = await service.exports.settled(job.id);
    expect(done.state).toBe('done');
    expect(done.progress).toBe(1);
    expect(done.downloadUrl).toBe(`/api/exports/${job.id}/file`);
    const file = await service.exports.file(job.id);
    expect(await decodeErrors(file.path)).toBe('');
    const cancelled = service.startExport({
      cameraIds: ['door'],
      stream: 'main',
      fromMs: T0,
      toMs: T0 + 20_000,
    });
    service.exports.cancel(cancelled.id);
    expect((await service.exports.settled(cancelled.id)).state).toBe('cancelled');
    expect(fs.readdirSync(service.exports.dir).filter((n) => n.endsWith('.part'))).toEqual([]);
    events.push(...service.exports.list().map((j) => j.state));
    expect(events).toEqual(expect.arrayContaining(['done', 'cancelled']));
  });
});

describe('snapshots', () => {
  it('shows the frame recorded at T (precise) and the keyframe before it (before)', async () => {
    for (const t of [T0 + 1_234, T0 + 9_999, run2Start().wallMs + 2_520]) {
      const jpeg = await service.snapshot({ cameraId: 'door', stream: 'main', timeMs: t });
      expect(Buffer.from(jpeg.subarray(0, 2)).toString('hex')).toBe('ffd8');
      expect(await readFrameNumbers(jpeg, 'image2pipe')).toEqual([frameAt(frames, t)!.n]);
    }
    const t = T0 + 1_500;
    const key = await service.snapshot({
      cameraId: 'door',
      stream: 'main',
      timeMs: t,
      mode: 'before',
      widthPx: 160,
    });
    expect(await readFrameNumbers(key, 'image2pipe')).toEqual([25]); // the keyframe at 1.000 s
    const e = await rejection(
      service.snapshot({ cameraId: 'door', stream: 'main', timeMs: T0 + 23_000 }),
    );
    expect(isNvrError(e, 'not_found')).toBe(true);
  });

  it('makes timeline thumbnails lazily and caches them on disk', async () => {
    const a = await service.thumbnail({ cameraId: 'door', stream: 'main', timeMs: T0 + 45_000 });
    expect(a.bucketMs).toBe(Date.UTC(2026, 10, 21, 10, 0));
    const cached = path.join(dir, 'thumbnails/door/main', `${a.bucketMs}-w160.jpg`);
    expect(fs.existsSync(cached)).toBe(true);
    // The minute from 10:00:00 starts mid-run: its first keyframe is the one at 10:00:00.
    expect(await readFrameNumbers(a.jpeg, 'image2pipe')).toEqual([frameAt(frames, a.bucketMs)!.n]);
    fs.writeFileSync(cached, Buffer.from([0xff, 0xd8, 1, 2, 3]));
    const again = await service.thumbnail({
      cameraId: 'door',
      stream: 'main',
      timeMs: T0 + 50_000,
    });
    expect(Buffer.from(again.jpeg).toString('hex')).toBe('ffd8010203');
  });
});
