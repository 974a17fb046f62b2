// FragmentBuilder cut policy, sample conversion and moof layout, with synthetic access units.
import { describe, expect, it } from 'vitest';
import type { AccessUnit } from '../types';
import {
  FragmentBuilder,
  accessUnitToSample,
  buildFragment,
  parseFragmentSamples,
  readBoxes,
} from './index';
import type { FinishedFragment } from './index';

const AUD = new Uint8Array([0x09, 0xf0]);
const SPS = new Uint8Array([0x67, 0x42, 0xc0, 0x1e]);
const PPS = new Uint8Array([0x68, 0xce, 0x3c, 0x80]);
const FILLER = new Uint8Array([0x0c, 0xff, 0xff]);

function unit(i: number, isKeyframe: boolean, pts90k = i * 6000): AccessUnit {
  const slice = new Uint8Array([isKeyframe ? 0x65 : 0x41, i & 0xff, (i >> 8) & 0xff, 0x80]);
  return { pts90k, isKeyframe, nalus: isKeyframe ? [AUD, SPS, PPS, slice] : [AUD, slice] };
}

/** Units 0..count-1 at 15 fps with a keyframe every `keyint`. */
function stream(count: number, keyint: number): AccessUnit[] {
  return Array.from({ length: count }, (_, i) => unit(i, i % keyint === 0));
}

function fragmentAll(units: AccessUnit[], builder: FragmentBuilder): FinishedFragment[] {
  const out: FinishedFragment[] = [];
  for (const au of units) out.push(...builder.push(au));
  out.push(...builder.flush());
  return out;
}

describe('accessUnitToSample', () => {
  it('length-prefixes NAL units and drops AUD, filler and parameter sets', () => {
    const au = unit(3, true);
    au.nalus.push(FILLER);
    const sample = accessUnitToSample(au, 'h264');
    expect([...sample]).toEqual([0, 0, 0, 4, 0x65, 3, 0, 0x80]);
    const withPs = accessUnitToSample(au, 'h264', { dropParameterSets: false });
    expect(withPs).toHaveLength(8 + 8 + 8);
    expect([...withPs.subarray(0, 8)]).toEqual([0, 0, 0, 4, ...SPS]);
  });

  it('uses H.265 NAL types for H.265', () => {
    const au: AccessUnit = {
      pts90k: 0,
      isKeyframe: true,
      nalus: [
        new Uint8Array([0x46, 0x01, 0x50]), // AUD (35)
        new Uint8Array([0x40, 0x01, 0x0c]), // VPS (32)
        new Uint8Array([0x42, 0x01, 0x01]), // SPS (33)
        new Uint8Array([0x44, 0x01, 0xc1]), // PPS (34)
        new Uint8Array([0x26, 0x01, 0xaf]), // IDR_W_RADL (19)
      ],
    };
    expect([...accessUnitToSample(au, 'h265')]).toEqual([0, 0, 0, 3, 0x26, 0x01, 0xaf]);
  });
});

