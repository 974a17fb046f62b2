// The codec-specific half of RTP video payload formats (RFC 6184 H.264, RFC 7798 H.265): how a
// payload splits into NAL units / fragments and how NAL units are fragmented and aggregated.
// The shared packetizer and depacketizer drive these; no state lives here.
import { copyBytes } from '../../base';
import { H264NalType, isH264Keyframe } from '../h264';
import { H265NalType, isH265Keyframe } from '../h265';

/** One piece of an RTP payload: a whole NAL unit, or a fragment of one (FU-A / FU). */
export type PayloadItem =
  | { kind: 'nal'; nal: Uint8Array }
  /** `data` of a start fragment begins with the reconstructed NAL header. */
  | { kind: 'fragment'; start: boolean; end: boolean; nalType: number; data: Uint8Array };

export interface PayloadFormat {
  readonly codec: 'h264' | 'h265';
  /** NAL header size in bytes (1 for H.264, 2 for H.265). */
  readonly nalHeaderSize: number;
  nalType(nal: Uint8Array): number;
  /**
   * A NAL header a decoder accepts: forbidden bit clear, a NAL unit type (not an RTP packet type),
   * and for H.265 a non-zero temporal id (the layer id may be anything: it is kept as sent).
   */
  validNalHeader(nal: Uint8Array): boolean;
  isVcl(type: number): boolean;
  isKeyframe(nalus: Uint8Array[]): boolean;
  readonly audType: number;
  /** Parameter set NAL types in decoding order (H.265: VPS, SPS, PPS; H.264: SPS, PPS). */
  readonly paramSetTypes: readonly { key: 'vps' | 'sps' | 'pps'; type: number }[];
  /**
   * True when a NAL unit proves no slice of its access unit came before it (a non-VCL unit that
   * precedes slices: AUD, parameter sets, SEI; or the first slice of a picture). After packet loss,
   * a unit that begins so lost at most non-VCL data (parameter sets are restored from memory).
   */
  startsAccessUnit(nal: Uint8Array): boolean;
  /** Splits a payload; null when it is malformed or uses a mode we cannot decode. */
  parsePayload(payload: Uint8Array): PayloadItem[] | null;
  /** Payload bytes a fragment spends on headers (FU indicator + header). */
  readonly fragmentOverheadBytes: number;
  /** Fragments a NAL unit into payloads of at most `maxPayloadBytes`. */
  fragment(nal: Uint8Array, maxPayloadBytes: number): Uint8Array[];
  /** Payload bytes an aggregation packet spends on its own header. */
  readonly aggregateHeaderBytes: number;
  /** Builds an aggregation packet (STAP-A / AP) from NAL units (each at most 65535 bytes). */
  aggregate(nalus: Uint8Array[]): Uint8Array;
}

/** Parses the size-prefixed NAL units of STAP-A / AP after `headerBytes`; null if malformed. */
function parseAggregate(
  payload: Uint8Array,
  headerBytes: number,
  minNalBytes: number,
  validType: (nal: Uint8Array) => boolean,
): PayloadItem[] | null {
  const items: PayloadItem[] = [];
  let offset = headerBytes;
  while (offset < payload.length) {
    if (offset + 2 > payload.length) return null;
    const size = (payload[offset]! << 8) | payload[offset + 1]!;
    offset += 2;
    if (size === 0) continue; // tolerated: an empty unit carries nothing
    if (offset + size > payload.length || size < minNalBytes) return null;
    if (!validType(payload.subarray(offset, offset + size))) return null;
    items.push({ kind: 'nal', nal: payload.subarray(offset, offset + size) });
    offset += size;
  }
  return items.length > 0 ? items : null;
}

function buildAggregate(header: Uint8Array, nalus: Uint8Array[]): Uint8Array {
  let size = header.length;
  for (const n of nalus) size += 2 + n.length;
  const out = new Uint8Array(size);
  out.set(header, 0);
  let offset = header.length;
  for (const n of nalus) {
    out[offset] = n.length >> 8;
    out[offset + 1] = n.length & 0xff;
    out.set(n, offset + 2);
    offset += 2 + n.length;
  }
  return out;
}

