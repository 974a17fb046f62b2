// The contract's playback methods over a PlaybackService: NvrApi handlers (timeline, recordings,
// background exports) and the resource routes (playlist, snapshot, MP4 download, export file,
// thumbnail) plus the segment-file route. Inputs arrive validated by the contract's schemas.
import { NvrError } from '../base';
import { methodPath } from '../../src-preload/contract';
import type { MethodParsedInput, NvrHandlers, StreamName } from '../../src-preload/contract';
import type { PlaybackReply } from './http-range';
import type { PlaybackService } from './playback-service';
import { LOCAL_CALLER } from './export-jobs';
import type { ExportCaller } from './export-jobs';

export type PlaybackMethodName =
  | 'listRecordings'
  | 'getTimeline'
  | 'startExport'
  | 'listExports'
  | 'getExport'
  | 'cancelExport'
  | 'deleteExport'
  | 'getExportFileUrl';

export type PlaybackHandlers = Pick<NvrHandlers, PlaybackMethodName>;

export interface PlaybackHandlerOptions {
  /** Base URL of the HTTP server once listening (resource URLs for IPC clients). */
  baseUrl: () => string | undefined;
  /** Configured cameras (the timeline's default list adds cameras that only have recordings). */
  cameraIds?: () => string[];
  /** Who calls (export ownership and per-user quotas); default the local admin. */
  caller?: () => ExportCaller;
}

export function playbackHandlers(
  service: PlaybackService,
  opts: PlaybackHandlerOptions,
): PlaybackHandlers {
  const caller = opts.caller ?? (() => LOCAL_CALLER);
  return {
    listRecordings: async ({ id, stream, from, to }) => ({
      ranges: service.ranges({ cameraId: id, stream, fromMs: from, toMs: to }),
    }),
    getTimeline: async (input) => {
      const known = service.recordedCameraIds();
      const ids = input.cameraIds ?? [...new Set([...(opts.cameraIds?.() ?? []), ...known])].sort();
      const streams = ids.flatMap((cameraId) =>
        input.streams.map((stream) => ({ cameraId, stream })),
      );
      const timeline = service.timeline({
        streams,
        fromMs: input.from,
        toMs: input.to,
        utcOffsetMinutes: input.utcOffsetMinutes,
        ...(input.bucket ? { bucket: input.bucket } : {}),
        ...(input.sizes ? { withBytes: true } : {}),
      });
      return {
        from: input.from,
        to: input.to,
        streams: timeline.map((t) => ({ ...t, stream: t.stream as StreamName })),
      };
    },
    startExport: async (req) =>
      service.startExport(
        {
          cameraIds: req.cameraIds,
          stream: req.stream,
          fromMs: req.from,
          toMs: req.to,
          gaps: req.gaps,
        },
        caller(),
      ),
    listExports: async () => service.exports.list(caller()),
    getExport: async ({ id }) => service.exports.get(id, caller()),
    cancelExport: async ({ id }) => service.exports.cancel(id, caller()),
    deleteExport: async ({ id }) => {
      await service.exports.delete(id, caller());
      return { ok: true };
    },
    getExportFileUrl: async ({ id }) => {
      await service.exports.file(id, caller());
      const base = opts.baseUrl();
      if (!base) throw new NvrError('unavailable', 'the HTTP server is not listening yet');
      return { url: base + methodPath('getExportFileUrl', { id }) };
    },
  };
}

/** What the server passes to a resource handler (its ResourceRequest, plus conditional headers). */
export interface PlaybackRequest {
  range?: string;
  ifNoneMatch?: string;
  signal: AbortSignal;
}

type Resource<K extends keyof PlaybackResourceInputs> = (
  input: PlaybackResourceInputs[K],
  request: PlaybackRequest,
) => Promise<PlaybackReply>;

interface PlaybackResourceInputs {
  getVodPlaylistUrl: MethodParsedInput<'getVodPlaylistUrl'>;
  getSnapshotUrl: MethodParsedInput<'getSnapshotUrl'>;
  getClipDownloadUrl: MethodParsedInput<'getClipDownloadUrl'>;
  getExportFileUrl: MethodParsedInput<'getExportFileUrl'>;
  getThumbnailUrl: MethodParsedInput<'getThumbnailUrl'>;
}

/** Resource routes (the server's ResourceHandlers shape) and the segment-file route. */
export type PlaybackResources = { [K in keyof PlaybackResourceInputs]: Resource<K> } & {
  /** GET /api/segments/:segmentId.mp4 — bytes of a segment file by its index id. */
  segmentFile: (segmentId: number, request: PlaybackRequest) => Promise<PlaybackReply>;
};

export function playbackResources(
  service: PlaybackService,
  caller: () => ExportCaller = () => LOCAL_CALLER,
): PlaybackResources {
  return {
    getVodPlaylistUrl: (i) =>
      service.playlistReply({ cameraId: i.id, stream: i.stream, fromMs: i.from, toMs: i.to }),
    getSnapshotUrl: (i, r) =>
      service.snapshotReply(
        {
          cameraId: i.id,
          stream: i.stream,
          ...(i.time !== undefined ? { timeMs: i.time } : {}),
          ...(i.mode ? { mode: i.mode } : {}),
          ...(i.width !== undefined ? { widthPx: i.width } : {}),
        },
        r.signal,
      ),
    getClipDownloadUrl: (i, r) =>
      service.exportDownload(
        { cameraIds: [i.id], stream: i.stream, fromMs: i.from, toMs: i.to, gaps: 'preserve' },
        r.signal,
      ),
    getExportFileUrl: (i, r) => service.exports.fileReply(i.id, r.range, caller()),
    getThumbnailUrl: (i) =>
      service.thumbnailReply({
        cameraId: i.id,
        stream: i.stream,
        timeMs: i.time,
        ...(i.width !== undefined ? { widthPx: i.width } : {}),
      }),
    segmentFile: (segmentId, r) =>
      service.segmentReply(segmentId, {
        ...(r.range ? { range: r.range } : {}),
        ...(r.ifNoneMatch ? { ifNoneMatch: r.ifNoneMatch } : {}),
      }),
  };
}
