// Wires the playback module into the engine: a PlaybackService over the recording index (ffmpeg found
// as native/ says, live snapshots from the workers' hubs), its API handlers, resource routes and the
// segment-file route, and export progress as events. Holds no playback state of its own.
import { statfsSync } from 'node:fs';
import path from 'node:path';
import type { Clock, Logger } from '../base';
import { PlaybackService, playbackHandlers, playbackResources } from '../playback';
import type { PlaybackServiceOptions } from '../playback';
import type { ExportCaller, LiveGop, PlaybackHandlers } from '../playback';
import { currentCallContext } from '../server';
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
  /** Export quotas (defaults: EXPORT_LIMIT_DEFAULTS) and the free space exports leave. */
  exportLimits?: PlaybackServiceOptions['exportLimits'];
}

/** The caller of the current API call: a signed-in user owns exports; no principal is the local admin. */
export function exportCaller(): ExportCaller {
  const p = currentCallContext()?.principal;
  return p ? { owner: `user:${p.userId}`, admin: p.role === 'admin' } : { admin: true };
}

/** Free bytes of the volume holding `dir` (its nearest existing parent). */
function freeBytesOf(dir: string): number {
  for (let d = dir; ; d = path.dirname(d)) {
    try {
      const s = statfsSync(d);
      return s.bavail * s.bsize;
    } catch {
      if (path.dirname(d) === d) return Number.POSITIVE_INFINITY;
    }
  }
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
  /** The recordings' free-space floor (retention); exports keep twice this free. Default 1 GiB. */
  minFreeBytes?: number;
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
    exportLimits: {
      freeBytes: () => freeBytesOf(opts.dataDir),
      // The recordings' free-space floor, and as much again: exports never push recordings out.
      minFreeBytes: 2 * (opts.minFreeBytes ?? 1024 ** 3),
      ...o.exportLimits,
    },
  });
  const resources = playbackResources(service, exportCaller);
  return {
    service,
    handlers: playbackHandlers(service, {
      baseUrl: opts.baseUrl,
      cameraIds: () => opts.store.list().map((c) => c.id),
      caller: exportCaller,
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
