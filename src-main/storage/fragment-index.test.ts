import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isNvrError } from '../base';
import { FragmentIndexEncoder, decodeFragmentIndex, encodeFragmentIndex } from './fragment-index';
import type { FragmentRecord } from './fragment-index';

/** A realistic minute: contiguous ~1 s fragments of a 2 Mbit/s stream, keyframe every 2 s. */
function minute(firstOffset = 700, firstPts = 123_456_789): FragmentRecord[] {
  const out: FragmentRecord[] = [];
  let offset = firstOffset;
  let pts = firstPts;
  for (let i = 0; i < 60; i++) {
    const sizeBytes = 200_000 + ((i * 7919) % 80_000);
    out.push({
      offset,
      sizeBytes,
      startPts90k: pts,
      duration90k: 90_000,
      sampleCount: 15,
      isKeyframe: i % 2 === 0,
    });
    offset += sizeBytes;
    pts += 90_000;
  }
  return out;
}

const fragmentArb = fc.record({
  offset: fc.integer({ min: 0, max: 2 ** 40 }),
  sizeBytes: fc.integer({ min: 0, max: 2 ** 32 }),
  startPts90k: fc.oneof(
    fc.integer({ min: 0, max: 2 ** 51 }),
    fc.integer({ min: 0, max: 10_000_000 }),
  ),
  duration90k: fc.integer({ min: 0, max: 2 ** 33 }),
  sampleCount: fc.integer({ min: 0, max: 100_000 }),
  isKeyframe: fc.boolean(),
});

/** Contiguous fragments (the common case the format is tuned for), with occasional jitter. */
const contiguousArb = fc
  .array(
    fc.record({
      sizeBytes: fc.integer({ min: 1, max: 5_000_000 }),
      duration90k: fc.integer({ min: 80_000, max: 100_000 }),
      sampleCount: fc.integer({ min: 1, max: 60 }),
      isKeyframe: fc.boolean(),
      gapTicks: fc.integer({ min: -3000, max: 3000 }),
    }),
    { maxLength: 200 },
  )
  .map((parts) => {
    let offset = 1000;
    let pts = 5_000_000;
    return parts.map((p) => {
      pts = Math.max(0, pts + p.gapTicks);
      const f: FragmentRecord = {
        offset,
        sizeBytes: p.sizeBytes,
        startPts90k: pts,
        duration90k: p.duration90k,
        sampleCount: p.sampleCount,
        isKeyframe: p.isKeyframe,
      };
      offset += p.sizeBytes;
      pts += p.duration90k;
      return f;
    });
  });

describe('fragment index', () => {
  it('round-trips a realistic minute at about 4 bytes per fragment', () => {
    const fragments = minute();
    const blob = encodeFragmentIndex(fragments);
    expect(decodeFragmentIndex(blob)).toEqual(fragments);
    // first fragment carries absolute offset and pts; every other one: flags + 3-byte size.
    expect(blob.length).toBeLessThan(60 * 4 + 16);
    console.log(
      `fragment index: ${blob.length} bytes for 60 fragments (${(blob.length / 60).toFixed(2)} B/fragment)`,
    );
  });

  it('round-trips arbitrary fragments (property)', () => {
    fc.assert(
      fc.property(fc.array(fragmentArb, { maxLength: 100 }), (fragments) => {
        expect(decodeFragmentIndex(encodeFragmentIndex(fragments))).toEqual(fragments);
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips contiguous jittery fragments and stays compact (property)', () => {
    fc.assert(
      fc.property(contiguousArb, (fragments) => {
        const blob = encodeFragmentIndex(fragments);
        expect(decodeFragmentIndex(blob)).toEqual(fragments);
        // flags 1 + size <= 4 + start delta <= 2 + duration delta <= 3 + samples delta <= 1, plus the header.
        expect(blob.length).toBeLessThanOrEqual(1 + 16 + fragments.length * 11);
      }),
      { numRuns: 300 },
    );
  });

  it('grows incrementally: the encoder equals a one-shot encode at every step', () => {
    const fragments = minute();
    const enc = new FragmentIndexEncoder();
    for (let i = 0; i < fragments.length; i++) {
      enc.add(fragments[i]!);
      expect(enc.fragmentCount).toBe(i + 1);
      expect(enc.bytes()).toEqual(encodeFragmentIndex(fragments.slice(0, i + 1)));
    }
  });

  it('decodes an empty blob and a header-only blob to no fragments', () => {
    expect(decodeFragmentIndex(new Uint8Array(0))).toEqual([]);
    expect(decodeFragmentIndex(encodeFragmentIndex([]))).toEqual([]);
  });

  it('rejects fields out of range', () => {
    const bad = { ...minute()[0]!, sizeBytes: -1 };
    expect(() => encodeFragmentIndex([bad])).toThrow(/sizeBytes/);
    expect(() => encodeFragmentIndex([{ ...bad, sizeBytes: 1, startPts90k: 2 ** 53 }])).toThrow(
      /startPts90k/,
    );
  });

  it('throws NvrError malformed for truncated, unknown-version and bad-flag blobs', () => {
    const blob = encodeFragmentIndex(minute());
    for (const broken of [
      blob.subarray(0, blob.length - 1),
      Uint8Array.of(9, 0),
      Uint8Array.of(1, 0xff, 1),
    ]) {
      let err: unknown;
      try {
        decodeFragmentIndex(broken);
      } catch (e) {
        err = e;
      }
      expect(isNvrError(err, 'malformed')).toBe(true);
    }
  });

  it('never throws anything but NvrError on random bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          const out = decodeFragmentIndex(Uint8Array.of(1, ...bytes));
          for (const f of out) expect(f.offset).toBeGreaterThanOrEqual(0);
        } catch (e) {
          expect(isNvrError(e, 'malformed')).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
