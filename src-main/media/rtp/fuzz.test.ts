// Property tests of the RTP parsers and depacketizers: random and corrupted packets, as plain
// Uint8Arrays and as Node Buffers (what UDP delivers), never throw anything but NvrError, never
// write into their input, and every access unit they emit is well-formed or counted dropped.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyBytes, isNvrError } from '../../base';
import type { RtpAccessUnit, RtpPacket } from '.';
import {
  H264Depacketizer,
  H264Packetizer,
  H265Depacketizer,
  H265Packetizer,
  parseRtcp,
  parseRtpPacket,
} from '.';
import { ffmpegH264Rtcp, ffmpegH264Rtp, ffmpegH265Rtp } from './fixtures';
import { arbStream, hex } from './test-support';

const onlyNvrErrors = (f: () => unknown): void => {
  try {
    f();
  } catch (e) {
    if (!isNvrError(e, 'malformed')) throw e;
  }
};

/** A mutation of a real packet: bit flips, byte overwrites, truncation or extra bytes. */
const mutated = (sources: Uint8Array[]) =>
  fc
    .record({
      src: fc.integer({ min: 0, max: sources.length - 1 }),
      flips: fc.array(fc.record({ at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }), {
        maxLength: 4,
      }),
      writes: fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), {
        maxLength: 3,
      }),
      cut: fc.option(fc.nat()),
      extra: fc.uint8Array({ maxLength: 8 }),
    })
    .map(({ src, flips, writes, cut, extra }) => {
      let b = Uint8Array.from([...sources[src]!, ...extra]);
      for (const f of flips) b[f.at % b.length]! ^= 1 << f.bit;
      for (const w of writes) b[w.at % b.length] = w.value;
      if (cut !== null) b = b.subarray(0, cut % (b.length + 1));
      return b;
    });

/** A NAL header a decoder accepts: forbidden bit clear, a NAL type, H.265 temporal id non-zero. */
const wellFormed = (codec: 'h264' | 'h265', n: Uint8Array): boolean =>
  codec === 'h264'
    ? n.length >= 1 && (n[0]! & 0x80) === 0 && (n[0]! & 0x1f) >= 1 && (n[0]! & 0x1f) <= 23
    : n.length >= 2 && (n[0]! & 0x80) === 0 && n[0]! >> 1 <= 47 && (n[1]! & 7) !== 0;

/** As UDP delivers it: a Buffer view into a shared pool (Buffer.from copies into the pool). */
const asBuffer = (b: Uint8Array): Uint8Array => Buffer.from(b);

/** Every emitted unit must be plausible: well-formed NAL units, and a picture in it. */
function checkUnits(units: RtpAccessUnit[], codec: 'h264' | 'h265'): void {
  for (const u of units) {
    expect(u.nalus.length).toBeGreaterThan(0);
    for (const n of u.nalus) expect(wellFormed(codec, n), hex(n.subarray(0, 4))).toBe(true);
    const types = u.nalus.map((n) => (codec === 'h264' ? n[0]! & 0x1f : (n[0]! >> 1) & 0x3f));
    expect(types.some((t) => (codec === 'h264' ? t >= 1 && t <= 5 : t <= 31))).toBe(true);
    expect(Number.isSafeInteger(u.pts90k)).toBe(true);
  }
}

describe('fuzzing the parsers', () => {
  it('parseRtpPacket throws nothing but NvrError on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => onlyNvrErrors(() => parseRtpPacket(b))),
      { numRuns: 2000 },
    );
  });

  it('parseRtcp throws nothing but NvrError on random bytes and mutated reports', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 96 }), (b) => onlyNvrErrors(() => parseRtcp(b))),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(mutated([ffmpegH264Rtcp]), (b) => onlyNvrErrors(() => parseRtcp(b))),
      { numRuns: 2000 },
    );
  });
});

