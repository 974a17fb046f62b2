import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyBytes, isNvrError } from '../../base';
import type { RtpPacket } from '.';
import { parseRtpPacket, serializeRtpPacket, seqDiff } from '.';
import { ffmpegH264Rtp, ffmpegH265Rtp } from './fixtures';

const base: RtpPacket = {
  version: 2,
  padding: false,
  extension: false,
  marker: true,
  payloadType: 96,
  sequenceNumber: 65535,
  timestamp: 0xfffffff0,
  ssrc: 0xdeadbeef,
  csrcs: [],
  payload: Uint8Array.from([0x65, 1, 2, 3]),
};

function expectMalformed(buf: Uint8Array, offset?: number): void {
  try {
    parseRtpPacket(buf);
    expect.unreachable('parse should throw');
  } catch (e) {
    expect(isNvrError(e, 'malformed')).toBe(true);
    if (offset !== undefined)
      expect((e as { context: { offset: number } }).context.offset).toBe(offset);
    expect((e as { context: { length: number } }).context.length).toBe(buf.length);
  }
}

describe('parseRtpPacket / serializeRtpPacket', () => {
  it('parses a real ffmpeg packet', () => {
    const p = parseRtpPacket(ffmpegH264Rtp[0]!);
    expect(p).toMatchObject({
      version: 2,
      marker: false,
      payloadType: 96,
      ssrc: 0x12345678,
      csrcs: [],
    });
    expect(p.payload[0]! & 0x1f).toBe(24); // STAP-A
    expect(p.payload.length).toBe(ffmpegH264Rtp[0]!.length - 12);
  });

  it('round trips real packets byte for byte', () => {
    for (const buf of [...ffmpegH264Rtp, ...ffmpegH265Rtp]) {
      expect(serializeRtpPacket(parseRtpPacket(buf))).toEqual(buf);
    }
  });

  it('round trips CSRCs, an extension and padding', () => {
    const p: RtpPacket = {
      ...base,
      padding: true,
      extension: true,
      csrcs: [1, 0xffffffff],
      extensionData: { profile: 0xbede, data: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]) },
      paddingSizeBytes: 3,
    };
    const buf = serializeRtpPacket(p);
    expect(buf.length).toBe(12 + 8 + 4 + 8 + 4 + 3);
    expect(buf[buf.length - 1]).toBe(3);
    expect(parseRtpPacket(buf)).toEqual(p);
  });

  it('treats a padding-only packet as an empty payload', () => {
    const buf = serializeRtpPacket({ ...base, payload: new Uint8Array(0), paddingSizeBytes: 8 });
    const p = parseRtpPacket(buf);
    expect(p.padding).toBe(true);
    expect(p.payload.length).toBe(0);
  });

  it('round trips random packets (property)', () => {
    const arb = fc.record({
      marker: fc.boolean(),
      payloadType: fc.integer({ min: 0, max: 127 }),
      sequenceNumber: fc.integer({ min: 0, max: 0xffff }),
      timestamp: fc.integer({ min: 0, max: 0xffffffff }),
      ssrc: fc.integer({ min: 0, max: 0xffffffff }),
      csrcs: fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 15 }),
      ext: fc.option(
        fc.record({
          profile: fc.integer({ min: 0, max: 0xffff }),
          words: fc.integer({ min: 0, max: 4 }),
        }),
      ),
      pad: fc.integer({ min: 0, max: 255 }),
      payload: fc.uint8Array({ maxLength: 100 }),
    });
    fc.assert(
      fc.property(arb, (a) => {
        const p: RtpPacket = {
          version: 2,
          padding: a.pad > 0,
          extension: a.ext !== null,
          marker: a.marker,
          payloadType: a.payloadType,
          sequenceNumber: a.sequenceNumber,
          timestamp: a.timestamp,
          ssrc: a.ssrc,
          csrcs: a.csrcs,
          payload: a.payload,
        };
        if (a.ext)
          p.extensionData = {
            profile: a.ext.profile,
            data: new Uint8Array(a.ext.words * 4).fill(7),
          };
        if (a.pad > 0) p.paddingSizeBytes = a.pad;
        expect(parseRtpPacket(serializeRtpPacket(p))).toEqual(p);
      }),
    );
  });

  it('rejects truncated and invalid packets with offsets', () => {
    const good = serializeRtpPacket(base);
    expectMalformed(good.subarray(0, 11), 0);
    expectMalformed(new Uint8Array(0), 0);
    const v1 = copyBytes(good);
    v1[0] = 0x40;
    expectMalformed(v1, 0);
    const csrc = copyBytes(good);
    csrc[0] = 0x80 | 2; // 2 CSRCs need 8 bytes, only 4 follow
    expectMalformed(csrc, 12);
    const ext = serializeRtpPacket({
      ...base,
      extensionData: { profile: 1, data: new Uint8Array(8) },
    });
    expectMalformed(ext.subarray(0, 14), 12); // extension header cut
    const extLen = copyBytes(ext);
    extLen[15] = 9; // 9 words of extension
    expectMalformed(extLen, 12);
    const pad0 = copyBytes(good);
    pad0[0]! |= 0x20;
    pad0[pad0.length - 1] = 0; // padding count 0
    expectMalformed(pad0, pad0.length - 1);
    const padBig = copyBytes(good);
    padBig[0]! |= 0x20;
    padBig[padBig.length - 1] = 200; // more padding than payload
    expectMalformed(padBig, padBig.length - 1);
  });

  it('rejects what it cannot serialize', () => {
    expect(() => serializeRtpPacket({ ...base, csrcs: new Array(16).fill(1) })).toThrow(/CSRC/);
    expect(() =>
      serializeRtpPacket({ ...base, extensionData: { profile: 1, data: new Uint8Array(3) } }),
    ).toThrow(/multiple of 4/);
  });

  it('computes signed 16-bit sequence distances across the wrap', () => {
    expect(seqDiff(0, 65535)).toBe(1);
    expect(seqDiff(65535, 0)).toBe(-1);
    expect(seqDiff(100, 90)).toBe(10);
    expect(seqDiff(5, 65530)).toBe(11);
    expect(seqDiff(32767, 0)).toBe(32767);
    expect(seqDiff(32768, 0)).toBe(-32768);
  });
});
