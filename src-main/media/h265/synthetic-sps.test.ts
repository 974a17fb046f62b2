import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { annexB } from '../nal';
import { parseH265Sps } from '.';
import { synthSps, synthVps, type SynthSps } from './fixtures';

const tmp = mkdtempSync(path.join(tmpdir(), 'nvr-h265-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs ffmpeg's trace_headers over VPS+SPS; returns the SPS syntax elements it printed (last value wins). */
function ffmpegTrace(vps: Uint8Array, sps: Uint8Array): Map<string, number> {
  const file = path.join(tmp, 'ps.hevc');
  writeFileSync(file, annexB([vps, sps]));
  const r = spawnSync(
    '/usr/bin/ffmpeg',
    [
      '-hide_banner',
      '-f',
      'hevc',
      '-i',
      file,
      '-c',
      'copy',
      '-bsf:v',
      'trace_headers',
      '-f',
      'null',
      '-',
    ],
    {
      encoding: 'utf8',
      timeout: 20_000,
    },
  );
  const out = new Map<string, number>();
  const section = r.stderr.slice(r.stderr.indexOf('Sequence Parameter Set'));
  for (const m of section.matchAll(/\]\s+\d+\s+(\w+)(?:\[[\d\][]+)?\s+[01]+ = (-?\d+)/g))
    out.set(m[1]!, Number(m[2]));
  return out;
}

function expected(d: SynthSps) {
  const [l, r, t, b] = d.confWin ?? [0, 0, 0, 0];
  const subW = d.chromaFormatIdc === 3 ? 1 : 2;
  const subH = d.chromaFormatIdc === 1 ? 2 : 1;
  const timing = d.vui?.timing;
  return {
    width: d.codedWidth - subW * (l + r),
    height: d.codedHeight - subH * (t + b),
    fps: timing ? Math.round((timing.timeScale / timing.numUnitsInTick) * 1000) / 1000 : undefined,
    minSpatialSegmentationIdc: d.vui?.minSpatialSegmentationIdc ?? 0,
    spsMaxSubLayersMinus1: d.subLayers.length,
    chromaFormatIdc: d.chromaFormatIdc,
  };
}

const EVERYTHING: SynthSps = {
  subLayers: [
    { profile: true, level: true },
    { profile: false, level: true },
  ],
  chromaFormatIdc: 1,
  codedWidth: 1928,
  codedHeight: 1088,
  confWin: [2, 2, 0, 4],
  log2MaxPocLsbMinus4: 4,
  scalingList: 'explicit',
  pcm: true,
  rps: [
    { neg: [0, 1], pos: [1] },
    { deltaRps: -1, flags: [true, false, false, true] },
    { neg: [0], pos: [] },
    { deltaRps: 2, flags: [false, true, true] },
  ],
  longTermLsbs: [3, 200],
  vui: {
    sar: [4, 3],
    colour: true,
    defaultDisplayWindow: true,
    timing: { numUnitsInTick: 1001, timeScale: 60000, hrd: { subPic: true, cpbCnt: 2 } },
    minSpatialSegmentationIdc: 4,
  },
};

const synthArb: fc.Arbitrary<SynthSps> = fc.record({
  subLayers: fc.array(fc.record({ profile: fc.boolean(), level: fc.boolean() }), { maxLength: 6 }),
  chromaFormatIdc: fc.constantFrom(1 as const, 2 as const, 3 as const),
  codedWidth: fc.integer({ min: 8, max: 512 }).map((n) => n * 8),
  codedHeight: fc.integer({ min: 8, max: 512 }).map((n) => n * 8),
  confWin: fc.option(fc.tuple(fc.nat(3), fc.nat(3), fc.nat(3), fc.nat(3)), { nil: undefined }),
  log2MaxPocLsbMinus4: fc.nat(12),
  scalingList: fc.constantFrom(undefined, 'default' as const, 'explicit' as const),
  pcm: fc.boolean(),
  rps: fc
    .array(
      fc.oneof(
        fc.record({
          neg: fc.array(fc.nat(5), { maxLength: 4 }),
          pos: fc.array(fc.nat(5), { maxLength: 3 }),
        }),
        fc.record({
          deltaRps: fc.integer({ min: -4, max: 4 }).filter((n) => n !== 0),
          flags: fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
        }),
      ),
      { maxLength: 6 },
    )
    .map((sets) => (sets[0] && 'deltaRps' in sets[0] ? [{ neg: [0], pos: [] }, ...sets] : sets)),
  longTermLsbs: fc.option(fc.array(fc.nat(15), { maxLength: 4 }), { nil: undefined }),
  vui: fc.option(
    fc.record({
      sar: fc.option(fc.tuple(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 100 })), {
        nil: undefined,
      }),
      colour: fc.boolean(),
      defaultDisplayWindow: fc.boolean(),
      timing: fc.option(
        fc.record({
          numUnitsInTick: fc.constantFrom(1, 1001, 2, 90000),
          timeScale: fc.constantFrom(25, 30000, 50, 60000, 2700000),
          hrd: fc.option(
            fc.record({ subPic: fc.boolean(), cpbCnt: fc.integer({ min: 1, max: 3 }) }),
            { nil: undefined },
          ),
        }),
        { nil: undefined },
      ),
      minSpatialSegmentationIdc: fc.option(fc.nat(100), { nil: undefined }),
    }),
    { nil: undefined },
  ),
});

describe('parseH265Sps on synthetic SPS (syntax x265 never emits)', () => {
  it('parses sub-layer PTL, scaling lists, PCM, inter RPS, long-term refs and HRD', () => {
    expect(parseH265Sps(synthSps(EVERYTHING))).toMatchObject({
      ...expected(EVERYTHING),
      width: 1920,
      height: 1080,
      fps: 59.94,
    });
  });

  it('agrees with the writer for any description', () => {
    fc.assert(
      fc.property(synthArb, (d) => {
        const sps = parseH265Sps(synthSps(d));
        expect({ ...sps, fps: sps.fps }).toMatchObject(expected(d));
      }),
      { numRuns: 500 },
    );
  });

  it('and ffmpeg reads the same bits the same way (trace_headers)', () => {
    const samples = [EVERYTHING, ...fc.sample(synthArb, { numRuns: 12, seed: 42 })];
    for (const d of samples) {
      const trace = ffmpegTrace(synthVps(d.subLayers), synthSps(d));
      const sps = parseH265Sps(synthSps(d));
      // ffmpeg got through the whole SPS in step with the writer...
      expect(trace.get('sps_extension_present_flag'), JSON.stringify(d)).toBe(0);
      expect(trace.get('num_short_term_ref_pic_sets')).toBe(d.rps.length);
      // ...and saw what our parser saw.
      expect(trace.get('pic_width_in_luma_samples')).toBe(sps.codedWidth);
      expect(trace.get('pic_height_in_luma_samples')).toBe(sps.codedHeight);
      if (sps.fps !== undefined)
        expect(trace.get('vui_time_scale')! / trace.get('vui_num_units_in_tick')!).toBeCloseTo(
          sps.fps,
          2,
        );
      if (d.vui?.minSpatialSegmentationIdc !== undefined) {
        expect(trace.get('min_spatial_segmentation_idc')).toBe(sps.minSpatialSegmentationIdc);
      }
    }
  });
});
