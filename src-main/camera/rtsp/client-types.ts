// Types shared by the RTSP client, its track handling and the camera session: options, injected
// clock and socket opener, track info and event maps. Declarations only, no behaviour beyond defaults.
import net from 'node:net';
import tls from 'node:tls';
import type { Clock, NvrError } from '../../base';
import type { AccessUnit, VideoCodec } from '../../media';

/** Opens the TCP connection to the camera; injectable for tests (default: net.connect). */
export type SocketOpener = (host: string, port: number) => net.Socket;

export const defaultSocketOpener: SocketOpener = (host, port) =>
  net.connect({ host, port, noDelay: true });

/**
 * rtsps://: TLS to the camera. Cameras (UniFi Protect, Dahua) serve self-signed certificates, so
 * by default the certificate is not checked (what ffmpeg does): the stream is encrypted but the
 * camera not authenticated. `verify` checks it against the system CAs and the host name.
 */
export function tlsSocketOpener(verify: boolean): SocketOpener {
  return (host, port) => {
    const socket = tls.connect({
      host,
      port,
      ...(net.isIP(host) === 0 ? { servername: host } : {}),
      rejectUnauthorized: verify,
    });
    socket.setNoDelay(true);
    return socket;
  };
}

export type RtspTransport = 'tcp' | 'udp' | 'auto';

export interface RtspClientOptions {
  /** rtsp://[user:pass@]host[:port]/path; credentials in the URL are used when none are given. */
  url: string;
  username?: string;
  password?: string;
  /** Default 'auto': UDP first, TCP when SETUP fails or no RTP arrives in `udpFirstPacketTimeoutMs`. */
  transport?: RtspTransport;
  /** Timeout of every step (connect, each request). Default 10 s. */
  timeoutMs?: number;
  /** In 'auto', how long to wait for the first RTP packet over UDP before falling back. Default 2 s. */
  udpFirstPacketTimeoutMs?: number;
  /** Address to bind the UDP pair; default 127.0.0.1 for a loopback camera, else 0.0.0.0. */
  udpBindAddress?: string;
  /** Interval of RTCP receiver reports. Default 5 s. */
  receiverReportIntervalMs?: number;
  userAgent?: string;
  /** rtsps:// only: check the camera's certificate (default false: self-signed certs are the norm). */
  tlsVerify?: boolean;
  signal?: AbortSignal;
  clock?: Clock;
  openSocket?: SocketOpener;
}

export interface ParameterSetsInfo {
  vps?: Uint8Array;
  sps?: Uint8Array;
  pps?: Uint8Array;
}

/** What a consumer needs to know about the video track (for an init segment, a status page). */
export interface TrackInfo {
  codec: VideoCodec;
  payloadType: number;
  clockRate: number;
  /** SETUP URL of the track (redacted: no credentials). */
  controlUrl: string;
  width?: number;
  height?: number;
  /** From the SPS VUI when present, else estimated from timestamps. */
  fps?: number;
  /** RFC 6381 codec string, e.g. 'avc1.42c01e' or 'hvc1.1.6.L93.B0'. */
  codecString?: string;
  /** From the SDP, replaced by in-band parameter sets when those appear or change. */
  parameterSets: ParameterSetsInfo;
  transport: 'tcp' | 'udp';
  /** What the camera's SDP got wrong and we read around (skipped lines, dropped parameter sets). */
  warnings?: string[];
}

export type DiscontinuityReason = 'ssrc_change' | 'timestamp_jump';

export interface RtspClientStats {
  rtpPackets: number;
  rtpBytes: number;
  /** Packets dropped: malformed, wrong payload type, or rejected by the depacketizer. */
  droppedPackets: number;
  accessUnits: number;
  rtcpPackets: number;
  receiverReportsSent: number;
}

/**
 * What a decoder would see of one connection's video track, cumulative since it connected.
 * Loss is split by cause: packets that never came (sequence gaps) and packets that came too late
 * (after the reorder buffer gave their place up, or duplicates).
 */
export interface DecodeCounters {
  transport: 'tcp' | 'udp';
  rtpPackets: number;
  /** Sequence numbers skipped (over UDP: holes the reorder buffer gave up on). */
  packetsLost: number;
  /** Packets that arrived after their place was passed (reordered too far) or twice. */
  packetsLate: number;
  /** NAL units received but never delivered (in broken or undecodable access units). */
  nalusDropped: number;
  framesEmitted: number;
  keyframesEmitted: number;
  /** Access units broken by packets that never arrived. */
  framesLostToGaps: number;
  /** Access units broken by packets that arrived too late to be used. */
  framesLostToLate: number;
  /** Whole access units without a decodable picture (references lost, keyframe without parameter sets). */
  framesUndecodable: number;
  /** Access units before the first keyframe (joining mid-GOP): expected, not loss. */
  framesBeforeKeyframe: number;
}

export type RtspClientEvents = {
  accessUnit: [au: AccessUnit, track: TrackInfo];
  parameterSetsChanged: [track: TrackInfo];
  discontinuity: [reason: DiscontinuityReason];
  /** The session ended: `error` is undefined after close(), an NvrError otherwise. */
  close: [error: NvrError | undefined];
};
