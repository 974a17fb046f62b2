// RTCP parsing (SR, RR, SDES, BYE; others kept raw) and building of receiver / sender reports
// (RFC 3550 §6). Pure wire format: scheduling, statistics and sockets belong to the RTSP session.
import { NvrError } from '../../base';

/** Seconds between the NTP epoch (1900) and the Unix epoch (1970). */
const NTP_UNIX_OFFSET_S = 2_208_988_800;
const TWO_32 = 0x1_0000_0000;

export interface RtcpReportBlock {
  ssrc: number;
  /** Fraction lost since the last report, 8-bit fixed point (0..255 = 0..255/256). */
  fractionLost: number;
  /** Cumulative packets lost (signed 24-bit). */
  cumulativeLost: number;
  /** Extended highest sequence number received (cycles << 16 | seq). */
  highestSeq: number;
  /** Interarrival jitter in RTP timestamp units. */
  jitter: number;
  /** Middle 32 bits of the NTP timestamp of the last SR received (0 if none). */
  lastSr: number;
  /** Delay since that SR, in units of 1/65536 s. */
  delaySinceLastSr: number;
}

export interface RtcpSenderReport {
  type: 'sr';
  ssrc: number;
  /** Wall clock of the NTP timestamp, milliseconds since the Unix epoch (fractional). */
  ntpMs: number;
  /** Middle 32 bits of the NTP timestamp: the `lastSr` value a receiver reports back. */
  ntpMiddle32: number;
  rtpTimestamp: number;
  packetCount: number;
  octetCount: number;
  reports: RtcpReportBlock[];
}

export interface RtcpReceiverReport {
  type: 'rr';
  ssrc: number;
  reports: RtcpReportBlock[];
}

export interface RtcpSdesItem {
  /** Item type: 1 CNAME, 2 NAME, 3 EMAIL, 4 PHONE, 5 LOC, 6 TOOL, 7 NOTE, 8 PRIV. */
  itemType: number;
  text: string;
}

export interface RtcpSdes {
  type: 'sdes';
  chunks: { ssrc: number; items: RtcpSdesItem[] }[];
}

export interface RtcpBye {
  type: 'bye';
  ssrcs: number[];
  reason?: string;
}

/** Any other packet type (APP, RTPFB, PSFB, XR...), kept as its bytes. */
export interface RtcpOther {
  type: 'other';
  packetType: number;
  raw: Uint8Array;
}

export type RtcpPacket = RtcpSenderReport | RtcpReceiverReport | RtcpSdes | RtcpBye | RtcpOther;

export const RtcpPacketType = { SR: 200, RR: 201, SDES: 202, BYE: 203, APP: 204 } as const;

function malformed(message: string, offset: number, length: number): NvrError {
  return new NvrError('malformed', `RTCP: ${message}`, { offset, length });
}

const textDecoder = new TextDecoder('utf-8', { fatal: false });

function parseReportBlocks(
  view: DataView,
  offset: number,
  count: number,
  end: number,
  length: number,
): RtcpReportBlock[] {
  if (offset + count * 24 > end)
    throw malformed(`${count} report blocks do not fit`, offset, length);
  const blocks: RtcpReportBlock[] = [];
  for (let i = 0; i < count; i++, offset += 24) {
    const lostWord = view.getUint32(offset + 4);
    const cumulative = lostWord & 0xffffff;
    blocks.push({
      ssrc: view.getUint32(offset),
      fractionLost: lostWord >>> 24,
      cumulativeLost: cumulative & 0x800000 ? cumulative - 0x1000000 : cumulative,
      highestSeq: view.getUint32(offset + 8),
      jitter: view.getUint32(offset + 12),
      lastSr: view.getUint32(offset + 16),
      delaySinceLastSr: view.getUint32(offset + 20),
    });
  }
  return blocks;
}

