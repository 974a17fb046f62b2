import { describe, expect, it } from 'vitest';
import { H264Packetizer, parseRtpPacket } from '../../media/rtp';
import type { RtpSink } from './fanout';
import { withFaults } from './faults';

function recorder(): RtpSink & { sent: Uint8Array[] } {
  const sent: Uint8Array[] = [];
  return { sent, sendRtp: (p) => sent.push(p), sendRtcp: () => undefined, congested: () => false };
}

const packet = (seq: number, nal: number[]): Uint8Array =>
  Uint8Array.from([0x80, 96, seq >> 8, seq & 0xff, 0, 0, 0, 1, 0, 0, 0, 7, ...nal]);

describe('withFaults', () => {
  it('drops exactly the given share of UDP packets, evenly spaced', () => {
    const sink = recorder();
    const f = withFaults(sink, () => ({ udpDropRtpPercent: 2 }), 'h264', 'udp');
    for (let i = 0; i < 1000; i++) f.sendRtp(packet(i, [0x41, 0x9a]));
    expect(sink.sent).toHaveLength(980);
    const seqs = sink.sent.map((p) => parseRtpPacket(p).sequenceNumber);
    const missing = [...Array(1000).keys()].filter((i) => !seqs.includes(i));
    expect(missing.slice(0, 3)).toEqual([49, 99, 149]);
  });

  it('leaves TCP readers alone', () => {
    const sink = recorder();
    const f = withFaults(sink, () => ({ udpDropRtpPercent: 50 }), 'h264', 'tcp');
    for (let i = 0; i < 100; i++) f.sendRtp(packet(i, [0x41, 0x9a]));
    expect(sink.sent).toHaveLength(100);
  });

  it('drops every packet of keyframes and parameter sets, FU-A fragments included', () => {
    const sink = recorder();
    const f = withFaults(sink, () => ({ dropKeyframes: true }), 'h264', 'tcp');
    const p = new H264Packetizer({ payloadType: 96, ssrc: 7, mtu: 100, aggregate: false });
    const idr = Uint8Array.from([0x65, ...new Array<number>(500).fill(0x11)]);
    const sps = Uint8Array.from([0x67, 0x42, 0x00, 0x1e]);
    const slice = Uint8Array.from([0x41, ...new Array<number>(300).fill(0x22)]);
    const key = p.packetize({ rtpTimestamp: 0, nalus: [sps, idr] });
    const delta = p.packetize({ rtpTimestamp: 3000, nalus: [slice] });
    expect(key.length).toBeGreaterThan(2);
    for (const x of [...key, ...delta]) f.sendRtp(x);
    expect(sink.sent).toEqual(delta);
  });

  it('reads the faults at every packet (they can change live)', () => {
    const sink = recorder();
    let pct = 0;
    const f = withFaults(sink, () => ({ udpDropRtpPercent: pct }), 'h264', 'udp');
    for (let i = 0; i < 100; i++) f.sendRtp(packet(i, [0x41]));
    pct = 100;
    for (let i = 0; i < 100; i++) f.sendRtp(packet(i, [0x41]));
    expect(sink.sent).toHaveLength(100);
  });
});
