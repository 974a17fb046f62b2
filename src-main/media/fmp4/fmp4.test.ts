// End-to-end checks of the fMP4 writer and parser against ffmpeg/ffprobe with real encoded clips.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyBytes, isNvrError } from '../../base';
import type { VideoCodec } from '../types';
import {
  parseFragmentSamples,
  parseInitSegment,
  readBoxes,
  scanFragments,
  accessUnitToSample,
} from './index';
import type { AccessUnit } from '../types';
import {
  FFMPEG,
  FFPROBE,
  buildFile,
  makeAnnexBClip,
  makeTempDir,
  run,
  toAccessUnits,
} from './test-support';
import type { BuiltFile } from './test-support';

let tmp: { dir: string; cleanup: () => Promise<void> };
interface Clip {
  units: AccessUnit[];
  file: BuiltFile;
  mp4Path: string;
  annexBPath: string;
}
const clips = new Map<string, Clip>();

beforeAll(async () => {
  tmp = await makeTempDir();
  const specs: Array<[string, VideoCodec, number, number]> = [
    ['h264', 'h264', 15, 4],
    ['h265', 'h265', 15, 4],
    ['h264-long-gop', 'h264', 60, 8],
  ];
  for (const [name, codec, keyint, seconds] of specs) {
    const annexB = await makeAnnexBClip(tmp.dir, codec, { keyint, seconds });
    const units = toAccessUnits(codec, annexB.bytes);
    const file = buildFile(codec, units);
    const mp4Path = path.join(tmp.dir, `${name}.mp4`);
    await writeFile(mp4Path, file.bytes);
    clips.set(name, { units, file, mp4Path, annexBPath: annexB.path });
  }
}, 120_000);

afterAll(async () => {
  await tmp?.cleanup();
});

function clip(name: string): Clip {
  const c = clips.get(name);
  if (!c) throw new Error(`no clip ${name}`);
  return c;
}

/** Per-frame MD5s of the decoded pictures (framemd5 hash column). */
async function frameHashes(file: string): Promise<string[]> {
  const r = await run(FFMPEG, ['-v', 'error', '-i', file, '-f', 'framemd5', '-']);
  expect(r.stderr).toBe('');
  return r.stdout
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(',').pop()!.trim());
}

/** The bytes of the first box of `type` anywhere under the top level of an MP4. */
function findBoxDeep(
  bytes: Uint8Array,
  type: string,
  start = 0,
  end = bytes.length,
): Uint8Array | null {
  const containers = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl']);
  for (const b of readBoxes(bytes, start, end)) {
    if (b.type === type) return bytes.subarray(b.start, b.start + b.size);
    if (b.type === 'stsd') {
      for (const e of readBoxes(bytes, b.start + 16, b.start + b.size)) {
        const found = findBoxDeep(bytes, type, e.start + 8 + 78, e.start + e.size);
        if (found) return found;
      }
    } else if (containers.has(b.type)) {
      const found = findBoxDeep(bytes, type, b.start + 8, b.start + b.size);
      if (found) return found;
    }
  }
  return null;
}

async function ffmpegDecodeErrors(file: string): Promise<string> {
  const r = await run(FFMPEG, ['-v', 'error', '-i', file, '-f', 'null', '-']);
  return `${r.code === 0 ? '' : `exit ${r.code} `}${r.stderr}`.trim();
}

