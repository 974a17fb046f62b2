// src-main/media/h264: H.264 NAL types, SPS parsing and keyframe detection. Pure: bytes in, values out;
// no slice decoding, no packetization (that is media/rtp).
export { parseH264Sps } from './sps';
export type { H264Sps } from './sps';

export const H264NalType = {
  SLICE: 1,
  IDR: 5,
  SEI: 6,
  SPS: 7,
  PPS: 8,
  AUD: 9,
  STAP_A: 24,
  FU_A: 28,
} as const;

/** nal_unit_type of an H.264 NAL unit (low 5 bits of the header byte); -1 for an empty unit. */
export function h264NalType(nal: Uint8Array): number {
  return nal.length > 0 ? nal[0]! & 0x1f : -1;
}

/** True when the access unit contains an IDR slice. */
export function isH264Keyframe(nalus: Uint8Array[]): boolean {
  return nalus.some((n) => h264NalType(n) === H264NalType.IDR);
}
