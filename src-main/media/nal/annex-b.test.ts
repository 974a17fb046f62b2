import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isNvrError } from '../../base';
import { AnnexBSplitter, annexB, avccLengthPrefixed, parseLengthPrefixed, splitAnnexB } from '.';

const u8 = (...b: number[]) => new Uint8Array(b);
const arr = (list: Uint8Array[]) => list.map((x) => Array.from(x));

/** A NAL unit as encoders emit them: no 00 00 0x (x ≤ 3) inside, never ending in 00. */
const nalArb = fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => {
  const out: number[] = [];
  let zeros = 0;
  for (const x of b) {
    if (zeros >= 2 && x <= 3) {
      out.push(3);
      zeros = 0;
    }
    out.push(x);
    zeros = x === 0 ? zeros + 1 : 0;
  }
  if (out[out.length - 1] === 0) out.push(0x80);
  return Uint8Array.from(out);
});

/** Rebuilds the stream with 3-byte start codes. */
function toThreeByteStartCodes(nalus: Uint8Array[]): Uint8Array {
  const out: number[] = [];
  for (const n of nalus) out.push(0, 0, 1, ...n);
  return Uint8Array.from(out);
}

describe('splitAnnexB', () => {
  it('splits 3- and 4-byte start codes and trims trailing zeros', () => {
    const data = u8(0, 0, 0, 1, 0x67, 1, 2, 0, 0, 1, 0x68, 3, 0, 0, 0, 0, 1, 0x65, 4, 5, 0, 0);
    expect(arr(splitAnnexB(data))).toEqual([
      [0x67, 1, 2],
      [0x68, 3],
      [0x65, 4, 5],
    ]);
  });

  it('ignores bytes before the first start code and empty units', () => {
    expect(arr(splitAnnexB(u8(9, 9, 0, 0, 1, 0, 0, 1, 0x41, 7)))).toEqual([[0x41, 7]]);
    expect(splitAnnexB(u8())).toEqual([]);
    expect(splitAnnexB(u8(1, 2, 3))).toEqual([]);
  });

  it('round-trips with annexB()', () => {
    fc.assert(
      fc.property(fc.array(nalArb, { maxLength: 8 }), (nalus) => {
        expect(arr(splitAnnexB(annexB(nalus)))).toEqual(arr(nalus));
      }),
    );
  });
});

describe('AnnexBSplitter', () => {
  it('gives the same units as splitAnnexB for any chunking', () => {
    fc.assert(
      fc.property(
        fc.array(nalArb, { maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 20 }),
        fc.boolean(),
        (nalus, cuts, threeByte) => {
          const data = threeByte ? toThreeByteStartCodes(nalus) : annexB(nalus);
          const splitter = new AnnexBSplitter();
          const got: Uint8Array[] = [];
          let off = 0;
          for (let i = 0; off < data.length; i++) {
            const n = cuts[i % cuts.length]!;
            got.push(...splitter.push(data.subarray(off, off + n)));
            off += n;
          }
          got.push(...splitter.flush());
          expect(arr(got)).toEqual(arr(nalus));
        },
      ),
    );
  });

  it('handles a start code split across chunks and streams with 3-byte codes', () => {
    const s = new AnnexBSplitter();
    expect(s.push(u8(7, 0, 0))).toEqual([]);
    expect(s.push(u8(1, 0x67, 0xaa, 0))).toEqual([]);
    expect(arr(s.push(u8(0, 1, 0x68)))).toEqual([[0x67, 0xaa]]);
    expect(arr(s.push(u8(0xbb, 0, 0, 0)))).toEqual([]);
    expect(arr(s.push(u8(1, 0x65)))).toEqual([[0x68, 0xbb]]);
    expect(arr(s.flush())).toEqual([[0x65]]);
    expect(s.flush()).toEqual([]);
  });

  it('returns copies that survive later pushes', () => {
    const s = new AnnexBSplitter();
    const chunk = u8(0, 0, 1, 0x67, 1, 0, 0, 1, 0x68);
    const [first] = s.push(chunk);
    chunk.fill(0xff);
    expect(Array.from(first!)).toEqual([0x67, 1]);
  });
});

describe('length-prefixed framing', () => {
  it('round-trips with avccLengthPrefixed()', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 6 }), (nalus) => {
        expect(arr(parseLengthPrefixed(avccLengthPrefixed(nalus)))).toEqual(arr(nalus));
      }),
    );
  });

  it('reads 1- and 2-byte lengths', () => {
    expect(arr(parseLengthPrefixed(u8(2, 0xa, 0xb, 1, 0xc), 1))).toEqual([[0xa, 0xb], [0xc]]);
    expect(arr(parseLengthPrefixed(u8(0, 1, 0xd), 2))).toEqual([[0xd]]);
  });

  it('throws malformed with the byte offset on truncation', () => {
    const data = avccLengthPrefixed([u8(1, 2, 3), u8(4, 5)]);
    for (let len = 1; len < data.length; len++) {
      if (len === 7) continue; // a whole first unit and nothing else is valid
      let err: unknown;
      try {
        parseLengthPrefixed(data.subarray(0, len));
      } catch (e) {
        err = e;
      }
      expect(isNvrError(err, 'malformed'), `len ${len}`).toBe(true);
    }
    expect(() => parseLengthPrefixed(data, 5)).toThrow(/length size/);
  });
});

describe('AnnexBSplitter with large units', () => {
  it('splits a 1 MB unit fed in 1 KB chunks in linear time', () => {
    const big = new Uint8Array(1 << 20).fill(0x5a);
    big[0] = 0x65;
    const stream = annexB([Uint8Array.of(0x67, 1), big, Uint8Array.of(0x41, 2)]);
    const s = new AnnexBSplitter();
    const got: Uint8Array[] = [];
    const t0 = performance.now();
    for (let off = 0; off < stream.length; off += 1024)
      got.push(...s.push(stream.subarray(off, off + 1024)));
    got.push(...s.flush());
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(got.map((n) => n.length)).toEqual([2, 1 << 20, 2]);
    expect(got[1]!.every((b, i) => b === (i === 0 ? 0x65 : 0x5a))).toBe(true);
  });
});
