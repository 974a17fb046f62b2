import { RtpHeader, RtpPacket } from 'werift';
import type { RTCRtpSender } from 'werift';
import { describe, expect, it } from 'vitest';
import { FastRtpSender, ntpTime64 } from './werift-rtp-sender';

const EXTENSIONS = [
  { id: 1, uri: 'urn:ietf:params:rtp-hdrext:sdes:mid' },
  { id: 3, uri: 'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time' },
];

/** A connected werift sender as far as FastRtpSender looks into it. */
function fakeSender(direct: boolean) {
  const sent: { data: Buffer; port: number; address: string }[] = [];
  const viaWerift: RtpHeader[] = [];
  const pair = {
    remoteAddr: ['127.0.0.1', 5004] as const,
    packetsSent: 0,
    bytesSent: 0,
    protocol: {
      transport: {
        closed: false,
        socket: {
          send: (data: Buffer, port: number, address: string) => sent.push({ data, port, address }),
        },
      },
    },
  };
  const transport = {
    state: 'connected',
    bytesSent: 0,
    packetsSent: 0,
    srtp: {
      encrypt: (payload: Buffer, h: RtpHeader) =>
        Buffer.concat([h.serialize(h.serializeSize), payload, Buffer.alloc(16)]),
    },
    iceTransport: direct
      ? { connection: { canSendApplicationData: () => true, nominated: pair } }
      : undefined,
    sendRtp: (_payload: Buffer, h: RtpHeader) => {
      viaWerift.push(h);
      return Promise.resolve(0);
    },
  };
  let rtcpStarted = 0;
  const sender = {
    ssrc: 0x1234,
    codec: { payloadType: 102 },
    dtlsTransport: transport,
    ntpTimestamp: 0n,
    rtpTimestamp: 0,
    octetCount: 0,
    packetCount: 0,
    rtpCache: [] as RtpPacket[],
    rtcpRunning: false,
    runRtcp() {
      rtcpStarted++;
      this.rtcpRunning = true;
      return Promise.resolve();
    },
  };
  return { sender, transport, pair, sent, viaWerift, rtcpStarted: () => rtcpStarted };
}

const packet = (sequenceNumber: number, timestamp: number, marker = false) => ({
  version: 2,
  padding: false,
  extension: false,
  marker,
  payloadType: 96,
  sequenceNumber,
  timestamp,
  ssrc: 1,
  csrcs: [],
  payload: Buffer.alloc(100, sequenceNumber),
});

describe('FastRtpSender', () => {
  it('encrypts and sends on the nominated pair, keeping the sender counters and NACK history', () => {
    const f = fakeSender(true);
    const fast = new FastRtpSender({ RtpHeader, RtpPacket }, f.sender as unknown as RTCRtpSender, {
      headerExtensions: EXTENSIONS,
      mid: '0',
      fixed: [{ id: 2, payload: Buffer.from([0, 0, 0]) }],
    });
    fast.send(packet(10, 9000));
    fast.send(packet(11, 9000, true));
    fast.send(packet(12, 12600));
    expect(f.sent).toHaveLength(3);
    expect(f.sent[0]).toMatchObject({ port: 5004, address: '127.0.0.1' });
    const h = RtpHeader.deSerialize(f.sent[1]!.data);
    expect(h).toMatchObject({ ssrc: 0x1234, payloadType: 102, sequenceNumber: 11, marker: true });
    expect(h.timestamp).toBe(9000);
    expect(h.extensions.map((e) => e.id)).toEqual([1, 2, 3]);
    expect(h.extensions[0]!.payload.toString()).toBe('0');
    expect(f.sender).toMatchObject({ packetCount: 3, octetCount: 300, rtpTimestamp: 12600 });
    expect(f.sender.ntpTimestamp >> 32n).toBeGreaterThan(3_900_000_000n);
    expect(f.sender.rtpCache[11]!.header.sequenceNumber).toBe(11);
    expect(f.transport.packetsSent).toBe(3);
    expect(f.pair.packetsSent).toBe(3);
    expect(f.rtcpStarted()).toBe(1);
    expect(f.viaWerift).toHaveLength(0);
  });

  it("falls back to werift's transport when its internals are not there", () => {
    const f = fakeSender(false);
    const fast = new FastRtpSender({ RtpHeader, RtpPacket }, f.sender as unknown as RTCRtpSender, {
      headerExtensions: EXTENSIONS,
    });
    fast.send(packet(1, 0));
    expect(f.sent).toHaveLength(0);
    expect(f.viaWerift).toHaveLength(1);
    expect(f.viaWerift[0]!.extensions.map((e) => e.id)).toEqual([3]); // no mid given
  });

  it('converts wall-clock ms to 64-bit NTP time', () => {
    const ntp = ntpTime64(Date.UTC(2020, 0, 1) + 500);
    expect(Number(ntp >> 32n)).toBe(Date.UTC(2020, 0, 1) / 1000 + 2_208_988_800);
    expect(Number(ntp & 0xffffffffn)).toBe(2 ** 31);
  });
});
