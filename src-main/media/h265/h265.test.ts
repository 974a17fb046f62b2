import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyBytes, isNvrError } from '../../base';
import { H265NalType, h265CodecString, h265NalType, isH265Keyframe, parseH265Sps } from '.';
import { FFMPEG_SPS_FIXTURES as fixtures } from './fixtures';

const hex = (s: string) => Uint8Array.from(s.match(/../g)!.map((b) => parseInt(b, 16)));
const fixture = (name: string) => fixtures.find((f) => f.name === name)!;

/** ffprobe's profile names for general_profile_idc. */
const PROFILE_NAMES: Record<string, number> = { Main: 1, 'Main 10': 2, Rext: 4 };

const PIX_FMT: Record<string, { chroma: number; depthMinus8: number }> = {
  yuv420p: { chroma: 1, depthMinus8: 0 },
  yuv444p: { chroma: 3, depthMinus8: 0 },
  yuv420p10le: { chroma: 1, depthMinus8: 2 },
};

function tryParse(nal: Uint8Array) {
  try {
    return parseH265Sps(nal);
  } catch (e) {
    if (!isNvrError(e, 'malformed'))
      throw new Error(`non-malformed error: ${String(e)}`, { cause: e });
    return e;
  }
}

describe('parseH265Sps against ffprobe (libx265 fixtures)', () => {
  it.each(fixtures.map((f) => [f.name, f] as const))('%s', (_name, f) => {
    const sps = parseH265Sps(hex(f.sps));
    const probe = f.ffprobe;
    expect(sps.width).toBe(probe.width);
    expect(sps.height).toBe(probe.height);
    expect(sps.fps).toBe(probe.fps);
    expect(sps.generalLevelIdc).toBe(probe.level);
    expect(sps.generalProfileIdc).toBe(PROFILE_NAMES[probe.profile]);
    expect(sps.chromaFormatIdc).toBe(PIX_FMT[probe.pixFmt]!.chroma);
    expect(sps.bitDepthLumaMinus8).toBe(PIX_FMT[probe.pixFmt]!.depthMinus8);
    expect(sps.bitDepthChromaMinus8).toBe(PIX_FMT[probe.pixFmt]!.depthMinus8);
    expect(sps.generalProfileSpace).toBe(0);
    expect(sps.generalTierFlag).toBe(0);
  });

  it('gives hvcC fields and the browser codec string for Main', () => {
    const sps = parseH265Sps(hex(fixture('main-1920x1080-25').sps));
    expect(sps.generalProfileCompatibilityFlags).toBe(0x60000000); // flags 1 (Main) and 2 (Main 10)
    expect(Array.from(sps.generalConstraintIndicatorFlags)).toEqual([0x90, 0, 0, 0, 0, 0]);
    expect(sps.codecString).toBe('hvc1.1.6.L120.90');
    expect(sps.spsMaxSubLayersMinus1).toBe(0);
    expect(sps.temporalIdNested).toBe(true);
    expect([sps.codedWidth, sps.codedHeight]).toEqual([1920, 1080]);
  });

  it('applies the conformance window', () => {
    const sps = parseH265Sps(hex(fixture('crop-1918x1078-29.97').sps));
    expect([sps.codedWidth, sps.codedHeight, sps.width, sps.height]).toEqual([
      1920, 1080, 1918, 1078,
    ]);
    const odd = parseH265Sps(hex(fixture('rext444-641x361-10').sps));
    expect([odd.codedWidth, odd.codedHeight, odd.width, odd.height]).toEqual([648, 368, 641, 361]);
    expect(odd.codecString).toBe('hvc1.4.10.L63.9E.8');
  });

  it('parses profile_tier_level with sub-layers (x265 temporal layers)', () => {
    const sps = parseH265Sps(hex(fixture('temporal-layers-1280x720-30').sps));
    expect(sps.spsMaxSubLayersMinus1).toBe(1);
    expect([sps.width, sps.height, sps.fps]).toEqual([1280, 720, 30]);
  });

  it('skips HRD parameters in the VUI', () => {
    const sps = parseH265Sps(hex(fixture('hrd-704x576-25').sps));
    expect([sps.width, sps.height, sps.fps]).toEqual([704, 576, 25]);
  });

  it('parses the SPS a real gst-rtsp-server put in its SDP', () => {
    const b64 = 'QgEBAWAAAAMAkAAAAwAAAwBdoAKAgC0WWSpJMr/8AAQABagICAggAAADACAAAAMDIQ==';
    const sps = parseH265Sps(Uint8Array.from(Buffer.from(b64, 'base64')));
    expect([sps.width, sps.height, sps.fps, sps.codecString]).toEqual([
      1280,
      720,
      25,
      'hvc1.1.6.L93.90',
    ]);
  });

  it('formats profile space, tier and compatibility like ISO 14496-15 Annex E', () => {
    const ptl = {
      generalProfileSpace: 1,
      generalTierFlag: 1,
      generalProfileIdc: 4,
      generalProfileCompatibilityFlags: 0x08000000,
      generalConstraintIndicatorFlags: Uint8Array.from([0xb0, 0, 0, 0, 0, 0]),
      generalLevelIdc: 120,
    };
    expect(h265CodecString(ptl)).toBe('hvc1.A4.10.H120.B0');
    expect(
      h265CodecString({ ...ptl, generalConstraintIndicatorFlags: new Uint8Array(6) }, 'hev1'),
    ).toBe('hev1.A4.10.H120');
  });
});

