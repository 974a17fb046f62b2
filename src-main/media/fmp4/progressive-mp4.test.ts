// layoutProgressiveMp4 against ffmpeg/ffprobe: an fMP4 clip's samples remuxed into a moov-first MP4 with
// an edit list (H.264 and H.265), two interleaved tracks, chunk offsets that point at the right bytes,
// and broken inputs rejected.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNvrError } from '../../base';
import type { VideoCodec } from '../types';
import { layoutProgressiveMp4, parseFragmentSamples, parseInitSegment, readBoxes } from './index';
import type { Mp4TrackInput } from './index';
import {
  FFMPEG,
  FFPROBE,
  buildFile,
  makeAnnexBClip,
  makeTempDir,
  run,
  toAccessUnits,
} from './test-support';

let tmp: { dir: string; cleanup: () => Promise<void> };
const clips = new Map<VideoCodec, Uint8Array>();

beforeAll(async () => {
  tmp = await makeTempDir();
  for (const codec of ['h264', 'h265'] as const) {
    const clip = await makeAnnexBClip(tmp.dir, codec, { keyint: 15, seconds: 4 });
    clips.set(codec, buildFile(codec, toAccessUnits(codec, clip.bytes)).bytes);
  }
}, 120_000);

afterAll(async () => {
  await tmp?.cleanup();
});

/** A track of every sample of an fMP4 file (one chunk per fragment) and where the bytes are. */
function trackOf(file: Uint8Array, startOffset90k: number, durationTicks: number) {
  const init = parseInitSegment(file);
  const track: Mp4TrackInput = { config: init, samples: [], chunks: [], edits: [] };
  const sources: Uint8Array[] = [];
  const samples = track.samples as Mp4TrackInput['samples'][number][];
  const chunks = track.chunks as Mp4TrackInput['chunks'][number][];
  for (const box of readBoxes(file)) {
    if (box.type !== 'moof') continue;
    const f = parseFragmentSamples(file, box.start, init.trackDefaults);
    const first = f.samples[0]!;
    const size = f.samples.reduce((n, s) => n + s.sizeBytes, 0);
    chunks.push({
      firstSample: samples.length,
      sampleCount: f.samples.length,
      sizeBytes: size,
      orderKey: f.baseMediaDecodeTime90k,
    });
    sources.push(file.subarray(first.dataOffset, first.dataOffset + size));
    for (const s of f.samples)
      samples.push({
        sizeBytes: s.sizeBytes,
        durationTicks: s.durationTicks,
        isKeyframe: s.isKeyframe,
        compositionOffset: s.pts90k - s.dts90k,
      });
  }
  track.edits = [{ durationTicks, mediaTimeTicks: startOffset90k }];
  return { track, sources };
}

async function assemble(name: string, tracks: ReturnType<typeof trackOf>[], startMs?: number) {
  const layout = layoutProgressiveMp4(
    tracks.map((t) => t.track),
    { ...(startMs ? { startMs } : {}), comment: 'test' },
  );
  const out = new Uint8Array(layout.totalSizeBytes);
  out.set(layout.header, 0);
  for (const p of layout.order) out.set(tracks[p.track]!.sources[p.chunk]!, p.outputOffset);
  const file = path.join(tmp.dir, name);
  await writeFile(file, out);
  return { layout, out, file };
}

describe('layoutProgressiveMp4', () => {
  it.each(['h264', 'h265'] as const)(
    'remuxes %s samples into a moov-first MP4 that plays from the edit',
    async (codec) => {
      // 4 s at 15 fps; start at frame 8 (mid-GOP), play 2.4 s (36 frames).
      const t = trackOf(clips.get(codec)!, 48_000, 216_000);
      const { out, file } = await assemble(`${codec}.mp4`, [t], Date.UTC(2026, 0, 2, 3, 4, 5, 678));
      expect([...readBoxes(out)].map((b) => b.type)).toEqual(['ftyp', 'moov', 'mdat']);
      const err = await run(FFMPEG, ['-v', 'error', '-i', file, '-f', 'null', '-']);
      expect(err.stderr).toBe('');
      const probe = await run(FFPROBE, [
        '-v',
        'error',
        '-show_entries',
        'format=duration:format_tags=creation_time,date',
        '-of',
        'json',
        file,
      ]);
      const fmt = (
        JSON.parse(probe.stdout) as { format: { duration: string; tags: Record<string, string> } }
      ).format;
      expect(Number(fmt.duration)).toBeCloseTo(2.4, 3);
      expect(fmt.tags.date).toBe('2026-01-02T03:04:05.678Z');
      expect(fmt.tags.creation_time).toBe('2026-01-02T03:04:05.000000Z');
      const frames = await run(FFPROBE, [
        '-v',
        'error',
        '-count_frames',
        '-select_streams',
        'v:0',
        '-show_entries',
        'stream=nb_read_frames',
        '-of',
        'csv=p=0',
        file,
      ]);
      expect(Number(frames.stdout.trim())).toBe(36);
    },
  );

  it('interleaves two tracks by time and points every chunk offset at its bytes', async () => {
    const a = trackOf(clips.get('h264')!, 0, 360_000);
    const b = trackOf(clips.get('h265')!, 0, 360_000);
    const { layout, out, file } = await assemble('two.mp4', [a, b]);
    const keys = layout.order.map((p) => [a, b][p.track]!.track.chunks[p.chunk]!.orderKey);
    expect(keys).toEqual([...keys].sort((x, y) => x - y));
    for (const p of layout.order) {
      const src = [a, b][p.track]!.sources[p.chunk]!;
      expect(
        Buffer.from(out.subarray(p.outputOffset, p.outputOffset + src.length)).equals(
          Buffer.from(src),
        ),
      ).toBe(true);
    }
    const probe = await run(FFPROBE, [
      '-v',
      'error',
      '-show_entries',
      'stream=codec_name',
      '-of',
      'csv=p=0',
      file,
    ]);
    expect(probe.stdout.trim().split('\n')).toEqual(['h264', 'hevc']);
    expect(
      (await run(FFMPEG, ['-v', 'error', '-i', file, '-map', '0', '-f', 'null', '-'])).stderr,
    ).toBe('');
  });

  it('rejects tracks whose chunks do not match their samples', () => {
    const t = trackOf(clips.get('h264')!, 0, 90_000);
    const bad = {
      ...t.track,
      chunks: t.track.chunks.map((c, i) => (i === 1 ? { ...c, sizeBytes: c.sizeBytes + 1 } : c)),
    };
    expect(() => layoutProgressiveMp4([bad])).toThrow(
      expect.objectContaining({ kind: 'internal' }),
    );
    let caught: unknown;
    try {
      layoutProgressiveMp4([]);
    } catch (e) {
      caught = e;
    }
    expect(isNvrError(caught, 'internal')).toBe(true);
  });
});
