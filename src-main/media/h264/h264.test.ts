import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyBytes, isNvrError } from '../../base';
import { AnnexBSplitter, splitAnnexB } from '../nal';
import { H264NalType, h264NalType, isH264Keyframe, parseH264Sps } from '.';
import { FFMPEG_SPS_FIXTURES as fixtures } from './fixtures';

const hex = (s: string) => Uint8Array.from(s.match(/../g)!.map((b) => parseInt(b, 16)));

/** ffprobe's profile names for profile_idc (constraint_set1 marks Constrained Baseline). */
const PROFILE_NAMES: Record<string, number> = {
  'Constrained Baseline': 66,
  Baseline: 66,
  Main: 77,
  High: 100,
  'High 10': 110,
  'High 4:2:2': 122,
  'High 4:4:4 Predictive': 244,
};

const PIX_FMT: Record<string, { chroma: number; depth: number }> = {
  yuv420p: { chroma: 1, depth: 8 },
  yuv422p: { chroma: 2, depth: 8 },
  yuv444p: { chroma: 3, depth: 8 },
  yuv420p10le: { chroma: 1, depth: 10 },
};

/** Parses, returning the error instead of throwing; fails the test on anything but NvrError('malformed'). */
function tryParse(nal: Uint8Array) {
  try {
    return parseH264Sps(nal);
  } catch (e) {
    if (!isNvrError(e, 'malformed'))
      throw new Error(`non-malformed error: ${String(e)}`, { cause: e });
    return e;
  }
}

describe('parseH264Sps against ffprobe (libx264 fixtures)', () => {
  it.each(fixtures.map((f) => [f.name, f] as const))('%s', (_name, f) => {
    const sps = parseH264Sps(hex(f.sps));
    const probe = f.ffprobe;
    expect(sps.width).toBe(probe.width);
    expect(sps.height).toBe(probe.height);
    expect(sps.fps).toBe(probe.fps);
    expect(sps.levelIdc).toBe(probe.level);
    expect(sps.profileIdc).toBe(PROFILE_NAMES[probe.profile]);
    expect(sps.chromaFormatIdc).toBe(PIX_FMT[probe.pixFmt]!.chroma);
    expect(sps.bitDepthLuma).toBe(PIX_FMT[probe.pixFmt]!.depth);
    expect(sps.bitDepthChroma).toBe(PIX_FMT[probe.pixFmt]!.depth);
    expect(sps.spsId).toBe(0);
    expect(sps.codecString).toBe(`avc1.${f.sps.slice(2, 8)}`);
  });

  it('reports constraint flags and the codec string of a constrained baseline stream', () => {
    const sps = parseH264Sps(hex(fixtures.find((f) => f.name.startsWith('baseline'))!.sps));
    expect(sps.constraintFlags & 0x40).toBe(0x40); // constraint_set1_flag
    expect(sps.codecString).toBe('avc1.42c016');
  });

  it('parses the SPS a real gst-rtsp-server put in its SDP', () => {
    // GStreamer x264enc Main 1280x720@25 from gst-rtsp-server.
    const gst = parseH264Sps(
      Uint8Array.from(Buffer.from('Z01AH9kAUAW7AWoCAgKAAAADAIAAABlHjBkk', 'base64')),
    );
    expect([gst.width, gst.height, gst.fps, gst.codecString]).toEqual([
      1280,
      720,
      25,
      'avc1.4d401f',
    ]);
  });
});

