// RTP fixed header parsing and serialization (RFC 3550 §5.1). Owns the wire format of one RTP
// packet; it knows nothing about payload formats, sessions, sockets or timing.
import { NvrError } from '../../base';

/** A header extension (RFC 3550 §5.3.1): a 16-bit profile value and 32-bit aligned data. */
export interface RtpExtension {
  profile: number;
  /** Extension data; its length is a multiple of 4 bytes. */
  data: Uint8Array;
}

export interface RtpPacket {
  version: number;
  /** True when the packet carried padding (removed from `payload`; see paddingSizeBytes). */
  padding: boolean;
  extension: boolean;
  marker: boolean;
  payloadType: number;
  sequenceNumber: number;
  /** RTP timestamp, uint32. */
  timestamp: number;
  ssrc: number;
  csrcs: number[];
  extensionData?: RtpExtension;
  /** Padding bytes (including the count byte) that followed the payload; serialized back when > 0. */
  paddingSizeBytes?: number;
  payload: Uint8Array;
}

export const RTP_HEADER_SIZE_BYTES = 12;

function malformed(message: string, offset: number, length: number): NvrError {
  return new NvrError('malformed', `RTP: ${message}`, { offset, length });
}

/** Parses one RTP packet. The payload is a view into `buf`. Throws NvrError 'malformed'. */
export function parseRtpPacket(buf: Uint8Array): RtpPacket {
  const length = buf.length;
  if (length < RTP_HEADER_SIZE_BYTES)
    throw malformed('packet shorter than the fixed header', 0, length);
  const b0 = buf[0]!;
  const b1 = buf[1]!;
  const version = b0 >> 6;
  if (version !== 2) throw malformed(`unsupported version ${version}`, 0, length);
  const padding = (b0 & 0x20) !== 0;
  const extension = (b0 & 0x10) !== 0;
  const csrcCount = b0 & 0x0f;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let offset = RTP_HEADER_SIZE_BYTES;
  if (offset + csrcCount * 4 > length)
    throw malformed(`CSRC list (${csrcCount}) runs past the end`, offset, length);
  const csrcs: number[] = [];
  for (let i = 0; i < csrcCount; i++, offset += 4) csrcs.push(view.getUint32(offset));
  let extensionData: RtpExtension | undefined;
  if (extension) {
    if (offset + 4 > length) throw malformed('truncated header extension', offset, length);
    const profile = view.getUint16(offset);
    const words = view.getUint16(offset + 2);
    if (offset + 4 + words * 4 > length)
      throw malformed(`header extension (${words} words) runs past the end`, offset, length);
    extensionData = { profile, data: buf.subarray(offset + 4, offset + 4 + words * 4) };
    offset += 4 + words * 4;
  }
  let end = length;
  let paddingSizeBytes: number | undefined;
  if (padding) {
    const count = buf[length - 1]!;
    if (count === 0 || offset + count > length)
      throw malformed(`bad padding count ${count}`, length - 1, length);
    end -= count;
    paddingSizeBytes = count;
  }
  const packet: RtpPacket = {
    version,
    padding,
    extension,
    marker: (b1 & 0x80) !== 0,
    payloadType: b1 & 0x7f,
    sequenceNumber: view.getUint16(2),
    timestamp: view.getUint32(4),
    ssrc: view.getUint32(8),
    csrcs,
    payload: buf.subarray(offset, end),
  };
  if (extensionData) packet.extensionData = extensionData;
  if (paddingSizeBytes !== undefined) packet.paddingSizeBytes = paddingSizeBytes;
  return packet;
}

/**
 * Serializes an RTP packet. The X bit follows `extensionData`, the P bit follows
 * `paddingSizeBytes` (> 0: that many bytes, zeros then the count); `extension`/`padding` are
 * derived, not trusted. Throws NvrError 'bad_request' on values that cannot be encoded.
 */
export function serializeRtpPacket(p: RtpPacket): Uint8Array {
  if (p.csrcs.length > 15)
    throw new NvrError('bad_request', 'RTP: more than 15 CSRCs', { csrcs: p.csrcs.length });
  const ext = p.extensionData;
  if (ext && (ext.data.length % 4 !== 0 || ext.data.length > 0xffff * 4)) {
    throw new NvrError('bad_request', 'RTP: extension data must be a multiple of 4 bytes', {
      sizeBytes: ext.data.length,
    });
  }
  const pad = p.paddingSizeBytes ?? 0;
  if (pad < 0 || pad > 255 || !Number.isInteger(pad))
    throw new NvrError('bad_request', 'RTP: bad padding size', { paddingSizeBytes: pad });
  const extSize = ext ? 4 + ext.data.length : 0;
  const headerSize = RTP_HEADER_SIZE_BYTES + p.csrcs.length * 4 + extSize;
  const out = new Uint8Array(headerSize + p.payload.length + pad);
  const view = new DataView(out.buffer);
  out[0] = (2 << 6) | (pad > 0 ? 0x20 : 0) | (ext ? 0x10 : 0) | p.csrcs.length;
  out[1] = (p.marker ? 0x80 : 0) | (p.payloadType & 0x7f);
  view.setUint16(2, p.sequenceNumber & 0xffff);
  view.setUint32(4, p.timestamp >>> 0);
  view.setUint32(8, p.ssrc >>> 0);
  let offset = RTP_HEADER_SIZE_BYTES;
  for (const c of p.csrcs) {
    view.setUint32(offset, c >>> 0);
    offset += 4;
  }
  if (ext) {
    view.setUint16(offset, ext.profile & 0xffff);
    view.setUint16(offset + 2, ext.data.length / 4);
    out.set(ext.data, offset + 4);
    offset += extSize;
  }
  out.set(p.payload, offset);
  if (pad > 0) out[out.length - 1] = pad;
  return out;
}

/** Signed distance from sequence number `b` to `a` in 16-bit space (-32768..32767). */
export function seqDiff(a: number, b: number): number {
  return ((((a - b) & 0xffff) + 0x8000) & 0xffff) - 0x8000;
}
