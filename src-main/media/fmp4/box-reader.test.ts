// Box framing: 32-bit sizes, 64-bit largesize, size 0, and broken headers.
import { describe, expect, it } from 'vitest';
import { readBoxHeader, readBoxes } from './index';

function box(type: string, body: number[]): number[] {
  const size = 8 + body.length;
  return [
    size >>> 24,
    (size >> 16) & 0xff,
    (size >> 8) & 0xff,
    size & 0xff,
    ...[...type].map((c) => c.charCodeAt(0)),
    ...body,
  ];
}

describe('readBoxes', () => {
  it('walks 32-bit, 64-bit largesize and size-0 boxes', () => {
    const large = [
      0,
      0,
      0,
      1,
      ...[...'mdat'].map((c) => c.charCodeAt(0)),
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      20,
      1,
      2,
      3,
      4,
    ];
    const toEnd = [0, 0, 0, 0, ...[...'free'].map((c) => c.charCodeAt(0)), 9, 9, 9];
    const bytes = new Uint8Array([...box('ftyp', [1, 2, 3, 4]), ...large, ...toEnd]);
    expect([...readBoxes(bytes)]).toEqual([
      { type: 'ftyp', start: 0, size: 12, headerSize: 8 },
      { type: 'mdat', start: 12, size: 20, headerSize: 16 },
      { type: 'free', start: 32, size: 11, headerSize: 8 },
    ]);
  });

  it('iterates a sub-range only', () => {
    const bytes = new Uint8Array(box('moov', [...box('mvhd', [0]), ...box('trak', [])]));
    expect([...readBoxes(bytes, 8, bytes.length)].map((b) => [b.type, b.start])).toEqual([
      ['mvhd', 8],
      ['trak', 17],
    ]);
  });

  it('throws malformed on cut-off headers, overruns and impossible sizes', () => {
    const whole = box('free', [1, 2, 3, 4]);
    const cases = [
      new Uint8Array([...whole, 0, 0, 0]), // cut-off header
      new Uint8Array(whole.slice(0, 10)), // box runs past the end
      new Uint8Array([0, 0, 0, 5, 0x66, 0x72, 0x65, 0x65]), // size < 8
      new Uint8Array([0, 0, 0, 1, 0x66, 0x72, 0x65, 0x65, 0, 0, 0, 0, 0, 0, 0, 8]), // largesize < 16
    ];
    for (const bytes of cases) {
      expect(() => [...readBoxes(bytes)]).toThrow(expect.objectContaining({ kind: 'malformed' }));
    }
  });

  it('reports a header that does not fit as null from readBoxHeader', () => {
    expect(readBoxHeader(new Uint8Array([0, 0, 0, 16, 0x6d]), 0)).toBeNull();
    expect(readBoxHeader(new Uint8Array([0, 0, 0, 1, 0x6d, 0x64, 0x61, 0x74, 0]), 0)).toBeNull();
  });
});
