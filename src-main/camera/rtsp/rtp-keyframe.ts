// Keyframe detection on RTP payloads (H.264 RFC 6184, H.265 RFC 7798) for relayed streams, so the
// fan-out can start new readers and drop slow ones at a keyframe. Looks at NAL headers only.
import type { VideoCodec } from '../../media';

const H264_KEY = new Set([5, 7]); // IDR slice, SPS
const isH265Key = (t: number): boolean => (t >= 16 && t <= 23) || t === 32 || t === 33; // IRAP, VPS, SPS

/** True when the RTP payload carries (part of) a keyframe or the parameter sets that open one. */
export function payloadHasKeyframe(codec: VideoCodec, payload: Uint8Array): boolean {
  if (payload.length < 2) return false;
  if (codec === 'h264') {
    const t = payload[0]! & 0x1f;
    if (t >= 1 && t <= 23) return H264_KEY.has(t);
    if (t === 28 || t === 29) return H264_KEY.has(payload[1]! & 0x1f); // FU-A / FU-B
    if (t === 24) {
      // STAP-A: [hdr] ([size16][nal])*
      for (let i = 1; i + 2 < payload.length;) {
        const size = (payload[i]! << 8) | payload[i + 1]!;
        if (size > 0 && H264_KEY.has(payload[i + 2]! & 0x1f)) return true;
        i += 2 + size;
      }
    }
    return false;
  }
  const t = (payload[0]! >> 1) & 0x3f;
  if (t < 48) return isH265Key(t);
  if (t === 49) return payload.length > 2 && isH265Key(payload[2]! & 0x3f); // FU
  if (t === 48) {
    // AP: [hdr 2] ([size16][nal])*
    for (let i = 2; i + 2 < payload.length;) {
      const size = (payload[i]! << 8) | payload[i + 1]!;
      if (size > 0 && isH265Key((payload[i + 2]! >> 1) & 0x3f)) return true;
      i += 2 + size;
    }
  }
  return false;
}
