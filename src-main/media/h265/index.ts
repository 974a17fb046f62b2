// src-main/media/h265: H.265 NAL types, SPS parsing (everything an hvcC box needs) and keyframe
// detection. Pure: bytes in, values out; no slice decoding, no packetization (that is media/rtp).
export { parseH265Sps, h265CodecString } from './sps';
export type { H265Sps } from './sps';
export type { ProfileTierLevel } from './profile-tier-level';

export const H265NalType = {
  TRAIL_N: 0,
  TRAIL_R: 1,
  BLA_W_LP: 16,
  BLA_W_RADL: 17,
  BLA_N_LP: 18,
  IDR_W_RADL: 19,
  IDR_N_LP: 20,
  CRA: 21,
  VPS: 32,
  SPS: 33,
  PPS: 34,
  AUD: 35,
  PREFIX_SEI: 39,
  SUFFIX_SEI: 40,
  AP: 48,
  FU: 49,
} as const;

/** nal_unit_type of an H.265 NAL unit (bits 1..6 of the first header byte); -1 for an empty unit. */
export function h265NalType(nal: Uint8Array): number {
  return nal.length > 0 ? (nal[0]! >> 1) & 0x3f : -1;
}

/** True for IRAP NAL types (16..23: BLA, IDR, CRA and the reserved IRAP types). */
export function isH265IrapType(type: number): boolean {
  return type >= 16 && type <= 23;
}

/** True when the access unit contains an IRAP picture (a random access point). */
export function isH265Keyframe(nalus: Uint8Array[]): boolean {
  return nalus.some((n) => isH265IrapType(h265NalType(n)));
}
