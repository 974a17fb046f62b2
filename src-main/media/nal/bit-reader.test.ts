import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isNvrError } from '../../base';
import { BitReader, removeEmulationPrevention } from '.';

const u8 = (...b: number[]) => new Uint8Array(b);

/** Writes Exp-Golomb codes MSB-first (test helper, the inverse of BitReader.ue/se). */
function writeBits(values: Array<{ ue?: number; se?: number; u?: [number, number] }>): Uint8Array {
  const bits: number[] = [];
  const put = (v: number, n: number) => {
    for (let i = n - 1; i >= 0; i--) bits.push(Math.floor(v / 2 ** i) % 2);
  };
  const ue = (v: number) => {
    const len = Math.floor(Math.log2(v + 1));
    put(0, len);
    put(v + 1, len + 1);
  };
  for (const x of values) {
    if (x.ue !== undefined) ue(x.ue);
    if (x.se !== undefined) ue(x.se > 0 ? 2 * x.se - 1 : -2 * x.se);
    if (x.u) put(x.u[0], x.u[1]);
  }
  bits.push(1); // rbsp_stop_one_bit
  while (bits.length % 8) bits.push(0);
  const out = new Uint8Array(bits.length / 8);
  bits.forEach((b, i) => (out[i >> 3]! |= b << (7 - (i & 7))));
  return out;
}

describe('removeEmulationPrevention', () => {
  it('drops 03 after two zeros only', () => {
    expect(Array.from(removeEmulationPrevention(u8(1, 0, 0, 3, 1, 0, 0, 3, 0, 0, 3)))).toEqual([
      1, 0, 0, 1, 0, 0, 0, 0,
    ]);
    expect(Array.from(removeEmulationPrevention(u8(0, 3, 0, 0, 0, 3)))).toEqual([0, 3, 0, 0, 0]);
  });

  it('returns the input itself when there is nothing to remove', () => {
    const data = u8(0x67, 0, 0, 4);
    expect(removeEmulationPrevention(data)).toBe(data);
  });
});

describe('BitReader', () => {
  it('reads fixed-width fields across byte boundaries', () => {
    const r = new BitReader(u8(0b10110011, 0b01010101, 0xff, 0xff, 0xff, 0xff));
    expect(r.u(1)).toBe(1);
    expect(r.u(3)).toBe(0b011);
    expect(r.u(8)).toBe(0b00110101);
    expect(r.bitsLeft).toBe(36);
    r.skip(4);
    expect(r.u(32)).toBe(0xffffffff);
    expect(r.bitsLeft).toBe(0);
  });

  it('decodes the Exp-Golomb table of H.264 9.1', () => {
    // 1 010 011 00100 00101 00110 00111 0001000
    const r = new BitReader(u8(0b10100110, 0b01000010, 0b10011000, 0b11100010, 0b00000000));
    expect([r.ue(), r.ue(), r.ue(), r.ue(), r.ue(), r.ue(), r.ue(), r.ue()]).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7,
    ]);
  });

  it('round-trips ue/se/u values', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ ue: fc.integer({ min: 0, max: 2 ** 31 }) }),
            fc.record({ se: fc.integer({ min: -(2 ** 30), max: 2 ** 30 }) }),
            fc
              .integer({ min: 1, max: 32 })
              .chain((n) =>
                fc.record({ u: fc.tuple(fc.integer({ min: 0, max: 2 ** n - 1 }), fc.constant(n)) }),
              ),
          ),
          { maxLength: 20 },
        ),
        (values) => {
          const r = new BitReader(writeBits(values));
          for (const v of values) {
            if ('ue' in v) expect(r.ue()).toBe(v.ue);
            else if ('se' in v) expect(r.se()).toBe(v.se);
            else expect(r.u(v.u[1])).toBe(v.u[0]);
          }
          expect(r.moreRbspData()).toBe(false);
          expect(r.u1()).toBe(1); // the stop bit
        },
      ),
    );
  });

  it('throws malformed (never RangeError) past the end', () => {
    const r = new BitReader(u8(0x80), 10);
    r.skip(1);
    try {
      r.u(8);
      expect.unreachable();
    } catch (e) {
      expect(isNvrError(e, 'malformed')).toBe(true);
      expect((e as { context: Record<string, unknown> }).context.byteOffset).toBe(10);
    }
    expect(() => new BitReader(u8(0, 0, 0, 0, 0)).ue()).toThrow(/Exp-Golomb|ends/);
    expect(() => new BitReader(u8()).u1()).toThrow(/ends/);
    expect(() => new BitReader(u8(1)).skip(9)).toThrow(/ends/);
  });
});
