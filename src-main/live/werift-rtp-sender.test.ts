import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { RtpHeader, SrtpSession } from 'werift';
import type { RTCRtpSender, RtpPacket } from 'werift';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSrtpSender } from '../../native';
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
    const fast = new FastRtpSender({ RtpHeader }, f.sender as unknown as RTCRtpSender, {
      headerExtensions: EXTENSIONS,
      mid: '0',
      fixed: [{ id: 2, payload: Buffer.from([0, 0, 0]) }],
    });
    fast.send([packet(10, 9000), packet(11, 9000, true)]);
    fast.send([packet(12, 12600)]);
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
    const fast = new FastRtpSender({ RtpHeader }, f.sender as unknown as RTCRtpSender, {
      headerExtensions: EXTENSIONS,
    });
    fast.send([packet(1, 0)]);
    expect(f.sent).toHaveLength(0);
    expect(f.viaWerift).toHaveLength(1);
    expect(f.viaWerift[0]!.extensions.map((e) => e.id)).toEqual([3]); // no mid given
  });

  describe('with the native SRTP sender', () => {
    const native = loadSrtpSender().sender;
    const sockets: Socket[] = [];
    afterEach(() => {
      for (const s of sockets.splice(0)) s.close();
    });

    /** A sender whose pair is a real UDP socket and whose SRTP is werift's own AES-GCM session. */
    async function realPath(refuse = false) {
      const key = Buffer.alloc(16, 7);
      const salt = Buffer.alloc(12, 9);
      const profile = 0x0007; // SRTP_AEAD_AES_128_GCM
      const keys = {
        localMasterKey: key,
        localMasterSalt: salt,
        remoteMasterKey: key,
        remoteMasterSalt: salt,
      };
      const srtp = new SrtpSession({ keys, profile });
      const reference = new SrtpSession({ keys, profile }); // encrypts the same packets in JS
      const rx = createSocket('udp4');
      const tx = createSocket('udp4');
      sockets.push(rx, tx);
      rx.bind(0, '127.0.0.1');
      tx.bind(0, '127.0.0.1');
      await Promise.all([once(rx, 'listening'), once(tx, 'listening')]);
      const received: Buffer[] = [];
      rx.on('message', (m) => received.push(m));
      const f = fakeSender(true);
      f.pair.remoteAddr = ['127.0.0.1', rx.address().port] as unknown as typeof f.pair.remoteAddr;
      f.pair.protocol.transport.socket = tx as unknown as typeof f.pair.protocol.transport.socket;
      (f.transport as { srtp: unknown }).srtp = srtp;
      const nativeCalls: number[] = [];
      const counted = native && {
        createSession: native.createSession,
        send: (...args: Parameters<typeof native.send>) => {
          if (refuse) {
            nativeCalls.push(-1);
            throw new RangeError('srtp_sender: packet larger than 1500 bytes');
          }
          const sent = native.send(...args);
          nativeCalls.push(sent);
          return sent;
        },
      };
      const fast = new FastRtpSender({ RtpHeader }, f.sender as unknown as RTCRtpSender, {
        headerExtensions: EXTENSIONS,
        mid: '0',
        ...(counted ? { native: counted } : {}),
      });
      return { f, fast, received, reference, nativeCalls };
    }

    it.runIf(process.platform !== 'win32')(
      'is built (npm install builds it; npm run build:native)',
      () => {
        expect(loadSrtpSender().error).toBeUndefined();
        expect(native).toBeDefined();
      },
    );

    it.runIf(native)(
      "sends exactly werift's SRTP packets, across a sequence-number wrap, and keeps the counters",
      async () => {
        const { f, fast, received, reference, nativeCalls } = await realPath();
        const packets = [65532, 65533, 65534, 65535, 0, 1, 2].map((seq, i) =>
          packet(seq, 9000 + (i >> 1) * 3600, i % 2 === 1),
        );
        // The first packets go through werift (its last DTLS flight must leave first); from the
        // next event-loop turn on, natively.
        fast.send(packets.slice(0, 1));
        expect(nativeCalls).toEqual([]);
        await new Promise((r) => setImmediate(r));
        fast.send(packets.slice(1, 5));
        fast.send(packets.slice(5));
        expect(nativeCalls).toEqual([4, 2]);
        await expect.poll(() => received.length).toBe(7);
        // Same keys, same headers (from the NACK history), werift's JS encryption: byte for byte.
        const expected = packets.map((p) => {
          const cached = f.sender.rtpCache[p.sequenceNumber % 128]!;
          return reference.encrypt(cached.payload, cached.header);
        });
        expect(received).toEqual(expected);
        expect(f.transport.packetsSent).toBe(7);
        expect(f.pair.packetsSent).toBe(7);
        expect(f.pair.bytesSent).toBe(expected.reduce((n, b) => n + b.length, 0));
        // werift's own state follows: a retransmission after the wrap uses rollover counter 1.
        const state = (
          f.transport as unknown as {
            srtp: { localContext: { getSrtpSsrcState(s: number): { rolloverCounter: number } } };
          }
        ).srtp.localContext.getSrtpSsrcState(0x1234);
        expect(state.rolloverCounter).toBe(1);
      },
    );

    it.runIf(native)(
      "falls back to werift's path for good when the addon refuses a batch",
      async () => {
        const { fast, received, nativeCalls } = await realPath(true);
        fast.send([packet(1, 0)]);
        await new Promise((r) => setImmediate(r));
        fast.send([packet(2, 0), packet(3, 0, true)]);
        fast.send([packet(4, 3600)]);
        await expect.poll(() => received.length).toBe(4); // all delivered through werift's SRTP
        expect(nativeCalls).toEqual([-1]); // tried once, then never again
      },
    );

    it.runIf(native)('sends nothing while werift may not send (no consent)', async () => {
      const { f, fast, received, nativeCalls } = await realPath();
      fast.send([packet(1, 0)]);
      await new Promise((r) => setImmediate(r));
      await expect.poll(() => received.length).toBe(1);
      f.transport.iceTransport!.connection.canSendApplicationData = () => false;
      fast.send([packet(2, 0), packet(3, 0, true)]);
      await new Promise((r) => setTimeout(r, 50));
      expect(received).toHaveLength(1);
      expect(nativeCalls).toEqual([]);
      expect(f.sender.packetCount).toBe(3); // still counted and kept for NACKs, like werift does
    });
  });

  it('converts wall-clock ms to 64-bit NTP time', () => {
    const ntp = ntpTime64(Date.UTC(2020, 0, 1) + 500);
    expect(Number(ntp >> 32n)).toBe(Date.UTC(2020, 0, 1) / 1000 + 2_208_988_800);
    expect(Number(ntp & 0xffffffffn)).toBe(2 ** 31);
  });
});