/**
 * FU fragments of one NAL unit, as views into one buffer (one allocation per NAL unit instead of one
 * per packet: fewer backing stores for the garbage collector to track).
 */
function buildFragments(
  header: Uint8Array,
  body: Uint8Array,
  maxPayloadBytes: number,
  fuType: number,
): Uint8Array[] {
  const prefix = header.length + 1;
  const chunk = maxPayloadBytes - prefix;
  const count = Math.ceil(body.length / chunk);
  const all = new Uint8Array(body.length + count * prefix);
  const out: Uint8Array[] = [];
  let at = 0;
  for (let offset = 0; offset < body.length; offset += chunk) {
    const end = Math.min(offset + chunk, body.length);
    all.set(header, at);
    let fu = fuType;
    if (offset === 0) fu |= 0x80;
    if (end === body.length) fu |= 0x40;
    all[at + header.length] = fu;
    all.set(body.subarray(offset, end), at + prefix);
    const size = prefix + end - offset;
    out.push(all.subarray(at, at + size));
    at += size;
  }
  return out;
}

/** H.264 NAL unit types 1..23 (0 and 24..31 are RTP packet types or unspecified). */
const isH264Nal = (type: number): boolean => type >= 1 && type <= 23;

/** Non-VCL NAL types that may only come before the first slice of an access unit. */
const H264_PREFIX_TYPES = new Set([6, 7, 8, 9, 14, 15]); // SEI, SPS, PPS, AUD, prefix NAL, subset SPS
const H265_PREFIX_TYPES = new Set([32, 33, 34, 35, 39]); // VPS, SPS, PPS, AUD, prefix SEI

export const H264_FORMAT: PayloadFormat = {
  codec: 'h264',
  nalHeaderSize: 1,
  nalType: (nal) => nal[0]! & 0x1f,
  validNalHeader: (nal) => nal.length >= 1 && (nal[0]! & 0x80) === 0 && isH264Nal(nal[0]! & 0x1f),
  isVcl: (type) => type >= 1 && type <= 5,
  isKeyframe: isH264Keyframe,
  audType: H264NalType.AUD,
  paramSetTypes: [
    { key: 'sps', type: H264NalType.SPS },
    { key: 'pps', type: H264NalType.PPS },
  ],
  startsAccessUnit(nal) {
    const type = nal[0]! & 0x1f;
    // first_mb_in_slice is ue(v): a leading 1 bit means 0, the first slice of the picture.
    if (type >= 1 && type <= 5) return nal.length > 1 && (nal[1]! & 0x80) !== 0;
    return H264_PREFIX_TYPES.has(type);
  },
  parsePayload(payload) {
    if (payload.length < 1) return null;
    const type = payload[0]! & 0x1f;
    if (type >= 1 && type <= 23) return [{ kind: 'nal', nal: payload }];
    if (type === H264NalType.STAP_A)
      return parseAggregate(payload, 1, 1, (n) => isH264Nal(n[0]! & 0x1f));
    if (type === H264NalType.FU_A) {
      // FU-A: indicator (F NRI 28), header (S E R type)
      if (payload.length < 2) return null;
      const fu = payload[1]!;
      const start = (fu & 0x80) !== 0;
      const nalType = fu & 0x1f;
      if (!isH264Nal(nalType)) return null;
      if (start) {
        // An explicit copy: the payload may be a Node Buffer (UDP), whose slice() is a view, and
        // writing the reconstructed header into a view would corrupt the packet.
        const data = copyBytes(payload, 1);
        data[0] = (payload[0]! & 0xe0) | nalType;
        return [{ kind: 'fragment', start, end: (fu & 0x40) !== 0, nalType, data }];
      }
      return [
        { kind: 'fragment', start, end: (fu & 0x40) !== 0, nalType, data: payload.subarray(2) },
      ];
    }
    if (type === 0 || type >= 30) return []; // reserved: ignored
    return null; // STAP-B, MTAP16/24, FU-B: interleaved mode, not supported
  },
  fragmentOverheadBytes: 2,
  fragment(nal, maxPayloadBytes) {
    const indicator = new Uint8Array([(nal[0]! & 0xe0) | H264NalType.FU_A]);
    return buildFragments(indicator, nal.subarray(1), maxPayloadBytes, nal[0]! & 0x1f);
  },
  aggregateHeaderBytes: 1,
  aggregate(nalus) {
    let f = 0;
    let nri = 0;
    for (const n of nalus) {
      f |= n[0]! & 0x80;
      nri = Math.max(nri, n[0]! & 0x60);
    }
    return buildAggregate(new Uint8Array([f | nri | H264NalType.STAP_A]), nalus);
  },
};

