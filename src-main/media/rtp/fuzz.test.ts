import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isNvrError } from '../../base';
import type { RtpAccessUnit, RtpPacket } from '.';
import { H264Depacketizer, H265Depacketizer, parseRtcp, parseRtpPacket } from '.';
import { ffmpegH264Rtcp, ffmpegH264Rtp, ffmpegH265Rtp } from './fixtures';

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

/** Every emitted unit must be plausible: NAL units with headers, and a picture in it. */
function checkUnits(units: RtpAccessUnit[], codec: 'h264' | 'h265'): void {
  for (const u of units) {
    expect(u.nalus.length).toBeGreaterThan(0);
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
          fc.oneof(
            mutated(real),
            fc.integer({ min: 0, max: real.length - 1 }).map((i) => real[i]!),
          ),
          { maxLength: 60 },
        ),
        (bufs) => {
          const d = make();
          const units: RtpAccessUnit[] = [];
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
        },
      ),
      { numRuns: 500 },
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
