// Trouble the project's RTSP server can inject into what it sends, for tests and manual testing of
// the client's decode health: deterministic RTP loss over UDP and keyframes that never arrive.
// Wraps a reader's sink; owns nothing else.
import type { VideoCodec } from '../../media';
import type { RtpSink } from './fanout';
import { payloadHasKeyframe } from './rtp-keyframe';

export interface RtpFaults {
  /**
   * Drops this share (percent, 0–100) of the RTP packets each UDP reader gets, evenly spaced and
   * deterministic (2 drops every 50th packet). TCP readers are not affected, as on a real network.
   */
  udpDropRtpPercent?: number;
  /** Drops every RTP packet carrying (part of) a keyframe or its parameter sets, on any transport. */
  dropKeyframes?: boolean;
}

/** RTP header length (fixed part, CSRCs and extension) or undefined when the packet is too short. */
function payloadOffset(packet: Uint8Array): number | undefined {
  if (packet.length < 12) return undefined;
  let off = 12 + (packet[0]! & 0x0f) * 4;
  if (packet[0]! & 0x10) {
    if (packet.length < off + 4) return undefined;
    off += 4 + ((packet[off + 2]! << 8) | packet[off + 3]!) * 4;
  }
  return off <= packet.length ? off : undefined;
}

/** A sink that applies the faults `current()` returns at each packet (they may change live). */
export function withFaults(
  sink: RtpSink,
  current: () => RtpFaults | undefined,
  codec: VideoCodec | undefined,
  transport: 'tcp' | 'udp',
): RtpSink {
  let sent = 0;
  return {
    sendRtp(packet) {
      const f = current();
      if (f) {
        const pct = transport === 'udp' ? Math.min(100, Math.max(0, f.udpDropRtpPercent ?? 0)) : 0;
        const n = sent++;
        if (pct > 0 && Math.floor(((n + 1) * pct) / 100) > Math.floor((n * pct) / 100)) return;
        if (f.dropKeyframes && codec) {
          const off = payloadOffset(packet);
          if (off !== undefined && payloadHasKeyframe(codec, packet.subarray(off))) return;
        }
      }
      sink.sendRtp(packet);
    },
    sendRtcp: (packet) => sink.sendRtcp(packet),
    congested: () => sink.congested(),
  };
}