describe.each([
  ['h264', ffmpegH264Rtp, () => new H264Depacketizer()],
  ['h265', ffmpegH265Rtp, () => new H265Depacketizer()],
] as const)('fuzzing the %s depacketizer', (codec, real, make) => {
  it('survives streams of mutated real packets', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.oneof(
              mutated(real),
              fc.integer({ min: 0, max: real.length - 1 }).map((i) => real[i]!),
            ),
            fc.boolean(),
          ),
          { maxLength: 60 },
        ),
        (items) => {
          const d = make();
          const units: RtpAccessUnit[] = [];
          const bufs = items.map(([b, buffer]) => (buffer ? asBuffer(b) : copyBytes(b)));
          const before = bufs.map((b) => hex(b));
          for (const b of bufs) {
            let p: RtpPacket;
            try {
              p = parseRtpPacket(b);
            } catch (e) {
              expect(isNvrError(e, 'malformed')).toBe(true);
              continue;
            }
            units.push(...d.push(p));
          }
          units.push(...d.flush());
          checkUnits(units, codec);
          expect(d.stats.framesEmitted).toBe(units.length);
          // The depacketizer reads packets; it never writes into them.
          expect(bufs.map((b) => hex(b))).toEqual(before);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('Buffer-backed packets with loss, duplicates and corrupt headers: every NAL emitted was sent, headers as sent (H.265 layer id, temporal id), the rest counted dropped', () => {
    const make2 = (mtu: number) =>
      codec === 'h264'
        ? { p: new H264Packetizer({ payloadType: 96, ssrc: 5, mtu }), d: new H264Depacketizer() }
        : { p: new H265Packetizer({ payloadType: 96, ssrc: 5, mtu }), d: new H265Depacketizer() };
    fc.assert(
      fc.property(
        arbStream(codec, { maxSliceBytes: 150, maxUnits: 8 }),
        fc.integer({ min: 0, max: 63 }),
        fc.integer({ min: 1, max: 7 }),
        fc.array(
          fc.record({
            at: fc.nat(),
            what: fc.constantFrom('drop', 'duplicate', 'forbidden', 'tid0', 'swap'),
          }),
          { maxLength: 4 },
        ),
        fc.integer({ min: 4, max: 24 }), // small enough that most NAL units are fragmented
        (aus, layerId, tid, faults, mtu) => {
          // H.265: every NAL unit of the stream in layer `layerId` with temporal id `tid`.
          const stream = aus.map((au) => ({
            ...au,
            nalus: au.nalus.map((n) => {
              if (codec === 'h264') return n;
              const m = copyBytes(n);
              m[0] = (m[0]! & 0x7e) | (layerId >> 5);
              m[1] = ((layerId & 0x1f) << 3) | tid;
              return m;
            }),
          }));
          const { p, d } = make2(mtu);
          let wire = stream.flatMap((au) => p.packetize(au)).map(asBuffer);
          for (const f of faults) {
            const i = f.at % wire.length;
            const pkt = wire[i]!;
            if (f.what === 'drop') wire = wire.filter((_, k) => k !== i);
            else if (f.what === 'duplicate') wire.splice(i, 0, asBuffer(pkt));
            else if (f.what === 'swap' && i + 1 < wire.length)
              [wire[i], wire[i + 1]] = [wire[i + 1]!, pkt];
            else if (f.what === 'forbidden') pkt[12] = pkt[12]! | 0x80;
            else if (f.what === 'tid0' && codec === 'h265') pkt[13] = pkt[13]! & 0xf8;
          }
          const sent = new Set(stream.flatMap((au) => au.nalus.map(hex)));
          const before = wire.map((b) => hex(b));
          const units = [...wire.flatMap((b) => d.push(parseRtpPacket(b))), ...d.flush()];
          checkUnits(units, codec);
          for (const u of units) for (const n of u.nalus) expect(sent.has(hex(n))).toBe(true);
          const s = d.stats;
          expect(s.framesEmitted).toBe(units.length);
          if (faults.length === 0) expect(units.length).toBe(stream.length);
          else
            expect(s.framesEmitted + s.framesDropped).toBeLessThanOrEqual(
              stream.length + faults.length,
            );
          expect(wire.map((b) => hex(b))).toEqual(before);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('survives random packets with payloads biased to fragment and aggregate headers', () => {
    const header =
      codec === 'h264'
        ? fc.constantFrom(0x1c, 0x7c, 0x18, 0x65, 0x67, 0x00, 0x19, 0x1f)
        : fc.constantFrom(0x62, 0x60, 0x26, 0x40, 0x64, 0x00);
    const packet = fc.record({
      marker: fc.boolean(),
      sequenceNumber: fc.integer({ min: 0, max: 6 }),
      timestamp: fc.integer({ min: 0, max: 3 }),
      ssrc: fc.integer({ min: 0, max: 1 }),
      payload: fc
        .tuple(header, fc.uint8Array({ maxLength: 40 }))
        .map(([h, rest]) => Uint8Array.from([h, ...rest])),
    });
    fc.assert(
      fc.property(fc.array(packet, { maxLength: 80 }), (ps) => {
        const d = make();
        let seq = 0;
        const units = ps.flatMap((x) => {
          seq = (seq + x.sequenceNumber) & 0xffff;
          return d.push({
            version: 2,
            padding: false,
            extension: false,
            payloadType: 96,
            csrcs: [],
            ...x,
            sequenceNumber: seq,
          });
        });
        checkUnits(units, codec);
        const s = d.stats;
        expect(s.framesEmitted).toBe(units.length);
      }),
      { numRuns: 1000 },
    );
  });
});
