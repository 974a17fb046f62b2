// FastRtpSender: sends a viewer's RTP through werift's SRTP session and the nominated ICE pair's UDP
// socket, skipping RTCRtpSender.sendRtp's per-packet work (packet re-parsing, extension rebuilding
// and sorting, a string-based NTP clock, the sender-side estimator we never read) and the promise
// chain of the layers below it. It keeps the sender's counters,
// NACK history and RTCP loop fed, so werift's sender reports and retransmissions still work.
// With the native SRTP sender (native/srtp-sender) a batch of packets is sealed (AES-128-GCM, the
// profile browsers pick) and sent in one call and one sendmmsg(2), with werift's keys and rollover
// counters; otherwise, and for what the native call could not send, each packet takes werift's
// SRTP and dgram. Relies on werift 0.24 internals; `whep.test.ts` checks them end to end (media,
// picture loss, NACK retransmission) and this module's test byte for byte against werift's SRTP.
import type {
  RTCRtpSender,
  RtpHeader as WeriftRtpHeader,
  RtpPacket as WeriftRtpPacket,
} from 'werift';
import type { Werift } from './werift-loader';
import type { RtpPacket } from '../media/rtp';
import { SRTP_SENDER_MAX_BATCH } from '../../native';
import type { SrtpSender, SrtpSenderSession } from '../../native';

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

/** werift's SRTP context of the sending direction (SrtpContext). */
interface SrtpContextInternals {
  profile?: number;
  cipher?: { srtpSessionKey?: Buffer; srtpSessionSalt?: Buffer };
  getSrtpSsrcState?(ssrc: number): { rolloverCounter: number };
  updateRolloverCount?(sequenceNumber: number, state: { rolloverCounter: number }): void;
}

type UdpSocket = { send(data: Buffer, port: number, address: string): void };

/** The path below werift's RTCDtlsTransport.sendRtp: SRTP, the nominated ICE pair, its UDP socket. */
interface TransportInternals {
  srtp?: {
    encrypt(payload: Buffer, header: unknown): Buffer;
    localContext?: SrtpContextInternals;
  };
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
            socket?: UdpSocket;
          };
        };
      };
    };
  };
}

/** SRTP_AEAD_AES_128_GCM (RFC 7714), werift's ProtectionProfileAeadAes128Gcm. */
const AEAD_AES_128_GCM = 0x0007;
const GCM_TAG_BYTES = 16;

/** The file descriptor under a Node dgram socket (its UDP handle's), or undefined. */
function socketFd(socket: object): number | undefined {
  const state = Object.getOwnPropertySymbols(socket).find((k) => k.description === 'state symbol');
  const fd = state
    ? (socket as Record<symbol, { handle?: { fd?: unknown } }>)[state]?.handle?.fd
    : undefined;
  return typeof fd === 'number' && fd >= 0 ? fd : undefined;
}

/** What one packet's header is made of: its frame's fields plus its own sequence number and marker. */
interface FrameFields {
  payloadType: number;
  timestamp: number;
  ssrc: number;
  extensions: Extension[];
  /** The frame's header bytes with marker 0 and sequence number 0 (the native path patches both). */
  bytes: Buffer;
}

/**
 * A packet as werift's NACK history holds it (`header`, `payload`), with the header made only when
 * werift asks for it (a NACK, a JS send): most packets are never retransmitted.
 */
class HistoryEntry {
  private built: WeriftRtpHeader | undefined;

  constructor(
    private readonly werift: Pick<Werift, 'RtpHeader'>,
    readonly frame: FrameFields,
    readonly sequenceNumber: number,
    readonly marker: boolean,
    readonly payload: Buffer,
  ) {}

