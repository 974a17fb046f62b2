// Test support for the rtp tests: fast-check generators of realistic H.264 / H.265 streams
// (valid NAL headers, emulation-prevented bodies, first-slice flags) and small helpers. Tests only.
import fc from 'fast-check';
import type { RtpPacket } from './rtp-packet';
import { parseRtpPacket } from './rtp-packet';

export type Codec = 'h264' | 'h265';

export interface TestUnit {
  nalus: Uint8Array[];
  rtpTimestamp: number;
  /** Expected widened time (first timestamp plus the sum of the steps). */
  pts90k: number;
  isKeyframe: boolean;
}

/** Inserts emulation prevention bytes so the body never contains 00 00 0x (x <= 3). */
export function escape(body: number[]): number[] {
  const out: number[] = [];
  let zeros = 0;
  for (const b of body) {
    if (zeros >= 2 && b <= 3) {
      out.push(3);
      zeros = 0;
    }
    out.push(b);
    zeros = b === 0 ? zeros + 1 : 0;
  }
  if (out.length === 0 || out[out.length - 1] === 0) out.push(0x80); // rbsp_stop_one_bit
  return out;
}

const TYPES = {
  h264: { aud: 9, vps: -1, sps: 7, pps: 8, sei: 6, idr: 5, slice: 1 },
  h265: { aud: 35, vps: 32, sps: 33, pps: 34, sei: 39, idr: 19, slice: 1 },
} as const;

export function nal(codec: Codec, type: number, body: number[]): Uint8Array {
  const header = codec === 'h264' ? [0x60 | type] : [type << 1, 1];
  return Uint8Array.from([...header, ...escape(body)]);
}

const bytes = (min: number, max: number) =>
  fc.array(fc.integer({ min: 0, max: 255 }), { minLength: min, maxLength: max });

/** A slice: the first bit of its body says whether it starts the picture. */
function slice(codec: Codec, type: number, first: boolean, body: number[]): Uint8Array {
  const b = [first ? body[0]! | 0x80 : body[0]! & 0x7f, ...body.slice(1)];
  return nal(codec, type, b);
}

interface UnitShape {
  key: boolean;
  aud: boolean;
  sei: number[] | null;
  slices: number[][];
  step: number;
}

const unitShape = (maxSliceBytes: number) =>
  fc.record({
    key: fc.boolean(),
    aud: fc.boolean(),
    sei: fc.option(bytes(1, 30), { nil: null }),
    slices: fc.array(bytes(1, maxSliceBytes), { minLength: 1, maxLength: 3 }),
    step: fc.integer({ min: 1, max: 9000 }),
  });

/** A stream of access units: the first is a keyframe with parameter sets, like a camera's. */
export function arbStream(codec: Codec, opts: { maxUnits?: number; maxSliceBytes?: number } = {}) {
  const t = TYPES[codec];
  return fc
    .record({
      start: fc.oneof(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0xffff0000, max: 0xffffffff }),
      ),
      vps: bytes(2, 20),
      sps: bytes(2, 30),
      pps: bytes(1, 10),
      shapes: fc.array(unitShape(opts.maxSliceBytes ?? 3000), {
        minLength: 1,
        maxLength: opts.maxUnits ?? 12,
      }),
    })
    .map(({ start, vps, sps, pps, shapes }) => {
      const params = [
        ...(codec === 'h265' ? [nal(codec, t.vps, vps)] : []),
        nal(codec, t.sps, sps),
        nal(codec, t.pps, pps),
      ];
      let pts = start;
      return shapes.map((s: UnitShape, i): TestUnit => {
        if (i > 0) pts += s.step;
        const key = i === 0 || s.key;
        const nalus: Uint8Array[] = [];
        if (s.aud) nalus.push(nal(codec, t.aud, [0xf0]));
        if (key) nalus.push(...params);
        if (s.sei) nalus.push(nal(codec, t.sei, s.sei));
        s.slices.forEach((b, k) => nalus.push(slice(codec, key ? t.idr : t.slice, k === 0, b)));
        return { nalus, rtpTimestamp: pts % 0x1_0000_0000, pts90k: pts, isKeyframe: key };
      });
    });
}

export const hex = (a: Uint8Array): string => Buffer.from(a).toString('hex');

/** Parses serialized packets (what a socket would deliver). */
export const parseAll = (packets: Uint8Array[]): RtpPacket[] => packets.map(parseRtpPacket);

/** NAL units of a unit as hex strings, for readable diffs. */
export const nalHex = (nalus: Uint8Array[]): string[] => nalus.map(hex);
