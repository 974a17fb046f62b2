// src-main/live: live view. WebRTC viewers over werift (WHEP signalling, RTP passed through from the
// StreamHub, instant start from the cached keyframe group), live HLS (fMP4) and the opt-in H.264
// transcode. The only module that imports werift; it reaches cameras only through an injected openHub.
export { LiveService } from './live-service';
export {
  RemoteWhepBackend,
  serveWhep,
  isWhepWorkerCommand,
  isWhepWorkerMessage,
} from './whep-remote';
export type { WhepWorkerCommand, WhepWorkerMessage, WhepWorkerSide } from './whep-remote';
export type { WhepBackend, WhepBackendEvents, WhepSettings, WhepViewerStats } from './whep-host';
export { nativeSrtpLoader } from './native-srtp';
export type {
  OpenHub,
  LiveServiceOptions,
  LiveHlsSettings,
  TranscodeSettings,
  WhepRequest,
  WhepAnswer,
  ViewerStats,
  ViewerKind,
  LiveHlsFile,
} from './types';
export type { IceServer } from './whep-session';