describe('parseH265Sps on broken input', () => {
  const real = fixtures.map((f) => hex(f.sps));

  it('rejects non-SPS and tiny units', () => {
    expect(() => parseH265Sps(hex(fixtures[0]!.vps!))).toThrow(/not an H.265 SPS/);
    expect(() => parseH265Sps(hex('4201'))).toThrow(/too short/);
  });

  it('throws malformed for every truncation that cuts a field it reads, else returns the same values', () => {
    for (const nal of real) {
      const full = parseH265Sps(nal);
      let threw = 0;
      for (let len = 0; len < nal.length; len++) {
        const got = tryParse(nal.subarray(0, len));
        if (got instanceof Error) threw++;
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
          for (const [pos, byte] of edits) m[2 + (pos % (m.length - 2))] = byte;
          const got = tryParse(m);
          if (!(got instanceof Error)) {
            expect(got.width).toBeGreaterThan(0);
            expect(got.height).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('never throws anything but NvrError(malformed) on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (bytes) => {
        const nal = new Uint8Array(bytes.length + 2);
        nal.set([0x42, 0x01]);
        nal.set(bytes, 2);
        tryParse(nal);
        tryParse(bytes);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('NAL types and keyframes', () => {
  it('reads the 6-bit type from the 2-byte header', () => {
    expect(h265NalType(hex('4001'))).toBe(H265NalType.VPS);
    expect(h265NalType(hex('4201'))).toBe(H265NalType.SPS);
    expect(h265NalType(hex('4401'))).toBe(H265NalType.PPS);
    expect(h265NalType(hex('2601'))).toBe(H265NalType.IDR_W_RADL);
    expect(h265NalType(hex('6201'))).toBe(H265NalType.FU);
    expect(h265NalType(new Uint8Array(0))).toBe(-1);
  });

  it('treats every IRAP type (16..23) as a keyframe', () => {
    const unit = (type: number) => Uint8Array.from([type << 1, 1, 0xaf]);
    for (let t = 0; t < 64; t++)
      expect(isH265Keyframe([unit(H265NalType.AUD), unit(t)])).toBe(t >= 16 && t <= 23);
    expect(isH265Keyframe([unit(H265NalType.CRA)])).toBe(true);
  });
});

describe('parseH265Sps reorder depth', () => {
  it('reads sps_max_num_reorder_pics (2 for libx265 defaults: B-pyramid)', () => {
    for (const f of fixtures) expect(parseH265Sps(hex(f.sps)).maxNumReorderPics).toBe(2);
  });
});
