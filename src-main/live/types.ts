// Public types of the live module: what the engine injects (openHub, limits, ICE) and what it reads
// back (viewer statistics). No behaviour here.
import type { Logger } from '../base';
import type { StreamHub } from '../camera';
import type { VideoCodec } from '../media';
import type { StreamName } from '../../src-preload/contract';
import type { WhepBackend, WhepBackendEvents, WhepSettings } from './whep-host';
import type { IceServer } from './whep-session';

/** Mirrors one camera stream's hub into this thread; the cached keyframe group arrives at once. */
export type OpenHub = (
  cameraId: string,
  stream: StreamName,
) => Promise<{ hub: StreamHub; release(): void }>;

export interface LiveHlsSettings {
  /** Default 1000 ms. */
  segmentDurationMs?: number;
  /** Segments listed in the playlist. Default 6. */
  windowSegments?: number;
  /** A live HLS stream nobody requested for this long stops. Default 30 s. */
  idleMs?: number;
}

export interface TranscodeSettings {
  /** ffmpeg binary (e.g. from native/). */
  ffmpegPath: string;
  /** Output bitrate of the H.264 transcode. Default 2000 kb/s. */
  bitrateKbps?: number;
}

export interface LiveServiceOptions {
  openHub: OpenHub;
  /** STUN/TURN servers; none by default (host candidates only). */
  iceServers?: IceServer[];
  /**
   * Bind ICE sockets to this one address and advertise only it (the engine passes 127.0.0.1 when it
   * serves loopback only). Unset: loopback plus every LAN interface.
   */
  iceBindAddress?: string;
  maxViewersPerStream: number;
  maxViewersTotal: number;
  /**
   * Slots of one stream a single user (WhepRequest.owner) may hold, so one viewer cannot take them
   * all; default half the stream's slots, rounded up. Requests without an owner are not counted.
   */
  maxViewersPerUserPerStream?: number;
  /** A viewer that does not connect within this long is closed. */
  sessionTimeoutMs: number;
  /**
   * A connected viewer whose client sends no RTCP for this long is closed (browsers report about
   * every second; a closed tab sends nothing). Default: the smaller of 8 s and sessionTimeoutMs.
   */
  silenceTimeoutMs?: number;
  logger: Logger;
  /** How long a new viewer waits for a stream that has not delivered a frame yet. Default 5 s. */
  trackWaitMs?: number;
  /** How long candidate gathering may take (only matters with STUN/TURN servers or a starved event loop). Default 8 s. */
  gatherTimeoutMs?: number;
  hls?: LiveHlsSettings;
  /** Enables the opt-in H.265 → H.264 transcode (`transcode: 'h264'`); off when absent. */
  transcode?: TranscodeSettings;
  /** Called when the number of viewers of a stream changes. */
  onViewersChanged?: (cameraId: string, stream: StreamName, viewers: number) => void;
  /** Wall clock, ms since epoch. */
  nowMs?: () => number;
  /**
   * werift is loaded on the first WHEP offer; with this set it is also loaded in the background this
   * long after start, so neither the start nor (usually) the first viewer waits for it.
   */
  prewarmWebRtcMs?: number;
  /**
   * Seal and send RTP with the native SRTP sender (native/srtp-sender) when it loads. Default true;
   * NVR_NATIVE_SRTP=0 in the environment also turns it off.
   */
  nativeSrtp?: boolean;
  /**
   * Where viewers of camera streams run: the engine passes a backend that runs them in the recording
   * worker owning the stream (whep-remote). Default: a WhepHost in this thread over `openHub`.
   */
  whepBackend?: (events: WhepBackendEvents, settings: WhepSettings) => WhepBackend;
}

export interface WhepRequest {
  cameraId: string;
  stream: StreamName;
  offerSdp: string;
  /** 'h264': serve an H.265 camera through the ffmpeg transcode (needs `transcode` settings). */
  transcode?: 'h264';
  /** Who asks (a user id): counted against maxViewersPerUserPerStream. Absent for the local app. */
  owner?: string;
}

export interface WhepAnswer {
  answerSdp: string;
  sessionId: string;
}

export type ViewerKind = 'webrtc' | 'hls';

export interface ViewerStats {
  /** WHEP session id, or `hls:<cameraId>:<stream>` for a live HLS stream. */
  sessionId: string;
  kind: ViewerKind;
  cameraId: string;
  stream: StreamName;
  codec?: VideoCodec;
  state: 'connecting' | 'connected';
  startedMs: number;
  connectedMs?: number;
  bytesSent: number;
  packetsSent: number;
  framesSent: number;
  plis: number;
  nacks: number;
  /** Times this viewer fell behind and was moved to the next keyframe. */
  stalls: number;
}

export interface LiveHlsFile {
  contentType: string;
  body: string | Uint8Array;
}