  get header(): WeriftRtpHeader {
    const f = this.frame;
    this.built ??= new this.werift.RtpHeader({
      marker: this.marker,
      payloadType: f.payloadType,
      sequenceNumber: this.sequenceNumber,
      timestamp: f.timestamp,
      ssrc: f.ssrc,
      extensions: f.extensions,
    });
    return this.built;
  }
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
  /** The current frame's header fields; rebuilt when the RTP timestamp changes. */
  private frame: FrameFields | undefined;
  private readonly midId: number | undefined;
  private readonly mid: Buffer | undefined;
  private readonly absSendTimeId: number | undefined;
  private readonly fixed: Extension[];
  private readonly native: SrtpSender | undefined;
  /** The native session, for the werift SRTP context it was made from. */
  private nativeSession: { srtp: SrtpContextInternals; session: SrtpSenderSession } | undefined;
  private readonly fds = new WeakMap<object, number | undefined>();
  private headerBytes: Buffer = Buffer.alloc(0);
  private readonly rocs = new Uint32Array(SRTP_SENDER_MAX_BATCH);
  /**
   * Native sends start one event-loop turn after the first packet. werift's own sends (its last DTLS
   * flight among them) reach the socket a tick late, behind dgram's address lookup, and a native send
   * is immediate: the first packets would overtake the handshake's end, and the client drops SRTP
   * that arrives before its handshake completes. 'off': the native sender refused a batch, and this
   * viewer stays on werift's path.
   */
  private nativeState: 'idle' | 'arming' | 'on' | 'off' = 'idle';

  /**
   * `headerExtensions` are the negotiated ones (the transceiver's); `mid` is the transceiver's media
   * id; `fixed` are constant extensions sent with every packet (e.g. playout-delay); `native` is the
   * native SRTP sender when it loaded.
   */
  constructor(
    private readonly werift: Pick<Werift, 'RtpHeader'>,
    private readonly sender: RTCRtpSender,
    opts: {
      headerExtensions: readonly { id: number; uri: string }[];
      mid?: string;
      fixed?: Extension[];
      native?: SrtpSender;
    },
  ) {
    this.internals = sender as unknown as SenderInternals;
    const ext = (uri: string) => opts.headerExtensions.find((e) => e.uri === uri)?.id;
    this.midId = opts.mid ? ext(SDES_MID_URI) : undefined;
    this.mid = opts.mid ? Buffer.from(opts.mid) : undefined;
    this.absSendTimeId = ext(ABS_SEND_TIME_URI);
    this.fixed = opts.fixed ?? [];
    this.native = opts.native;
  }

  /** Sends packets in order (this sender's SSRC and payload type replace theirs). */
  send(packets: readonly RtpPacket[]): void {
    const sender = this.sender;
    const transport = sender.dtlsTransport;
    const codec = sender.codec;
    if (!transport || transport.state !== 'connected' || !codec || packets.length === 0) return;
    const s = this.internals;
    const entries: HistoryEntry[] = [];
    for (const packet of packets) {
      const frame =
        this.frame?.timestamp === packet.timestamp && this.frame.payloadType === codec.payloadType
          ? this.frame
          : this.newFrame(packet.timestamp, codec.payloadType, sender.ssrc);
      const p = packet.payload;
      const payload = Buffer.isBuffer(p) ? p : Buffer.from(p.buffer, p.byteOffset, p.byteLength);
      const entry = new HistoryEntry(
        this.werift,
        frame,
        packet.sequenceNumber,
        packet.marker,
        payload,
      );
      s.sequenceNumber = packet.sequenceNumber;
      s.timestamp = packet.timestamp;
      s.octetCount += payload.length;
      s.packetCount = (s.packetCount + 1) >>> 0;
      s.rtpCache[packet.sequenceNumber % RTP_HISTORY_SIZE] = entry as unknown as WeriftRtpPacket;
      entries.push(entry);
    }
    if (this.native && this.nativeState === 'idle') {
      this.nativeState = 'arming';
      setImmediate(() => (this.nativeState = 'on'));
    }
    const t = transport as unknown as TransportInternals;
    let done = 0;
    for (let i = 0; i < entries.length; i++) {
      if (i === done) done += this.sendNative(t, entries, i);
      if (i < done) continue;
      const { payload, header } = entries[i]!;
      const direct = this.sendDirect(t, payload, header);
      if (direct === 'drop') break; // werift would not send now either
      if (!direct) void transport.sendRtp(payload, header);
    }
    if (!s.rtcpRunning) void s.runRtcp();
  }

  /** The nominated pair and its socket when werift's internals are as expected. */
  private route(t: TransportInternals) {
    const connection = t.iceTransport?.connection;
    const pair = connection?.nominated;
    const udp = pair?.protocol?.transport;
    const socket = udp?.socket;
    if (!t.srtp || !connection?.canSendApplicationData || !pair || !udp || !socket)
      return undefined;
    const open = connection.canSendApplicationData() && !udp.closed;
    return { pair, socket, open };
  }

