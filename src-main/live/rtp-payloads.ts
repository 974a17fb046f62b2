// RTP payloads of an access unit, computed once and shared by every viewer of a hub: the hub hands
// the same AccessUnit object to all its consumers, so the payloads are cached per unit (WeakMap) and
// each viewer only writes its own headers. Parameter sets go in front of keyframes that lack them.
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

interface Entry {
  track: StreamTrack;
  payloads: Buffer[];
}

const cache = new WeakMap<AccessUnit, Map<string, Entry>>();
const packetizers = new Map<string, H264Packetizer | H265Packetizer>();

function packetizerFor(codec: VideoCodec, payloadBytes: number): H264Packetizer | H265Packetizer {
  const key = `${codec}:${payloadBytes}`;
  let p = packetizers.get(key);
  if (!p) {
    // Sequence numbers, SSRC and timestamps of these packets are ignored: only payloads are kept.
    const options = { payloadType: 96, ssrc: 0, mtu: payloadBytes };
    p = codec === 'h264' ? new H264Packetizer(options) : new H265Packetizer(options);
    packetizers.set(key, p);
  }
  return p;
}

/** The RTP payloads of one unit (the last one carries the marker bit), shared across viewers. */
export function rtpPayloads(au: AccessUnit, track: StreamTrack, payloadBytes: number): Buffer[] {
  const key = `${track.codec}:${payloadBytes}`;
  let perUnit = cache.get(au);
  const hit = perUnit?.get(key);
  if (hit && hit.track === track) return hit.payloads;
  const nalus = withParameterSets(au, track);
  const payloads = packetizerFor(track.codec, payloadBytes)
    .packetizeToPackets({ nalus, rtpTimestamp: 0 })
    .map((p) => Buffer.from(p.payload.buffer, p.payload.byteOffset, p.payload.byteLength));
  if (!perUnit) {
    perUnit = new Map();
    cache.set(au, perUnit);
  }
  perUnit.set(key, { track, payloads });
  return payloads;
}