function parseSdes(
  buf: Uint8Array,
  view: DataView,
  offset: number,
  count: number,
  end: number,
): RtcpSdes {
  const chunks: RtcpSdes['chunks'] = [];
  for (let c = 0; c < count; c++) {
    if (offset + 4 > end) throw malformed('truncated SDES chunk', offset, buf.length);
    const ssrc = view.getUint32(offset);
    offset += 4;
    const items: RtcpSdesItem[] = [];
    for (;;) {
      if (offset >= end) throw malformed('SDES chunk without terminator', offset, buf.length);
      const itemType = buf[offset]!;
      if (itemType === 0) {
        offset = (offset + 4) & ~3; // null item, then pad to the next 32-bit boundary
        break;
      }
      if (offset + 2 > end) throw malformed('truncated SDES item', offset, buf.length);
      const len = buf[offset + 1]!;
      if (offset + 2 + len > end)
        throw malformed('SDES item runs past the packet', offset, buf.length);
      items.push({
        itemType,
        text: textDecoder.decode(buf.subarray(offset + 2, offset + 2 + len)),
      });
      offset += 2 + len;
    }
    chunks.push({ ssrc, items });
  }
  return { type: 'sdes', chunks };
}

/**
 * Parses an RTCP datagram (a compound packet or a single one). Throws NvrError 'malformed' with
 * the byte offset of the first broken packet.
 */
export function parseRtcp(buf: Uint8Array): RtcpPacket[] {
  const length = buf.length;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const out: RtcpPacket[] = [];
  let offset = 0;
  if (length < 4) throw malformed('packet shorter than the common header', 0, length);
  while (offset < length) {
    if (offset + 4 > length) throw malformed('truncated common header', offset, length);
    const b0 = buf[offset]!;
    if (b0 >> 6 !== 2) throw malformed(`unsupported version ${b0 >> 6}`, offset, length);
    const count = b0 & 0x1f;
    const packetType = buf[offset + 1]!;
    const sizeBytes = (view.getUint16(offset + 2) + 1) * 4;
    let end = offset + sizeBytes;
    if (end > length)
      throw malformed(`packet length ${sizeBytes} runs past the datagram`, offset, length);
    if (b0 & 0x20) {
      const pad = buf[end - 1]!;
      if (pad === 0 || pad > sizeBytes - 4)
        throw malformed(`bad padding count ${pad}`, end - 1, length);
      end -= pad;
    }
    const body = offset + 4;
    switch (packetType) {
      case RtcpPacketType.SR: {
        if (body + 24 > end) throw malformed('truncated sender report', offset, length);
        const msw = view.getUint32(body + 4);
        const lsw = view.getUint32(body + 8);
        out.push({
          type: 'sr',
          ssrc: view.getUint32(body),
          ntpMs: (msw - NTP_UNIX_OFFSET_S) * 1000 + (lsw / TWO_32) * 1000,
          ntpMiddle32: (((msw & 0xffff) << 16) | (lsw >>> 16)) >>> 0,
          rtpTimestamp: view.getUint32(body + 12),
          packetCount: view.getUint32(body + 16),
          octetCount: view.getUint32(body + 20),
          reports: parseReportBlocks(view, body + 24, count, end, length),
        });
        break;
      }
      case RtcpPacketType.RR: {
        if (body + 4 > end) throw malformed('truncated receiver report', offset, length);
        out.push({
          type: 'rr',
          ssrc: view.getUint32(body),
          reports: parseReportBlocks(view, body + 4, count, end, length),
        });
        break;
      }
      case RtcpPacketType.SDES:
        out.push(parseSdes(buf, view, body, count, end));
        break;
      case RtcpPacketType.BYE: {
        if (body + count * 4 > end) throw malformed('truncated BYE', offset, length);
        const ssrcs: number[] = [];
        for (let i = 0; i < count; i++) ssrcs.push(view.getUint32(body + i * 4));
        const bye: RtcpBye = { type: 'bye', ssrcs };
        const reasonAt = body + count * 4;
        if (reasonAt < end) {
          const len = buf[reasonAt]!;
          if (reasonAt + 1 + len > end)
            throw malformed('BYE reason runs past the packet', reasonAt, length);
          bye.reason = textDecoder.decode(buf.subarray(reasonAt + 1, reasonAt + 1 + len));
        }
        out.push(bye);
        break;
      }
      default:
        out.push({ type: 'other', packetType, raw: buf.subarray(offset, offset + sizeBytes) });
    }
    offset += sizeBytes;
  }
  return out;
}

