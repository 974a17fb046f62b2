// H.264 / H.265 RTP packetizers (RFC 6184 packetization-mode 1, RFC 7798): single NAL unit
// packets, FU-A / FU fragments, optional STAP-A / AP aggregation. Owns sequence numbering and the
// marker bit; it does not pace, send, or produce RTCP.
import { NvrError } from '../../base';
import type { PayloadFormat } from './payload-format';
import { H264_FORMAT, H265_FORMAT } from './payload-format';
import type { RtpPacket } from './rtp-packet';
import { serializeRtpPacket } from './rtp-packet';

export interface PacketizerOptions {
  payloadType: number;
  ssrc: number;
  /** Maximum RTP payload size in bytes (the 12-byte RTP header comes on top). Default 1200. */
  mtu?: number;
  /** First sequence number (default 0). */
  initialSequence?: number;
  /** Aggregate consecutive small NAL units into STAP-A (H.264) / AP (H.265) packets. */
  aggregate?: boolean;
}

export interface PacketizerInput {
  /** NAL units without start codes, in decoding order. */
  nalus: Uint8Array[];
  /** RTP timestamp; taken modulo 2^32, so a widened pts90k works too. */
  rtpTimestamp: number;
}

class VideoPacketizer {
  private readonly payloadType: number;
  private readonly ssrc: number;
  private readonly mtu: number;
  private readonly aggregateSmall: boolean;
  private seq: number;

  constructor(
    private readonly format: PayloadFormat,
    options: PacketizerOptions,
  ) {
    this.payloadType = options.payloadType & 0x7f;
    this.ssrc = options.ssrc >>> 0;
    this.mtu = options.mtu ?? 1200;
    this.aggregateSmall = options.aggregate ?? false;
    this.seq = (options.initialSequence ?? 0) & 0xffff;
    const min = format.fragmentOverheadBytes + 1;
    if (!Number.isInteger(this.mtu) || this.mtu < min) {
      throw new NvrError('bad_request', `RTP packetizer: mtu must be an integer >= ${min}`, {
        mtu: this.mtu,
      });
    }
  }

  /** Sequence number the next packet will carry. */
  get nextSequence(): number {
    return this.seq;
  }

  /** Packetizes one access unit into serialized RTP packets (marker on the last). */
  packetize(au: PacketizerInput): Uint8Array[] {
    return this.packetizeToPackets(au).map(serializeRtpPacket);
  }

  /** Packetizes one access unit into RTP packet objects (marker on the last). */
  packetizeToPackets(au: PacketizerInput): RtpPacket[] {
    const payloads = this.payloadsOf(au.nalus);
    const timestamp = au.rtpTimestamp >>> 0;
    return payloads.map((payload, i) => {
      const packet: RtpPacket = {
        version: 2,
        padding: false,
        extension: false,
        marker: i === payloads.length - 1,
        payloadType: this.payloadType,
        sequenceNumber: this.seq,
        timestamp,
        ssrc: this.ssrc,
        csrcs: [],
        payload,
      };
      this.seq = (this.seq + 1) & 0xffff;
      return packet;
    });
  }

  /**
   * The RTP payloads of one access unit's NAL units, in order (the caller writes the headers and sets
   * the marker on the last); no sequence numbers are used.
   */
  payloadsOf(units: readonly Uint8Array[]): Uint8Array[] {
    const nalus = units.filter((n) => n.length >= this.format.nalHeaderSize);
    const out: Uint8Array[] = [];
    let group: Uint8Array[] = [];
    let groupBytes = this.format.aggregateHeaderBytes;
    const closeGroup = (): void => {
      if (group.length === 1) out.push(group[0]!);
      else if (group.length > 1) out.push(this.format.aggregate(group));
      group = [];
      groupBytes = this.format.aggregateHeaderBytes;
    };
    for (const nal of nalus) {
      if (nal.length > this.mtu) {
        closeGroup();
        out.push(...this.format.fragment(nal, this.mtu));
      } else if (!this.aggregateSmall) {
        out.push(nal);
      } else {
        if (groupBytes + 2 + nal.length > this.mtu) closeGroup();
        if (groupBytes + 2 + nal.length <= this.mtu) {
          group.push(nal);
          groupBytes += 2 + nal.length;
        } else {
          out.push(nal); // fits alone, but not in an aggregate
        }
      }
    }
    closeGroup();
    return out;
  }
}

/** H.264 packetizer (RFC 6184, packetization-mode=1). */
export class H264Packetizer extends VideoPacketizer {
  constructor(options: PacketizerOptions) {
    super(H264_FORMAT, options);
  }
}

/** H.265 packetizer (RFC 7798, no DONL). */
export class H265Packetizer extends VideoPacketizer {
  constructor(options: PacketizerOptions) {
    super(H265_FORMAT, options);
  }
}
