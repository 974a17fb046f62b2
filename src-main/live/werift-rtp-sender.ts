// FastRtpSender: sends a viewer's RTP through werift's SRTP session and the nominated ICE pair's UDP
// socket, skipping RTCRtpSender.sendRtp's per-packet work (packet re-parsing, extension rebuilding
// and sorting, a string-based NTP clock, the sender-side estimator we never read) and the promise
// chain of the layers below it. It keeps the sender's counters,
// NACK history and RTCP loop fed, so werift's sender reports and retransmissions still work.
// Relies on werift 0.24 internals; `whep.test.ts` checks them end to end (NACK, SR, extensions).
import type { RTCRtpSender, RtpPacket as WeriftRtpPacket } from 'werift';
import type { Werift } from './werift-loader';
import type { RtpPacket } from '../media/rtp';

/** RTCRtpSender fields that werift keeps private but reads in its RTCP and NACK handling. */
interface SenderInternals {
  ntpTimestamp: bigint;
  rtpTimestamp: number;
  octetCount: number;
  packetCount: number;
  headerBytesSent: number;
  sequenceNumber?: number;
  timestamp?: number;
  rtpCache: WeriftRtpPacket[];
  rtcpRunning: boolean;
  runRtcp(): Promise<void>;
}

/** The path below werift's RTCDtlsTransport.sendRtp: SRTP, the nominated ICE pair, its UDP socket. */
interface TransportInternals {
  srtp?: { encrypt(payload: Buffer, header: unknown): Buffer };
  bytesSent: number;
  packetsSent: number;
  iceTransport?: {
    connection?: {
      canSendApplicationData?(): boolean;
      nominated?: {
        remoteAddr: readonly [string, number];
        packetsSent: number;
        bytesSent: number;
        protocol?: {
          transport?: {
            closed?: boolean;
            socket?: { send(data: Buffer, port: number, address: string): void };
          };
        };
      };
    };
  };
}

/** werift's NACK history size (RTP_HISTORY_SIZE). */
const RTP_HISTORY_SIZE = 128;
const SDES_MID_URI = 'urn:ietf:params:rtp-hdrext:sdes:mid';
const ABS_SEND_TIME_URI = 'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time';
/** 1900-01-01 → 1970-01-01 in seconds. */
const NTP_EPOCH_OFFSET_S = 2_208_988_800;

export interface Extension {
  id: number;
  payload: Buffer;
}

/** 64-bit NTP time (32.32 fixed point) of a wall-clock time in ms. */
export function ntpTime64(epochMs: number): bigint {
  const seconds = Math.floor(epochMs / 1000);
  const fraction = Math.floor(((epochMs - seconds * 1000) / 1000) * 2 ** 32);
  return (BigInt(seconds + NTP_EPOCH_OFFSET_S) << 32n) | BigInt(fraction >>> 0);
}

export class FastRtpSender {
  private readonly internals: SenderInternals;
  /** Extensions of the current frame (sorted by id); rebuilt when the RTP timestamp changes. */
  private extensions: Extension[] = [];
  private frameTimestamp = -1;
  private readonly midId: number | undefined;
  private readonly mid: Buffer | undefined;
  private readonly absSendTimeId: number | undefined;
  private readonly fixed: Extension[];

  /**
   * `headerExtensions` are the negotiated ones (the transceiver's); `mid` is the transceiver's media
   * id; `fixed` are constant extensions sent with every packet (e.g. playout-delay).
   */
  constructor(
    private readonly werift: Pick<Werift, 'RtpHeader' | 'RtpPacket'>,
    private readonly sender: RTCRtpSender,
    opts: {
      headerExtensions: readonly { id: number; uri: string }[];
      mid?: string;
      fixed?: Extension[];
    },
  ) {
    this.internals = sender as unknown as SenderInternals;
    const ext = (uri: string) => opts.headerExtensions.find((e) => e.uri === uri)?.id;
    this.midId = opts.mid ? ext(SDES_MID_URI) : undefined;
    this.mid = opts.mid ? Buffer.from(opts.mid) : undefined;
    this.absSendTimeId = ext(ABS_SEND_TIME_URI);
    this.fixed = opts.fixed ?? [];
  }

  send(packet: RtpPacket): void {
    const sender = this.sender;
    const transport = sender.dtlsTransport;
    const codec = sender.codec;
    if (!transport || transport.state !== 'connected' || !codec) return;
    if (packet.timestamp !== this.frameTimestamp) this.newFrame(packet.timestamp);
    const p = packet.payload;
    const payload = Buffer.isBuffer(p) ? p : Buffer.from(p.buffer, p.byteOffset, p.byteLength);
    const header = new this.werift.RtpHeader({
      marker: packet.marker,
      payloadType: codec.payloadType,
      sequenceNumber: packet.sequenceNumber,
      timestamp: packet.timestamp,
      ssrc: sender.ssrc,
      extensions: this.extensions,
    });
    const s = this.internals;
    s.sequenceNumber = packet.sequenceNumber;
    s.timestamp = packet.timestamp;
    s.octetCount += payload.length;
    s.packetCount = (s.packetCount + 1) >>> 0;
    s.rtpCache[packet.sequenceNumber % RTP_HISTORY_SIZE] = new this.werift.RtpPacket(
      header,
      payload,
    );
    if (!this.sendDirect(transport as unknown as TransportInternals, payload, header))
      void transport.sendRtp(payload, header);
    if (!s.rtcpRunning) void s.runRtcp();
  }

  /**
   * What RTCDtlsTransport.sendRtp → ICE connection → protocol → UDP transport do, without their four
   * promises per packet: encrypt, count, send on the nominated pair's socket. False when werift's
   * internals are not as expected (the caller then takes werift's own path).
   */
  private sendDirect(t: TransportInternals, payload: Buffer, header: unknown): boolean {
    const connection = t.iceTransport?.connection;
    const pair = connection?.nominated;
    const udp = pair?.protocol?.transport;
    const socket = udp?.socket;
    if (!t.srtp || !connection?.canSendApplicationData || !pair || !socket) return false;
    if (!connection.canSendApplicationData() || udp.closed) return true; // werift drops it too
    const enc = t.srtp.encrypt(payload, header);
    t.bytesSent += enc.length;
    t.packetsSent++;
    socket.send(enc, pair.remoteAddr[1], pair.remoteAddr[0]);
    pair.packetsSent++;
    pair.bytesSent += enc.length;
    return true;
  }

  /** One clock reading per frame: the sender-report pair and abs-send-time. */
  private newFrame(timestamp: number): void {
    this.frameTimestamp = timestamp;
    const nowMs = performance.timeOrigin + performance.now();
    const s = this.internals;
    s.ntpTimestamp = ntpTime64(nowMs);
    s.rtpTimestamp = timestamp;
    const ext: Extension[] = [...this.fixed];
    if (this.midId !== undefined && this.mid) ext.push({ id: this.midId, payload: this.mid });
    if (this.absSendTimeId !== undefined) {
      // 6.18 fixed-point seconds, 24 bits.
      const v = Math.floor(((nowMs / 1000) % 64) * 2 ** 18) & 0xffffff;
      ext.push({
        id: this.absSendTimeId,
        payload: Buffer.from([v >> 16, (v >> 8) & 0xff, v & 0xff]),
      });
    }
    ext.sort((a, b) => a.id - b.id);
    this.extensions = ext;
  }
}