describe.each([
  ['h264', 'h264', 'avc1'],
  ['h265', 'h265', 'hvc1'],
] as const)('%s file', (name, codec, entry) => {
  it('decodes with ffmpeg without a single error', async () => {
    expect(await ffmpegDecodeErrors(clip(name).mp4Path)).toBe('');
  });

  it('decodes to the same pictures as the Annex B source', async () => {
    const { mp4Path, annexBPath } = clip(name);
    const [ours, source] = await Promise.all([frameHashes(mp4Path), frameHashes(annexBPath)]);
    expect(ours).toHaveLength(60);
    expect(ours).toEqual(source);
  });

  it('writes the same decoder configuration record as ffmpeg', async () => {
    const { annexBPath, file } = clip(name);
    const ref = path.join(tmp.dir, `${name}-ffmpeg.mp4`);
    const r = await run(FFMPEG, [
      ...['-v', 'error', '-y', '-i', annexBPath, '-c', 'copy', '-tag:v', entry],
      ...['-movflags', 'frag_keyframe+empty_moov+default_base_moof', ref],
    ]);
    expect(r.stderr).toBe('');
    const config = codec === 'h264' ? 'avcC' : 'hvcC';
    const theirs = findBoxDeep(new Uint8Array(await readFile(ref)), config);
    expect(theirs).not.toBeNull();
    expect(findBoxDeep(file.init, config)).toEqual(theirs);
  });

  it('reports codec, size, frame count and duration through ffprobe', async () => {
    const { mp4Path, units } = clip(name);
    expect(units).toHaveLength(60);
    const r = await run(FFPROBE, [
      ...['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-of', 'json'],
      ...['-show_entries', 'stream=codec_name,codec_tag_string,width,height,nb_read_frames'],
      ...['-show_entries', 'format=duration', mp4Path],
    ]);
    expect(r.stderr).toBe('');
    const info = JSON.parse(r.stdout) as {
      streams: Array<Record<string, string | number>>;
      format: { duration: string };
    };
    const s = info.streams[0]!;
    expect(s.codec_name).toBe(codec === 'h264' ? 'h264' : 'hevc');
    expect(s.codec_tag_string).toBe(entry);
    expect(s.width).toBe(640);
    expect(s.height).toBe(360);
    expect(Number(s.nb_read_frames)).toBe(60);
    expect(Number(info.format.duration)).toBeCloseTo(4, 2);
  });

  it('has what MSE needs in the init segment', () => {
    const { file } = clip(name);
    const top = [...readBoxes(file.init)].map((b) => b.type);
    expect(top).toEqual(['ftyp', 'moov']);
    const ftyp = [...readBoxes(file.init)][0]!;
    const brands = new TextDecoder().decode(
      file.init.subarray(ftyp.start + 8, ftyp.start + ftyp.size),
    );
    expect(brands).toContain('isom');
    expect(brands).toContain('iso6');
    const moov = [...readBoxes(file.init)][1]!;
    const moovTypes = [...readBoxes(file.init, moov.start + 8, moov.start + moov.size)].map(
      (b) => b.type,
    );
    expect(moovTypes).toEqual(['mvhd', 'trak', 'mvex']);
    expect(file.track.codecString).toMatch(
      codec === 'h264' ? /^avc1\.[0-9a-f]{6}$/ : /^hvc1\.1\.6\.L\d+(\.[0-9A-F]{1,2})+$/,
    );

    const info = parseInitSegment(file.init);
    expect(info).toMatchObject({ codec, width: 640, height: 360, timescale: 90000, trackId: 1 });
    expect(info.codecString).toBe(file.track.codecString);
    expect(info.sps).toEqual(file.track.sps);
    expect(info.pps).toEqual(file.track.pps);
    if (codec === 'h265') expect(info.vps).toEqual(file.track.vps);
    expect(info.moovEnd).toBe(file.init.length);
  });

  it('scans every fragment with its keyframe flag, timing and sample count', () => {
    const { file } = clip(name);
    const scan = scanFragments(file.bytes);
    expect(scan.initEnd).toBe(file.init.length);
    expect(scan.validEnd).toBe(file.bytes.length);
    expect(scan.fragments).toHaveLength(file.fragments.length);
    expect(scan.fragments).toHaveLength(4); // keyint 15 at 15 fps: one fragment per second
    let offset = file.init.length;
    scan.fragments.forEach((f, i) => {
      const built = file.fragments[i]!;
      expect(f).toEqual({
        offset,
        size: built.bytes.length,
        sequenceNumber: i + 1,
        startPts90k: i * 90000,
        durationTicks: 90000,
        sampleCount: 15,
        isKeyframe: true,
      });
      expect(built).toMatchObject({
        startPts90k: i * 90000,
        durationTicks: 90000,
        sampleCount: 15,
      });
      offset += f.size;
    });
  });

  it('round-trips sample data through parseFragmentSamples', () => {
    const { file, units } = clip(name);
    const scan = scanFragments(file.bytes);
    let i = 0;
    for (const f of scan.fragments) {
      const parsed = parseFragmentSamples(file.bytes, f.offset, scan.init.trackDefaults);
      expect(parsed.end).toBe(f.offset + f.size);
      for (const s of parsed.samples) {
        const au = units[i++]!;
        expect(s.pts90k).toBe(au.pts90k);
        expect(s.dts90k).toBe(au.pts90k);
        expect(s.durationTicks).toBe(6000);
        expect(s.isKeyframe).toBe(au.isKeyframe);
        const data = file.bytes.subarray(s.dataOffset, s.dataOffset + s.sizeBytes);
        expect(data).toEqual(accessUnitToSample(au, codec));
      }
    }
    expect(i).toBe(units.length);
  });

  it('finds the last whole fragment in files cut at random points', async () => {
    const { file } = clip(name);
    const ends = file.fragments.reduce<number[]>(
      (acc, f) => [...acc, acc[acc.length - 1]! + f.bytes.length],
      [file.init.length],
    );
    let seed = codec === 'h264' ? 7 : 11;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const cuts = Array.from({ length: 40 }, () => Math.floor(random() * file.bytes.length));
    cuts.push(file.init.length - 1, file.init.length, ends[1]! - 1, ends[1]!, ends[1]! + 7);
    const checked: Uint8Array[] = [];
    for (const cut of cuts) {
      const truncated = file.bytes.subarray(0, cut);
      if (cut < file.init.length) {
        expect(() => scanFragments(truncated)).toThrow(
          expect.objectContaining({ kind: 'malformed' }),
        );
        continue;
      }
      const expected = Math.max(...ends.filter((e) => e <= cut));
      const scan = scanFragments(truncated);
      expect(scan.validEnd).toBe(expected);
      expect(scan.fragments).toHaveLength(ends.indexOf(expected));
      if (expected > file.init.length && checked.length < 2)
        checked.push(truncated.subarray(0, expected));
    }
    for (const [i, bytes] of checked.entries()) {
      const p = path.join(tmp.dir, `${name}-truncated-${i}.mp4`);
      await writeFile(p, bytes);
      expect(await ffmpegDecodeErrors(p)).toBe('');
    }
  });
});