  /**
   * Seals and sends packets from `from` on in batches through the native sender; returns how many it
   * sent (0 when it is not there, the profile is not AES-GCM, or nothing could be sent).
   */
  private sendNative(
    t: TransportInternals,
    entries: readonly HistoryEntry[],
    from: number,
  ): number {
    const native = this.native;
    if (!native || this.nativeState !== 'on') return 0;
    const srtp = t.srtp?.localContext;
    const route = this.route(t);
    if (!srtp || srtp.profile !== AEAD_AES_128_GCM || !route?.open) return 0;
    if (!srtp.getSrtpSsrcState || !srtp.updateRolloverCount) return 0;
    const session = this.sessionFor(native, srtp);
    if (!session) return 0;
    let fd = this.fds.get(route.socket);
    if (!this.fds.has(route.socket)) this.fds.set(route.socket, (fd = socketFd(route.socket)));
    if (fd === undefined) return 0;
    const size = entries[from]!.frame.bytes.length;
    const count = Math.min(SRTP_SENDER_MAX_BATCH, entries.length - from);
    if (this.headerBytes.length < size * count)
      this.headerBytes = Buffer.alloc(size * SRTP_SENDER_MAX_BATCH);
    const out = this.headerBytes;
    const state = srtp.getSrtpSsrcState(this.sender.ssrc);
    const batch: Buffer[] = [];
    for (let n = 0; n < count; n++) {
      const e = entries[from + n]!;
      if (e.frame.bytes.length !== size) break; // one header size per call
      const at = n * size;
      out.set(e.frame.bytes, at);
      out[at + 1] = (e.marker ? 0x80 : 0) | e.frame.payloadType;
      out.writeUInt16BE(e.sequenceNumber, at + 2);
      srtp.updateRolloverCount(e.sequenceNumber, state);
      this.rocs[n] = state.rolloverCounter;
      batch.push(e.payload);
    }
    let sent: number;
    try {
      sent = native.send(
        session,
        fd,
        route.pair.remoteAddr[0],
        route.pair.remoteAddr[1],
        this.headerBytes,
        size,
        batch,
        this.rocs,
      );
    } catch {
      this.nativeState = 'off'; // it refused the batch (a packet over 1500 bytes)
      return 0;
    }
    let bytes = 0;
    for (let i = 0; i < sent; i++) bytes += size + batch[i]!.length + GCM_TAG_BYTES;
    t.bytesSent += bytes;
    t.packetsSent += sent;
    route.pair.packetsSent += sent;
    route.pair.bytesSent += bytes;
    return sent;
  }

  private sessionFor(
    native: SrtpSender,
    srtp: SrtpContextInternals,
  ): SrtpSenderSession | undefined {
    if (this.nativeSession?.srtp === srtp) return this.nativeSession.session;
    const key = srtp.cipher?.srtpSessionKey;
    const salt = srtp.cipher?.srtpSessionSalt;
    if (key?.length !== 16 || !salt || salt.length < 12) return undefined;
    const session = native.createSession(key, salt.subarray(0, 12));
    this.nativeSession = { srtp, session };
    return session;
  }

  /**
   * What RTCDtlsTransport.sendRtp → ICE connection → protocol → UDP transport do, without their four
   * promises per packet: encrypt, count, send on the nominated pair's socket. False when werift's
   * internals are not as expected (the caller then takes werift's own path); 'drop' when werift
   * would not send now (no consent, socket closed).
   */
  private sendDirect(t: TransportInternals, payload: Buffer, header: unknown): boolean | 'drop' {
    const route = this.route(t);
    if (!route) return false;
    if (!route.open) return 'drop';
    const { pair, socket } = route;
    const enc = t.srtp!.encrypt(payload, header);
    t.bytesSent += enc.length;
    t.packetsSent++;
    socket.send(enc, pair.remoteAddr[1], pair.remoteAddr[0]);
    pair.packetsSent++;
    pair.bytesSent += enc.length;
    return true;
  }

  /** One clock reading per frame: the sender-report pair, abs-send-time and the header bytes. */
  private newFrame(timestamp: number, payloadType: number, ssrc: number): FrameFields {
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
    const fields = { payloadType, timestamp, ssrc, extensions: ext };
    const template = new this.werift.RtpHeader({ ...fields, marker: false, sequenceNumber: 0 });
    this.frame = { ...fields, bytes: template.serialize(template.serializeSize) };
    return this.frame;
  }
}