export const H265_FORMAT: PayloadFormat = {
  codec: 'h265',
  nalHeaderSize: 2,
  nalType: (nal) => (nal[0]! >> 1) & 0x3f,
  validNalHeader: (nal) =>
    nal.length >= 2 &&
    (nal[0]! & 0x80) === 0 &&
    ((nal[0]! >> 1) & 0x3f) <= 47 &&
    (nal[1]! & 7) !== 0,
  isVcl: (type) => type >= 0 && type <= 31,
  isKeyframe: isH265Keyframe,
  audType: H265NalType.AUD,
  paramSetTypes: [
    { key: 'vps', type: H265NalType.VPS },
    { key: 'sps', type: H265NalType.SPS },
    { key: 'pps', type: H265NalType.PPS },
  ],
  startsAccessUnit(nal) {
    const type = (nal[0]! >> 1) & 0x3f;
    // first_slice_segment_in_pic_flag is the first bit after the 2-byte NAL header.
    if (type <= 31) return nal.length > 2 && (nal[2]! & 0x80) !== 0;
    return H265_PREFIX_TYPES.has(type);
  },
  parsePayload(payload) {
    if (payload.length < 2) return null;
    const type = (payload[0]! >> 1) & 0x3f;
    if (type <= 47) return [{ kind: 'nal', nal: payload }];
    if (type === H265NalType.AP)
      return parseAggregate(payload, 2, 2, (n) => ((n[0]! >> 1) & 0x3f) <= 47); // no DONL (sprop-max-don-diff = 0)
    if (type === H265NalType.FU) {
      // FU: payload header (type 49), FU header (S E type)
      if (payload.length < 3) return null;
      const fu = payload[2]!;
      const start = (fu & 0x80) !== 0;
      const nalType = fu & 0x3f;
      if (nalType > 47) return null;
      if (start) {
        // An explicit copy (see H.264 above): with a view, data[0] = … would overwrite payload[1]
        // before data[1] reads it (the layer id bug of UDP H.265 recordings).
        const data = copyBytes(payload, 1);
        data[0] = (payload[0]! & 0x81) | (nalType << 1);
        data[1] = payload[1]!;
        return [{ kind: 'fragment', start, end: (fu & 0x40) !== 0, nalType, data }];
      }
      return [
        { kind: 'fragment', start, end: (fu & 0x40) !== 0, nalType, data: payload.subarray(3) },
      ];
    }
    if (type === 50) return null; // PACI: not supported
    return []; // 51..63 unspecified: ignored
  },
  fragmentOverheadBytes: 3,
  fragment(nal, maxPayloadBytes) {
    const header = new Uint8Array([(nal[0]! & 0x81) | (H265NalType.FU << 1), nal[1]!]);
    return buildFragments(header, nal.subarray(2), maxPayloadBytes, (nal[0]! >> 1) & 0x3f);
  },
  aggregateHeaderBytes: 2,
  aggregate(nalus) {
    let f = 0;
    let layerId = 0x3f;
    let tid = 7;
    for (const n of nalus) {
      f |= n[0]! & 0x80;
      layerId = Math.min(layerId, ((n[0]! & 1) << 5) | (n[1]! >> 3));
      tid = Math.min(tid, n[1]! & 7);
    }
    return buildAggregate(
      new Uint8Array([f | (H265NalType.AP << 1) | (layerId >> 5), ((layerId & 0x1f) << 3) | tid]),
      nalus,
    );
  },
};