describe('long GOP (keyint 60 at 15 fps)', () => {
  it('cuts fragments at ~1 s and starts a fragment at every keyframe', async () => {
    const { file, units, mp4Path } = clip('h264-long-gop');
    expect(units).toHaveLength(120);
    const keyIndexes = units.flatMap((u, i) => (u.isKeyframe ? [i] : []));
    expect(keyIndexes).toEqual([0, 60]);
    const scan = scanFragments(file.bytes);
    expect(scan.fragments).toHaveLength(8);
    for (const f of scan.fragments) expect(f.durationTicks).toBeLessThanOrEqual(90000);
    expect(scan.fragments.map((f) => f.isKeyframe)).toEqual([
      true,
      false,
      false,
      false,
      true,
      false,
      false,
      false,
    ]);
    expect(file.fragments.map((f) => f.isKeyframeStart)).toEqual(
      scan.fragments.map((f) => f.isKeyframe),
    );
    // every keyframe sample is the first of its fragment
    for (const f of scan.fragments) {
      const parsed = parseFragmentSamples(file.bytes, f.offset);
      expect(parsed.samples.slice(1).some((s) => s.isKeyframe)).toBe(false);
    }
    expect(await ffmpegDecodeErrors(mp4Path)).toBe('');
  });
});

describe('header damage', () => {
  it('throws malformed only for a broken header', () => {
    const { file } = clip('h264');
    const broken = copyBytes(file.bytes);
    broken[4] = 0x78; // 'ftyp' → 'xtyp'
    expect(() => scanFragments(broken)).toThrow(expect.objectContaining({ kind: 'malformed' }));
    try {
      scanFragments(file.bytes.subarray(0, 20));
    } catch (e) {
      expect(isNvrError(e, 'malformed')).toBe(true);
    }
  });
});
