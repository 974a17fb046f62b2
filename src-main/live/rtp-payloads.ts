// RTP payloads of an access unit, computed once and shared by every viewer of a hub: the hub hands
// the same AccessUnit object to all its consumers one after another, so the last unit's payloads are
// kept and each viewer only writes its own headers. Parameter sets go in front of keyframes that
// lack them.
import type { StreamTrack } from '../camera';
import type { AccessUnit, VideoCodec } from '../media';
import { H264Packetizer, H265Packetizer } from '../media/rtp';

const PARAM_TYPES: Record<VideoCodec, readonly number[]> = { h264: [7, 8], h265: [32, 33, 34] };

function nalType(codec: VideoCodec, nal: Uint8Array): number {
  if (nal.length === 0) return -1;
  return codec === 'h264' ? nal[0]! & 0x1f : (nal[0]! >> 1) & 0x3f;
}

/** The unit's NAL units, with the track's parameter sets in front of a keyframe that lacks them. */
export function withParameterSets(au: AccessUnit, track: StreamTrack): Uint8Array[] {
  if (!au.isKeyframe) return au.nalus;
  const types = new Set(au.nalus.map((n) => nalType(track.codec, n)));
  if (PARAM_TYPES[track.codec].every((t) => types.has(t))) return au.nalus;
  const ps = track.parameterSets;
  const sets = track.codec === 'h265' && ps.vps ? [ps.vps, ps.sps, ps.pps] : [ps.sps, ps.pps];
  const params = new Set(PARAM_TYPES[track.codec]);
  return [...sets, ...au.nalus.filter((n) => !params.has(nalType(track.codec, n)))];
}

const packetizers = new Map<string, H264Packetizer | H265Packetizer>();

function packetizerFor(codec: VideoCodec, payloadBytes: number): H264Packetizer | H265Packetizer {
  const key = `${codec}:${payloadBytes}`;
  let p = packetizers.get(key);
  if (!p) {
    // Only payloads are taken from it: its sequence numbers, SSRC and timestamps are never used.
    const options = { payloadType: 96, ssrc: 0, mtu: payloadBytes };
    p = codec === 'h264' ? new H264Packetizer(options) : new H265Packetizer(options);
    packetizers.set(key, p);
  }
  return p;
}

/**
 * The last unit's payloads. The hub hands each live unit to all its consumers in one go, so one entry
 * serves every viewer of it; payloads kept for a whole keyframe group would outlive the young
 * generation and cost major collections, for the rare replay that can recompute them.
 */
let last:
  { au: AccessUnit; track: StreamTrack; payloadBytes: number; payloads: Buffer[] } | undefined;

/** The RTP payloads of one unit (the last one carries the marker bit), shared across viewers. */
export function rtpPayloads(au: AccessUnit, track: StreamTrack, payloadBytes: number): Buffer[] {
  if (last?.au === au && last.track === track && last.payloadBytes === payloadBytes)
    return last.payloads;
  const payloads = packetizerFor(track.codec, payloadBytes)
    .payloadsOf(withParameterSets(au, track))
    .map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength));
  last = { au, track, payloadBytes, payloads };
  return payloads;
}
