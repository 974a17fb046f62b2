// Property tests: random and mutated input never makes the box parsers throw anything but
// NvrError, and damage after the header only ever shortens validEnd to a whole-fragment boundary.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyBytes, isNvrError } from '../../base';
import { parseFragmentSamples, parseInitSegment, readBoxes, scanFragments } from './index';
import type { ScanResult } from './index';
import { buildFile, makeAnnexBClip, makeTempDir, toAccessUnits } from './test-support';
import type { BuiltFile } from './test-support';

const files: BuiltFile[] = [];
let cleanup: (() => Promise<void>) | undefined;

beforeAll(async () => {
  const tmp = await makeTempDir();
  cleanup = tmp.cleanup;
  for (const codec of ['h264', 'h265'] as const) {
    const clip = await makeAnnexBClip(tmp.dir, codec, { seconds: 2, keyint: 10 });
    files.push(buildFile(codec, toAccessUnits(codec, clip.bytes), 400));
  }
}, 60_000);

afterAll(async () => {
  await cleanup?.();
});

/** Runs `fn`; an NvrError counts as a clean refusal, anything else fails the property. */
function onlyNvrErrors<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch (e) {
    if (!isNvrError(e)) throw e;
    return undefined;
  }
}

function exercise(bytes: Uint8Array): ScanResult | undefined {
  onlyNvrErrors(() => [...readBoxes(bytes)]);
  onlyNvrErrors(() => parseInitSegment(bytes));
  onlyNvrErrors(() => parseFragmentSamples(bytes));
  const scan = onlyNvrErrors(() => scanFragments(bytes));
  if (scan) {
    expect(scan.validEnd).toBeLessThanOrEqual(bytes.length);
    let at = scan.initEnd;
    for (const f of scan.fragments) {
      expect(f.offset).toBeGreaterThanOrEqual(at);
      at = f.offset + f.size;
      // whatever scan accepts, the exporter's parser accepts too
      const parsed = parseFragmentSamples(bytes, f.offset, scan.init.trackDefaults);
      expect(parsed.samples).toHaveLength(f.sampleCount);
    }
    expect(scan.validEnd).toBe(at);
  }
  return scan;
}

/** Fragment end offsets (init end first). */
function boundaries(file: BuiltFile): number[] {
  const ends = [file.init.length];
  for (const f of file.fragments) ends.push(ends[ends.length - 1]! + f.bytes.length);
  return ends;
}

describe('box parsers under fuzzing', () => {
  it('throw only NvrError on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        exercise(bytes);
      }),
      { numRuns: 2000 },
    );
  });

  it('throw only NvrError on random boxes with plausible types', () => {
    const types = ['ftyp', 'moov', 'moof', 'mdat', 'traf', 'trun', 'tfhd', 'free'];
    const boxArb = fc
      .tuple(
        fc.constantFrom(...types),
        fc.uint8Array({ maxLength: 64 }),
        fc.integer({ min: -4, max: 4 }),
      )
      .map(([type, body, skew]) => {
        const out = new Uint8Array(8 + body.length);
        new DataView(out.buffer).setUint32(0, Math.max(0, 8 + body.length + skew));
        for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
        out.set(body, 8);
        return out;
      });
    fc.assert(
      fc.property(fc.array(boxArb, { maxLength: 8 }), (boxes) => {
        const bytes = new Uint8Array(boxes.reduce((n, b) => n + b.length, 0));
        let at = 0;
        for (const b of boxes) {
          bytes.set(b, at);
          at += b.length;
        }
        exercise(bytes);
      }),
      { numRuns: 2000 },
    );
  });

  it('throw only NvrError on mutated real files', () => {
    for (const file of files) {
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
            minLength: 1,
            maxLength: 6,
          }),
          fc.option(fc.nat()),
          (mutations, cut) => {
            const bytes = copyBytes(
              file.bytes,
              0,
              cut === null ? undefined : cut % (file.bytes.length + 1),
            );
            for (const [pos, value] of mutations)
              if (bytes.length) bytes[pos % bytes.length] = value;
            exercise(bytes);
          },
        ),
        { numRuns: 500 },
      );
    }
  });

  it('keep every whole fragment before the first damaged byte', () => {
    for (const file of files) {
      const ends = boundaries(file);
      fc.assert(
        fc.property(
          fc.integer({ min: file.init.length, max: file.bytes.length - 1 }),
          fc.uint8Array({ minLength: 1, maxLength: 16 }),
          (pos, garbage) => {
            const bytes = copyBytes(file.bytes);
            bytes.set(garbage.subarray(0, bytes.length - pos), pos);
            const scan = exercise(bytes);
            expect(scan).toBeDefined(); // the header is intact, so no throw
            const intact = Math.max(...ends.filter((e) => e <= pos));
            expect(scan!.validEnd).toBeGreaterThanOrEqual(intact);
            expect(ends).toContain(scan!.validEnd);
          },
        ),
        { numRuns: 500 },
      );
    }
  });

  it('end the scan at garbage appended after the last fragment', () => {
    for (const file of files) {
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), (tail) => {
          const bytes = new Uint8Array(file.bytes.length + tail.length);
          bytes.set(file.bytes, 0);
          bytes.set(tail, file.bytes.length);
          const scan = exercise(bytes);
          expect(scan?.validEnd).toBe(file.bytes.length);
          expect(scan?.fragments).toHaveLength(file.fragments.length);
        }),
        { numRuns: 300 },
      );
    }
  });
});
