// Wires the playback module into the engine: a PlaybackService over the recording index (ffmpeg found
// as native/ says, live snapshots from the workers' hubs), its API handlers, resource routes and the
// segment-file route, and export progress as events. Holds no playback state of its own.
import type { Clock, Logger } from '../base';
import { PlaybackService, playbackHandlers, playbackResources } from '../playback';
import type { LiveGop, PlaybackHandlers } from '../playback';
import type { ResourceHandlers, SegmentFileHandler } from '../server';
import type { StreamName } from '../../src-preload/contract';
import { findFfmpeg } from '../../native';
import type { CameraStore } from './camera-store';
import type { EventBus } from './event-bus';
import type { EngineRecording } from './recording';

export interface EnginePlaybackOptions {
  /** Longest export window; default 24 h. */
  exportCapMs?: number;
  /** ffmpeg for snapshots and thumbnails; found in native/ or PATH by default, `false` disables. */
  ffmpegPath?: string | false;
}

export interface EnginePlayback {
  readonly service: PlaybackService;
  readonly handlers: PlaybackHandlers;
  readonly resources: Pick<
    ResourceHandlers,
    | 'getVodPlaylistUrl'
    | 'getSnapshotUrl'
    | 'getClipDownloadUrl'
    | 'getExportFileUrl'
    | 'getThumbnailUrl'
  >;
  readonly segmentFiles: SegmentFileHandler;
  close(): Promise<void>;
}

export function createEnginePlayback(opts: {
  recording: EngineRecording;
  store: CameraStore;
  dataDir: string;
  clock: Clock;
  logger: Logger;
  bus: EventBus;
  baseUrl: () => string | undefined;
  options?: EnginePlaybackOptions;
}): EnginePlayback {
  const o = opts.options ?? {};
  const { recording } = opts;
  const liveGop = async (cameraId: string, stream: string): Promise<LiveGop | undefined> => {
    if (!recording.service.report(cameraId, stream as StreamName)) return undefined;
    const { hub, release } = await recording.service.openHub(cameraId, stream as StreamName);
    try {
      const track = hub.track;
      const units = [...hub.gop];
      return track ? { codec: track.codec, parameterSets: track.parameterSets, units } : undefined;
    } finally {
      release();
    }
  };
  const service = new PlaybackService({
    index: recording.index,
    dataDir: opts.dataDir,
    ffmpegPath: o.ffmpegPath === false ? undefined : (o.ffmpegPath ?? findFfmpeg()),
    clock: opts.clock,
    logger: opts.logger,
    ...(o.exportCapMs !== undefined ? { exportCapMs: o.exportCapMs } : {}),
    cameraExists: (id) => opts.store.get(id) !== undefined,
    liveGop,
    onExportProgress: (job) => opts.bus.emit('export.progress', job),
  });
  const resources = playbackResources(service);
  return {
    service,
    handlers: playbackHandlers(service, {
      baseUrl: opts.baseUrl,
      cameraIds: () => opts.store.list().map((c) => c.id),
    }),
    resources: {
      getVodPlaylistUrl: resources.getVodPlaylistUrl,
      getSnapshotUrl: resources.getSnapshotUrl,
      getClipDownloadUrl: resources.getClipDownloadUrl,
      getExportFileUrl: resources.getExportFileUrl,
      getThumbnailUrl: resources.getThumbnailUrl,
    },
    segmentFiles: resources.segmentFile,
    close: () => service.dispose(),
  };
}
