import { describe, expect, it } from 'vitest';
import { copyBytes, isNvrError } from '../../base';
import type { RtcpReportBlock } from '.';
import { buildReceiverReport, buildSenderReport, msToNtp, parseRtcp } from '.';
import { ffmpegH264Rtcp } from './fixtures';

const block: RtcpReportBlock = {
  ssrc: 0x12345678,
  fractionLost: 25,
  cumulativeLost: -3,
  highestSeq: 0x0001fffe,
  jitter: 1234,
  lastSr: 0xabcdef01,
  delaySinceLastSr: 65536,
};

function expectMalformed(buf: Uint8Array): void {
  try {
    parseRtcp(buf);
    expect.unreachable('parse should throw');
  } catch (e) {
    expect(isNvrError(e, 'malformed')).toBe(true);
  }
}

describe('parseRtcp', () => {
  it('parses the sender report ffmpeg sent', () => {
    const [sr, ...rest] = parseRtcp(ffmpegH264Rtcp);
    expect(rest).toEqual([]);
    expect(sr).toMatchObject({ type: 'sr', ssrc: 0x12345678, reports: [] });
    if (sr?.type !== 'sr') throw new Error('not an SR');
    expect(sr.packetCount).toBeGreaterThanOrEqual(0);
    // ffmpeg stamps the SR with its wall clock: a date after 2020.
    expect(sr.ntpMs).toBeGreaterThan(Date.UTC(2020, 0, 1));
  });

  it('round trips a receiver report with SDES CNAME as a compound packet', () => {
    const buf = buildReceiverReport({
      ssrc: 99,
      sources: [block, { ...block, ssrc: 7, cumulativeLost: 100 }],
      cname: 'nvr@host',
    });
    expect(buf.length % 4).toBe(0);
    const packets = parseRtcp(buf);
    expect(packets).toEqual([
      { type: 'rr', ssrc: 99, reports: [block, { ...block, ssrc: 7, cumulativeLost: 100 }] },
      { type: 'sdes', chunks: [{ ssrc: 99, items: [{ itemType: 1, text: 'nvr@host' }] }] },
    ]);
  });

  it('splits more than 31 sources into several RRs', () => {
    const sources = Array.from({ length: 40 }, (_, i) => ({ ...block, ssrc: i }));
    const packets = parseRtcp(buildReceiverReport({ ssrc: 1, sources }));
    expect(packets.map((p) => (p.type === 'rr' ? p.reports.length : -1))).toEqual([31, 9]);
  });

  it('builds an empty RR', () => {
    expect(parseRtcp(buildReceiverReport({ ssrc: 5, sources: [] }))).toEqual([
      { type: 'rr', ssrc: 5, reports: [] },
    ]);
  });

  it('round trips a sender report, with NTP time and its middle 32 bits', () => {
    const ntpMs = Date.UTC(2030, 5, 1, 12, 0, 0) + 250.5;
    const buf = buildSenderReport({
      ssrc: 42,
      ntpMs,
      rtpTimestamp: 0xfffffffe,
      packetCount: 10,
      octetCount: 12345,
      cname: 'cam',
    });
    const [sr, sdes] = parseRtcp(buf);
    if (sr?.type !== 'sr') throw new Error('not an SR');
    expect(sr.ntpMs).toBeCloseTo(ntpMs, 3);
    expect(sr).toMatchObject({
      ssrc: 42,
      rtpTimestamp: 0xfffffffe,
      packetCount: 10,
      octetCount: 12345,
    });
    const [s, f] = msToNtp(ntpMs);
    expect(sr.ntpMiddle32).toBe((((s & 0xffff) << 16) | (f >>> 16)) >>> 0);
    expect(sdes).toEqual({
      type: 'sdes',
      chunks: [{ ssrc: 42, items: [{ itemType: 1, text: 'cam' }] }],
    });
  });

  it('parses BYE with a reason and keeps unknown types raw', () => {
    const bye = Uint8Array.from([
      0x82, 203, 0, 4, 0, 0, 0, 1, 0, 0, 0, 2, 4, 0x64, 0x6f, 0x6e, 0x65, 0, 0, 0,
    ]);
    const app = Uint8Array.from([0x80, 204, 0, 2, 0, 0, 0, 9, 0x61, 0x62, 0x63, 0x64]);
    const packets = parseRtcp(Uint8Array.from([...bye, ...app]));
    expect(packets[0]).toEqual({ type: 'bye', ssrcs: [1, 2], reason: 'done' });
    expect(packets[1]).toEqual({ type: 'other', packetType: 204, raw: app });
  });

  it('honours padding in the last packet', () => {
    const rr = buildReceiverReport({ ssrc: 3, sources: [] });
    const padded = Uint8Array.from([...rr, 0, 0, 0, 4]);
    padded[0]! |= 0x20;
    padded[3] = padded.length / 4 - 1;
    expect(parseRtcp(padded)).toEqual([{ type: 'rr', ssrc: 3, reports: [] }]);
  });

  it('rejects truncated and invalid packets', () => {
    const rr = buildReceiverReport({ ssrc: 99, sources: [block] });
    expectMalformed(rr.subarray(0, 3));
    expectMalformed(rr.subarray(0, rr.length - 4)); // length field says more
    const badVersion = copyBytes(rr);
    badVersion[0] = 0x41;
    expectMalformed(badVersion);
    const tooManyBlocks = copyBytes(rr);
    tooManyBlocks[0] = 0x82; // 2 blocks announced, 1 present
    expectMalformed(tooManyBlocks);
    const sdesNoEnd = Uint8Array.from([0x81, 202, 0, 2, 0, 0, 0, 1, 1, 2, 0x61, 0x62]);
    expectMalformed(sdesNoEnd);
    const badPad = copyBytes(rr);
    badPad[0]! |= 0x20;
    badPad[badPad.length - 1] = 0;
    expectMalformed(badPad);
  });
});