/** Converts Unix milliseconds to a 64-bit NTP timestamp as [seconds, fraction]. */
export function msToNtp(ntpMs: number): [number, number] {
  const totalS = ntpMs / 1000 + NTP_UNIX_OFFSET_S;
  const seconds = Math.floor(totalS);
  const fraction = Math.min(Math.round((totalS - seconds) * TWO_32), TWO_32 - 1);
  return [seconds >>> 0, fraction >>> 0];
}

function writeReportBlock(view: DataView, offset: number, b: RtcpReportBlock): void {
  const lost = Math.max(-0x800000, Math.min(0x7fffff, Math.trunc(b.cumulativeLost))) & 0xffffff;
  view.setUint32(offset, b.ssrc >>> 0);
  view.setUint32(offset + 4, (((b.fractionLost & 0xff) << 24) | lost) >>> 0);
  view.setUint32(offset + 8, b.highestSeq >>> 0);
  view.setUint32(offset + 12, b.jitter >>> 0);
  view.setUint32(offset + 16, b.lastSr >>> 0);
  view.setUint32(offset + 20, b.delaySinceLastSr >>> 0);
}

function sdesCname(ssrc: number, cname: string): Uint8Array {
  const text = new TextEncoder().encode(cname).subarray(0, 255);
  const chunkSize = (4 + 2 + text.length + 1 + 3) & ~3; // ssrc, item, null terminator, pad
  const out = new Uint8Array(4 + chunkSize);
  const view = new DataView(out.buffer);
  out[0] = 0x80 | 1;
  out[1] = RtcpPacketType.SDES;
  view.setUint16(2, out.length / 4 - 1);
  view.setUint32(4, ssrc >>> 0);
  out[8] = 1; // CNAME
  out[9] = text.length;
  out.set(text, 10);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

export interface ReceiverReportInput {
  ssrc: number;
  sources: RtcpReportBlock[];
  /** When set, an SDES CNAME packet follows (a compound packet as RFC 3550 §6.1 asks). */
  cname?: string;
}

/** Builds a receiver report (several RRs when there are more than 31 sources). */
export function buildReceiverReport(input: ReceiverReportInput): Uint8Array {
  const parts: Uint8Array[] = [];
  let i = 0;
  do {
    const blocks = input.sources.slice(i, i + 31);
    const out = new Uint8Array(8 + blocks.length * 24);
    const view = new DataView(out.buffer);
    out[0] = 0x80 | blocks.length;
    out[1] = RtcpPacketType.RR;
    view.setUint16(2, out.length / 4 - 1);
    view.setUint32(4, input.ssrc >>> 0);
    blocks.forEach((b, k) => writeReportBlock(view, 8 + k * 24, b));
    parts.push(out);
    i += 31;
  } while (i < input.sources.length);
  if (input.cname !== undefined) parts.push(sdesCname(input.ssrc, input.cname));
  return concat(parts);
}

export interface SenderReportInput {
  ssrc: number;
  /** Wall clock at `rtpTimestamp`, milliseconds since the Unix epoch. */
  ntpMs: number;
  rtpTimestamp: number;
  packetCount: number;
  octetCount: number;
  cname?: string;
}

/** Builds a sender report without report blocks (plus SDES CNAME when `cname` is set). */
export function buildSenderReport(input: SenderReportInput): Uint8Array {
  const out = new Uint8Array(28);
  const view = new DataView(out.buffer);
  const [seconds, fraction] = msToNtp(input.ntpMs);
  out[0] = 0x80;
  out[1] = RtcpPacketType.SR;
  view.setUint16(2, out.length / 4 - 1);
  view.setUint32(4, input.ssrc >>> 0);
  view.setUint32(8, seconds);
  view.setUint32(12, fraction);
  view.setUint32(16, input.rtpTimestamp >>> 0);
  view.setUint32(20, input.packetCount >>> 0);
  view.setUint32(24, input.octetCount >>> 0);
  return input.cname === undefined ? out : concat([out, sdesCname(input.ssrc, input.cname)]);
}