describe('FragmentBuilder', () => {
  it('starts a fragment at every keyframe (1 s GOP → 1 s fragments)', () => {
    const frags = fragmentAll(stream(45, 15), new FragmentBuilder({ codec: 'h264' }));
    expect(
      frags.map((f) => [
        f.sequenceNumber,
        f.startPts90k,
        f.durationTicks,
        f.sampleCount,
        f.isKeyframeStart,
      ]),
    ).toEqual([
      [1, 0, 90000, 15, true],
      [2, 90000, 90000, 15, true],
      [3, 180000, 90000, 15, true],
    ]);
  });

  it('cuts long GOPs at ~1 s and keeps keyframes first', () => {
    const frags = fragmentAll(stream(130, 60), new FragmentBuilder({ codec: 'h264' }));
    expect(frags.map((f) => f.sampleCount)).toEqual([15, 15, 15, 15, 15, 15, 15, 15, 10]);
    expect(frags.map((f) => f.isKeyframeStart)).toEqual([
      true,
      false,
      false,
      false,
      true,
      false,
      false,
      false,
      true,
    ]);
    for (const f of frags) {
      expect(f.durationTicks).toBeLessThanOrEqual(90000);
      const parsed = parseFragmentSamples(f.bytes);
      expect(parsed.samples.map((s) => s.isKeyframe)).toEqual(
        parsed.samples.map((_, i) => i === 0 && f.isKeyframeStart),
      );
    }
  });

  it('closes short GOPs at each keyframe and honours maxFragmentDurationMs', () => {
    const short = fragmentAll(stream(20, 5), new FragmentBuilder({ codec: 'h264' }));
    expect(short.map((f) => f.sampleCount)).toEqual([5, 5, 5, 5]);
    const half = fragmentAll(
      stream(30, 30),
      new FragmentBuilder({ codec: 'h264', maxFragmentDurationMs: 500 }),
    );
    expect(half.map((f) => f.durationTicks)).toEqual([48000, 48000, 48000, 36000]);
  });

  it('drops units before the first keyframe', () => {
    const builder = new FragmentBuilder({ codec: 'h264', firstSequenceNumber: 7 });
    const units = [
      unit(0, false),
      unit(1, false),
      ...stream(10, 100).map((u, i) => unit(i + 2, i === 0)),
    ];
    const frags = fragmentAll(units, builder);
    expect(builder.droppedUnits).toBe(2);
    expect(frags).toHaveLength(1);
    expect(frags[0]).toMatchObject({
      sequenceNumber: 7,
      startPts90k: 12000,
      sampleCount: 10,
      isKeyframeStart: true,
    });
    expect(builder.nextSequenceNumber).toBe(8);
  });

  it('takes durations from timestamps, reusing the last one for repeats and at flush', () => {
    const pts = [0, 3000, 9000, 9000, 15000];
    const units = pts.map((p, i) => unit(i, i === 0, p));
    const [frag] = fragmentAll(units, new FragmentBuilder({ codec: 'h264' }));
    const parsed = parseFragmentSamples(frag!.bytes);
    expect(parsed.samples.map((s) => s.durationTicks)).toEqual([3000, 6000, 6000, 6000, 6000]);
    expect(parsed.samples.map((s) => s.pts90k)).toEqual([0, 3000, 9000, 15000, 21000]);
    expect(frag!.durationTicks).toBe(27000);
  });

  it('holds the last unit until the next one arrives', () => {
    const builder = new FragmentBuilder({ codec: 'h264' });
    expect(builder.push(unit(0, true))).toEqual([]);
    expect(builder.push(unit(1, false))).toEqual([]);
    const [frag] = builder.push(unit(2, true));
    expect(frag?.sampleCount).toBe(2);
    expect(builder.flush()[0]?.sampleCount).toBe(1);
    expect(builder.flush()).toEqual([]);
  });

  it('writes composition offsets from dts90k', () => {
    const units: AccessUnit[] = [
      { ...unit(0, true, 6000), dts90k: 0 },
      { ...unit(1, false, 18000), dts90k: 6000 },
      { ...unit(2, false, 12000), dts90k: 12000 },
    ];
    const [frag] = fragmentAll(units, new FragmentBuilder({ codec: 'h264' }));
    const parsed = parseFragmentSamples(frag!.bytes);
    expect(parsed.baseMediaDecodeTime90k).toBe(0);
    expect(parsed.samples.map((s) => [s.dts90k, s.pts90k])).toEqual([
      [0, 6000],
      [6000, 18000],
      [12000, 12000],
    ]);
  });
});

describe('buildFragment', () => {
  it('lays out moof(mfhd, traf(tfhd, tfdt v1, trun)) + mdat with data offsets into the mdat', () => {
    const samples = [
      { data: new Uint8Array([0, 0, 0, 2, 0x65, 1]), durationTicks: 3000, isKeyframe: true },
      {
        data: new Uint8Array([0, 0, 0, 1, 0x41]),
        durationTicks: 3003,
        isKeyframe: false,
        compositionOffset: -3000,
      },
    ];
    const bytes = buildFragment({ sequenceNumber: 42, baseMediaDecodeTime90k: 2 ** 40, samples });
    const top = [...readBoxes(bytes)];
    expect(top.map((b) => b.type)).toEqual(['moof', 'mdat']);
    const moof = top[0]!;
    const traf = [...readBoxes(bytes, moof.start + 8, moof.start + moof.size)][1]!;
    expect(
      [...readBoxes(bytes, traf.start + 8, traf.start + traf.size)].map((b) => b.type),
    ).toEqual(['tfhd', 'tfdt', 'trun']);
    const parsed = parseFragmentSamples(bytes);
    expect(parsed.sequenceNumber).toBe(42);
    expect(parsed.baseMediaDecodeTime90k).toBe(2 ** 40);
    expect(parsed.samples).toEqual([
      {
        dts90k: 2 ** 40,
        pts90k: 2 ** 40,
        durationTicks: 3000,
        sizeBytes: 6,
        isKeyframe: true,
        dataOffset: top[1]!.start + 8,
      },
      {
        dts90k: 2 ** 40 + 3000,
        pts90k: 2 ** 40,
        durationTicks: 3003,
        sizeBytes: 5,
        isKeyframe: false,
        dataOffset: top[1]!.start + 14,
      },
    ]);
    expect(parsed.end).toBe(bytes.length);
  });

  it('refuses an empty fragment', () => {
    expect(() =>
      buildFragment({ sequenceNumber: 1, baseMediaDecodeTime90k: 0, samples: [] }),
    ).toThrow(expect.objectContaining({ kind: 'internal' }));
  });
});
