// src-main/playback: timeline data, byte-range HLS playback, MP4 export (download and background jobs),
// snapshots and timeline thumbnails, from the recording index and the segment files it names.
export { PlaybackService, DEFAULT_EXPORT_CAP_MS } from './playback-service';
export type {
  PlaybackServiceOptions,
  WindowInput,
  SnapshotInput,
  ExportInput,
  LiveGop,
} from './playback-service';
export type { PlaybackReply } from './http-range';
export { parseRange } from './http-range';
export type { PreparedExport } from './export-prepare';
export { EXPORT_LIMIT_DEFAULTS, LOCAL_CALLER } from './export-jobs';
export type { ExportCaller } from './export-jobs';
export { isoBasic } from './export-prepare';
export type { GapMode } from './export-plan';
export { queryTimeline, mergeRanges, gapsOf, coverage, HOUR_MS, DAY_MS } from './timeline';
export type { TimelineQuery, StreamTimeline, CoverageBucket } from './timeline';
export { planFragments, segmentWallMs } from './fragment-plan';
export type { TimedFragment } from './fragment-plan';
export { buildMediaPlaylist, hlsEntries } from './hls-playlist';
export { decodeFrameToJpeg, toAnnexB } from './frame-decoder';
export { playbackHandlers, playbackResources } from './playback-api';
export type {
  PlaybackResources,
  PlaybackHandlers,
  PlaybackHandlerOptions,
  PlaybackMethodName,
  PlaybackRequest,
} from './playback-api';