describe('parseH264Sps on broken input', () => {
  const real = fixtures.map((f) => hex(f.sps));

  it('rejects non-SPS and tiny units', () => {
    expect(() => parseH264Sps(hex('68ebe3cb22c0'))).toThrow(/not an H.264 SPS/);
    expect(() => parseH264Sps(new Uint8Array(0))).toThrow(/too short/);
    expect(() => parseH264Sps(hex('6764'))).toThrow(/too short/);
  });

  it('throws malformed for every truncation that cuts a field it reads, else returns the same values', () => {
    for (const nal of real) {
      const full = parseH264Sps(nal);
      let threw = 0;
      for (let len = 0; len < nal.length; len++) {
        const got = tryParse(nal.subarray(0, len));
        if (got instanceof Error) threw++;
        // The VUI bitstream restrictions are an optional hint: a cut there drops only the hint.
        else if (got.maxNumReorderFrames === undefined)
          expect({ ...got, maxNumReorderFrames: full.maxNumReorderFrames }).toEqual(full);
        else expect(got).toEqual(full);
      }
      expect(threw).toBeGreaterThan(nal.length / 2);
    }
  });

  it('never throws anything but NvrError(malformed) on mutated real SPS', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...real),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 6,
        }),
        (nal, edits) => {
          const m = copyBytes(nal);
          for (const [pos, byte] of edits) m[1 + (pos % (m.length - 1))] = byte;
          const got = tryParse(m);
          if (!(got instanceof Error)) {
            expect(got.width).toBeGreaterThan(0);
            expect(got.height).toBeGreaterThan(0);
            expect(Number.isInteger(got.width) && Number.isInteger(got.height)).toBe(true);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('never throws anything but NvrError(malformed) on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        const nal = new Uint8Array(bytes.length + 1);
        nal[0] = 0x67;
        nal.set(bytes, 1);
        tryParse(nal);
        tryParse(bytes);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('NAL types and keyframes', () => {
  it('reads the type from the header byte', () => {
    expect(h264NalType(hex('6742'))).toBe(H264NalType.SPS);
    expect(h264NalType(hex('65'))).toBe(H264NalType.IDR);
    expect(h264NalType(hex('41'))).toBe(H264NalType.SLICE);
    expect(h264NalType(hex('7c85'))).toBe(H264NalType.FU_A);
    expect(h264NalType(new Uint8Array(0))).toBe(-1);
  });

  it('detects IDR access units', () => {
    expect(isH264Keyframe([hex('09f0'), hex('6742'), hex('68ce'), hex('6588')])).toBe(true);
    expect(isH264Keyframe([hex('09f0'), hex('419a')])).toBe(false);
    expect(isH264Keyframe([])).toBe(false);
  });
});

describe('a libx264 stream', () => {
  it('splits into the NAL units and keyframes ffmpeg wrote, in one go or in chunks', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nvr-h264-'));
    try {
      const file = path.join(dir, 'clip.h264');
      const args = [
        '-v',
        'error',
        '-f',
        'lavfi',
        '-i',
        'testsrc2=size=320x240:rate=10',
        '-frames:v',
        '12',
      ];
      args.push(
        '-c:v',
        'libx264',
        '-x264-params',
        'keyint=5:min-keyint=5:scenecut=0:aud=1',
        '-bf',
        '0',
        file,
      );
      const r = spawnSync('/usr/bin/ffmpeg', args, { encoding: 'utf8', timeout: 20_000 });
      expect(r.status, r.stderr).toBe(0);
      const data = new Uint8Array(readFileSync(file));
      const nalus = splitAnnexB(data);
      const splitter = new AnnexBSplitter();
      const chunked: Uint8Array[] = [];
      for (let off = 0; off < data.length; off += 777)
        chunked.push(...splitter.push(data.subarray(off, off + 777)));
      chunked.push(...splitter.flush());
      expect(chunked.map((n) => Array.from(n))).toEqual(nalus.map((n) => Array.from(n)));
      // Group into access units at each AUD.
      const units: Uint8Array[][] = [];
      for (const n of nalus) {
        if (h264NalType(n) === H264NalType.AUD) units.push([]);
        units[units.length - 1]!.push(n);
      }
      expect(units).toHaveLength(12);
      expect(units.map(isH264Keyframe)).toEqual(units.map((_, i) => i % 5 === 0));
      const sps = parseH264Sps(nalus.find((n) => h264NalType(n) === H264NalType.SPS)!);
      expect([sps.width, sps.height, sps.fps]).toEqual([320, 240, 10]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('parseH264Sps reorder depth', () => {
  it('reads max_num_reorder_frames from the VUI: 0 for Baseline, 2 for libx264 B-pyramid', () => {
    for (const f of fixtures) {
      const sps = parseH264Sps(hex(f.sps));
      expect(sps.maxNumReorderFrames).toBe(f.name.startsWith('baseline') ? 0 : 2);
    }
  });
});
