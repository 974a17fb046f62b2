// src-main/camera/rtsp: RTSP wire format, authentication and the project's own RTSP server
// (demo camera, test camera, re-stream server). The RTSP client will live here too.
export type {
  RtspHeader,
  RtspRequest,
  RtspResponse,
  InterleavedFrame,
  RtspMessage,
  RtspStreamItem,
  RtspParserOptions,
} from './message';
export {
  RtspStreamParser,
  getHeader,
  getHeaders,
  setHeader,
  bodyText,
  getCSeq,
  serializeRequest,
  serializeResponse,
  encodeInterleaved,
  STATUS_REASONS,
} from './message';
export type { TransportSpec, SessionHeader, RtpInfoEntry } from './headers';
export {
  parseTransport,
  formatTransport,
  parseSessionHeader,
  formatSessionHeader,
  parseRtpInfo,
  formatRtpInfo,
  parseMethodList,
} from './headers';
export type {
  AuthChallenge,
  AuthUser,
  AuthSchemeOption,
  AuthVerdict,
  DigestAlgorithm,
  DigestInput,
  ClientCredentials,
  ServerAuthOptions,
} from './auth';
export {
  parseWwwAuthenticate,
  parseAuthorization,
  computeDigestResponse,
  buildBasicAuthorization,
  buildDigestAuthorization,
  chooseChallenge,
  ServerAuthenticator,
} from './auth';
export type { Clip, ClipParameterSets, LoadClipOptions } from './clip-source';
export { loadClip, parseClip, ClipLooper, codecFromFileName } from './clip-source';
export type { RtspServerOptions, RtspServerStats, MountStats } from './server';
export { RtspServer } from './server';
export { payloadHasKeyframe } from './rtp-keyframe';
// RTSP client (one camera stream) and the camera session that keeps it flowing.
export type {
  SocketOpener,
  RtspTransport,
  RtspClientOptions,
  RtspClientStats,
  DecodeCounters,
  RtspClientEvents,
  TrackInfo,
  ParameterSetsInfo,
  DiscontinuityReason,
} from './client-types';
export { defaultSocketOpener } from './client-types';
export { RtspClient } from './client';
export type { RtpFaults } from './faults';
export { parseRtspUrl } from './client-url';
export type { ParsedUrl } from './client-url';
export type { AccessUnitItem } from './client-iterator';
export type {
  CameraSessionState,
  CameraSessionError,
  RunReason,
  RunInfo,
  RtspClientLike,
  RtspCameraSessionOptions,
  RtspCameraSessionEvents,
  TransportFallback,
} from './client-session';
export { StreamHealthMonitor, DEFAULT_HEALTH_THRESHOLDS } from './stream-health';
export type { DecodeTotals, HealthThresholds, HealthVerdict, StreamHealth } from './stream-health';
export { RtspCameraSession, userMessage } from './client-session';
export type { CameraStreamStats } from './client-stats';
export type { RtspQuirk } from './quirks';
export {
  RTSP_QUIRKS,
  REDIRECT_QUIRK,
  RTSPS_QUIRK,
  quirkByName,
  quirkMountPath,
  quirkCameraUrl,
} from './quirks';
