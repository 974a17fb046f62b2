// From what a camera session knows about its track (RTSP TrackInfo) to the hub's StreamTrack: a new
// object only when what an init segment holds changes (codec or parameter set bytes), so consumers
// can tell a real change (new init segment) by identity.
import type { StreamTrack } from './stream-hub';
import type { TrackInfo } from './rtsp';

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The hub's track for `t`, `previous` when nothing an init segment holds changed (or t is incomplete). */
export function toStreamTrack(t: TrackInfo, previous?: StreamTrack): StreamTrack | undefined {
  const { sps, pps, vps } = t.parameterSets;
  if (!sps || !pps || !t.width || !t.height || !t.codecString) return previous;
  if (
    previous &&
    previous.codec === t.codec &&
    sameBytes(previous.parameterSets.sps, sps) &&
    sameBytes(previous.parameterSets.pps, pps) &&
    sameBytes(previous.parameterSets.vps, vps)
  ) {
    return previous;
  }
  return {
    codec: t.codec,
    width: t.width,
    height: t.height,
    codecString: t.codecString,
    ...(t.fps !== undefined ? { fps: t.fps } : {}),
    parameterSets: { sps, pps, ...(vps ? { vps } : {}) },
  };
}
