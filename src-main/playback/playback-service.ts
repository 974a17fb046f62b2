// PlaybackService: timeline data, byte-range HLS playlists and segment bytes, MP4 export (download and
// background jobs), snapshots and thumbnails, all from the index and the segment files it names.
// Every reader holds what it reads (retention waits). Never writes recordings; never decodes but via ffmpeg.
import type { Readable } from 'node:stream';
import type { Clock, Logger } from '../base';
import { NvrError } from '../base';
import type { AccessUnit, VideoCodec } from '../media';
import { accessUnitToSample } from '../media/fmp4';
import { createSegmentReadStream, segmentFileSize } from '../storage';
import type { RecordingIndex, SegmentRow } from '../storage';
import type { ExportJob } from '../../src-preload/contract';
import { ExportJobs, LOCAL_CALLER } from './export-jobs';
import type { ExportCaller, ExportJobRequest, ExportJobsOptions } from './export-jobs';
import { prepareExport } from './export-prepare';
import type { PreparedExport } from './export-prepare';
import type { GapMode } from './export-plan';
import { planFragments, planRanges } from './fragment-plan';
import type { TimedFragment } from './fragment-plan';
import { Semaphore, decodeFrameToJpeg } from './frame-decoder';
import { buildMediaPlaylist, hlsEntries } from './hls-playlist';
import { attachment, etagMatches, parseRange } from './http-range';
import type { PlaybackReply } from './http-range';
import { TtlLeases } from './read-leases';
import { readRecordedFrames } from './recorded-frames';
import { ThumbnailCache } from './thumbnails';
import { queryTimeline } from './timeline';
import type { StreamTimeline, TimelineQuery } from './timeline';

/** The hub's cached keyframe group of a live stream (for live snapshots). */
export interface LiveGop {
  codec: VideoCodec;
  parameterSets: { vps?: Uint8Array; sps: Uint8Array; pps: Uint8Array };
  units: readonly AccessUnit[];
}

export interface PlaybackServiceOptions {
  index: RecordingIndex;
  dataDir: string;
  /** ffmpeg for snapshots and thumbnails; undefined turns them off ('unavailable'). */
  ffmpegPath: string | undefined;
  clock: Clock;
  logger: Logger;
  /** Longest export window (default 24 h). */
  exportCapMs?: number;
  /** Whether a camera is configured (recordings of deleted cameras stay playable until retention). */
  cameraExists?: (cameraId: string) => boolean;
  /** The live GOP of a camera stream, when it streams. */
  liveGop?: (
    cameraId: string,
    stream: string,
  ) => Promise<LiveGop | undefined> | LiveGop | undefined;
  onExportProgress?: (job: ExportJob) => void;
  /** URL of a segment file in playlists. Default `/api/segments/<id>.mp4`. */
  segmentUrl?: (segmentId: number) => string;
  /** URL of a finished background export. Default `/api/exports/<id>/file`. */
  exportFileUrl?: (exportId: string) => string;
  /** Thumbnail interval (default 60 s) and width (default 160 px). */
  thumbnailIntervalMs?: number;
  thumbnailWidthPx?: number;
  /** Bytes the thumbnail cache may hold (default 1 GiB); beyond it thumbnails are served uncached. */
  thumbnailCacheBytes?: number;
  /** How long a playlist keeps its segments from retention after the player's last request (5 min). */
  playbackLeaseMs?: number;
  /** ffmpeg processes at once (default 2). */
  maxDecoders?: number;
  /** Export quotas and the free-space floor they keep (export-jobs.ts; defaults there). */
  exportLimits?: Pick<
    ExportJobsOptions,
    'maxJobsPerOwner' | 'maxBytesPerOwner' | 'quotaBytes' | 'freeBytes' | 'minFreeBytes' | 'keepMs'
  >;
}

export interface WindowInput {
  cameraId: string;
  stream: string;
  fromMs: number;
  toMs: number;
}

export interface SnapshotInput {
  cameraId: string;
  stream: string;
  /** Absent: live, from the GOP cache. */
  timeMs?: number;
  /** 'precise' (default): the frame shown at timeMs; 'before': the keyframe at or before it. */
  mode?: 'precise' | 'before';
  widthPx?: number;
}

export interface ExportInput {
  cameraIds: string[];
  stream: string;
  fromMs: number;
  toMs: number;
  gaps?: GapMode;
}

export const DEFAULT_EXPORT_CAP_MS = 24 * 3_600_000;
const IMMUTABLE = 'public, max-age=31536000, immutable';

export class PlaybackService {
  readonly exports: ExportJobs;
  readonly thumbnails: ThumbnailCache;
  private readonly leases: TtlLeases;
  private readonly decoders: Semaphore;
  private readonly segmentUrl: (id: number) => string;
  private readonly pruneTimer: NodeJS.Timeout;

  constructor(private readonly opts: PlaybackServiceOptions) {
    this.segmentUrl = opts.segmentUrl ?? ((id) => `/api/segments/${id}.mp4`);
    this.leases = new TtlLeases(opts.index, opts.playbackLeaseMs ?? 300_000);
    this.decoders = new Semaphore(opts.maxDecoders ?? 2);
    this.exports = new ExportJobs({
      dataDir: opts.dataDir,
      clock: opts.clock,
      logger: opts.logger,
      prepare: (req, signal) => this.prepareExport({ ...req }, signal),
      ...(opts.onExportProgress ? { onProgress: opts.onExportProgress } : {}),
      fileUrl: opts.exportFileUrl ?? ((id) => `/api/exports/${encodeURIComponent(id)}/file`),
      ...opts.exportLimits,
    });
    void this.exports.cleanStale();
    this.thumbnails = new ThumbnailCache({
      dataDir: opts.dataDir,
      index: opts.index,
      logger: opts.logger,
      intervalMs: opts.thumbnailIntervalMs ?? 60_000,
      render: (cameraId, stream, bucketMs, widthPx) =>
        this.renderThumbnail(cameraId, stream, bucketMs, widthPx),
      ...(opts.thumbnailCacheBytes !== undefined ? { maxBytes: opts.thumbnailCacheBytes } : {}),
    });
    this.pruneTimer = setInterval(() => {
      void this.pruneThumbnails();
      void this.exports.prune();
    }, 10 * 60_000);
    this.pruneTimer.unref();
  }

  async dispose(): Promise<void> {
    clearInterval(this.pruneTimer);
    await this.exports.dispose();
    this.leases.dispose();
  }

  // ---- checks ----

  private checkStream(cameraId: string, stream: string): void {
    const known = this.opts.index.listStreams();
    const camera = known.some((s) => s.cameraId === cameraId) || this.opts.cameraExists?.(cameraId);
    if (!camera)
      throw new NvrError('not_found', `no camera ${cameraId}`, { field: 'id', cameraId });
    if (!known.some((s) => s.cameraId === cameraId && s.stream === stream))
      throw new NvrError('not_found', `camera ${cameraId} has no recordings of stream ${stream}`, {
        field: 'stream',
        cameraId,
        stream,
      });
  }

  private checkWindow(w: { fromMs: number; toMs: number }): void {
    if (!Number.isFinite(w.fromMs) || !Number.isFinite(w.toMs) || w.fromMs >= w.toMs)
      throw new NvrError('bad_request', 'to: must be after from', {
        field: 'to',
        fromMs: w.fromMs,
        toMs: w.toMs,
      });
  }

  private nothingRecorded(w: WindowInput): NvrError {
    return new NvrError(
      'not_found',
      `nothing recorded for ${w.cameraId}/${w.stream} between ${new Date(w.fromMs).toISOString()} and ${new Date(w.toMs).toISOString()}`,
      { field: 'from', cameraId: w.cameraId, stream: w.stream, fromMs: w.fromMs, toMs: w.toMs },
    );
  }

  /** Index rows and file sizes → a plan; missing/truncated files are logged and skipped. */
  private async plan(
    w: WindowInput,
    options: { startAtKeyframe?: boolean } = {},
  ): Promise<{ rows: SegmentRow[]; plan: TimedFragment[] }> {
    const rows = this.opts.index.querySegments(w);
    const sizes = new Map<number, number | undefined>();
    await Promise.all(
      rows.map(async (r) => sizes.set(r.id, await segmentFileSize(this.opts.dataDir, r.path))),
    );
    const plan = planFragments(rows, {
      fromMs: w.fromMs,
      toMs: w.toMs,
      fileSizes: sizes,
      ...options,
      onSkip: (segment, reason, fragmentIndex) =>
        this.opts.logger.warn(
          { segmentId: segment.id, path: segment.path, fragmentIndex, cameraId: w.cameraId },
          `${reason}: skipped`,
        ),
    });
    return { rows, plan };
  }

  // ---- timeline ----

  /** Recorded ranges, gaps and coverage buckets of one or many camera streams. */
  timeline(q: TimelineQuery): StreamTimeline[] {
    this.checkWindow(q);
    return queryTimeline(this.opts.index, q);
  }

  /** Cameras with recordings in the index (configured or not). */
  recordedCameraIds(): string[] {
    return [...new Set(this.opts.index.listStreams().map((s) => s.cameraId))].sort();
  }

  /** Recorded ranges of one camera stream (DESIGN §7 `GET /api/cameras/:id/recordings`). */
  ranges(w: WindowInput): { startMs: number; endMs: number }[] {
    this.checkWindow(w);
    const camera =
      this.opts.cameraExists?.(w.cameraId) ??
      this.opts.index.listStreams().some((s) => s.cameraId === w.cameraId);
    if (!camera) throw new NvrError('not_found', `no camera ${w.cameraId}`, { field: 'id' });
    return queryTimeline(this.opts.index, { streams: [w], fromMs: w.fromMs, toMs: w.toMs })[0]!
      .ranges;
  }

  // ---- HLS ----

  /** The byte-range fMP4 playlist of a window: VOD when it ends in the past, EVENT when it reaches now. */
  async vodPlaylist(w: WindowInput): Promise<{
    text: string;
    type: 'VOD' | 'EVENT';
    ranges: { startMs: number; endMs: number }[];
  }> {
    this.checkWindow(w);
    this.checkStream(w.cameraId, w.stream);
    const { plan } = await this.plan(w);
    if (plan.length === 0) throw this.nothingRecorded(w);
    this.leases.touch(new Set(plan.map((f) => f.segment.id)));
    const type = w.toMs >= this.opts.clock.nowMs() ? 'EVENT' : 'VOD';
    const text = buildMediaPlaylist(hlsEntries(plan), { type, segmentUrl: this.segmentUrl });
    return { text, type, ranges: planRanges(plan, w.fromMs, w.toMs) };
  }

  async playlistReply(w: WindowInput): Promise<PlaybackReply> {
    const { text, type } = await this.vodPlaylist(w);
    return {
      status: 200,
      contentType: 'application/vnd.apple.mpegurl',
      headers: { 'cache-control': type === 'VOD' ? 'private, max-age=60' : 'no-cache' },
      body: text,
    };
  }

  /** A segment file's bytes (the whole indexed part, or one Range as 206), with ETag and caching. */
  async segmentReply(
    segmentId: number,
    request: { range?: string; ifNoneMatch?: string } = {},
  ): Promise<PlaybackReply> {
    const row = Number.isSafeInteger(segmentId) ? this.opts.index.getSegment(segmentId) : undefined;
    if (!row) throw new NvrError('not_found', `no segment ${segmentId}`, { field: 'segmentId' });
    const size = row.sizeBytes;
    const etag = `"s${row.id}-${size}"`;
    const headers: Record<string, string> = {
      'accept-ranges': 'bytes',
      etag,
      'cache-control': row.open ? 'no-cache' : IMMUTABLE,
    };
    if (etagMatches(request.ifNoneMatch, etag))
      return { status: 304, contentType: 'video/mp4', headers, body: '' };
    const range = parseRange(request.range, size);
    if (range.kind === 'unsatisfiable')
      return {
        status: 416,
        contentType: 'video/mp4',
        headers: { ...headers, 'content-range': `bytes */${size}` },
        body: '',
      };
    const start = range.kind === 'partial' ? range.start : 0;
    const end = range.kind === 'partial' ? range.endInclusive : size - 1;
    const onDisk = await segmentFileSize(this.opts.dataDir, row.path);
    if (onDisk === undefined || onDisk <= end) {
      this.opts.logger.warn(
        { segmentId, path: row.path, onDisk, end },
        'segment file missing or truncated',
      );
      throw new NvrError('not_found', `segment ${segmentId} is missing or truncated on disk`, {
        segmentId,
      });
    }
    this.leases.touch([row.id]);
    const release = this.opts.index.hold([row.id]);
    let body: Readable;
    try {
      body = await createSegmentReadStream(this.opts.dataDir, row.path, {
        start,
        endInclusive: end,
      });
    } catch (e) {
      release();
      throw e;
    }
    body.once('close', release);
    return {
      status: range.kind === 'partial' ? 206 : 200,
      contentType: 'video/mp4',
      headers: {
        ...headers,
        'content-length': String(end - start + 1),
        ...(range.kind === 'partial' ? { 'content-range': `bytes ${start}-${end}/${size}` } : {}),
      },
      body,
    };
  }

  // ---- export ----

  private checkExport(e: ExportInput): void {
    this.checkWindow(e);
    const capMs = this.opts.exportCapMs ?? DEFAULT_EXPORT_CAP_MS;
    if (e.toMs - e.fromMs > capMs)
      throw new NvrError(
        'too_large',
        `an export may span at most ${Math.round(capMs / 60_000)} minutes`,
        {
          field: 'to',
          capMs,
        },
      );
    if (e.cameraIds.length === 0)
      throw new NvrError('bad_request', 'cameraIds: must name at least one camera', {
        field: 'cameraIds',
      });
    for (const id of e.cameraIds) this.checkStream(id, e.stream);
  }

  /** Plans an export (held until its stream ends or release()); the exact size is known now. */
  async prepareExport(e: ExportInput, signal?: AbortSignal): Promise<PreparedExport> {
    this.checkExport(e);
    return prepareExport({
      index: this.opts.index,
      dataDir: this.opts.dataDir,
      logger: this.opts.logger,
      cameraIds: e.cameraIds,
      stream: e.stream,
      fromMs: e.fromMs,
      toMs: e.toMs,
      gaps: e.gaps ?? 'preserve',
      ...(signal ? { signal } : {}),
    });
  }

  /** An export as a download: Content-Length and file name are set before the first byte. */
  async exportDownload(e: ExportInput, signal?: AbortSignal): Promise<PlaybackReply> {
    const prepared = await this.prepareExport(e, signal);
    if (signal?.aborted) {
      prepared.release();
      throw new NvrError('cancelled', 'the client went away');
    }
    const body = prepared.open();
    signal?.addEventListener('abort', () => body.destroy(), { once: true });
    return {
      status: 200,
      contentType: 'video/mp4',
      headers: {
        'content-length': String(prepared.sizeBytes),
        'content-disposition': attachment(prepared.fileName),
        'cache-control': 'no-store',
        'x-nvr-start-ms': String(Math.round(prepared.startWallMs)),
        'x-nvr-duration-ms': String(Math.round(prepared.durationMs)),
      },
      body,
    };
  }

  startExport(e: ExportInput, caller: ExportCaller = LOCAL_CALLER): ExportJob {
    this.checkExport(e);
    const req: ExportJobRequest = {
      cameraIds: e.cameraIds,
      stream: e.stream === 'sub' ? 'sub' : 'main',
      fromMs: e.fromMs,
      toMs: e.toMs,
      gaps: e.gaps ?? 'preserve',
    };
    return this.exports.start(req, caller);
  }

  // ---- snapshots and thumbnails ----

  private ffmpeg(): string {
    if (!this.opts.ffmpegPath)
      throw new NvrError('unavailable', 'snapshots need ffmpeg (set NVR_FFMPEG or install ffmpeg)');
    return this.opts.ffmpegPath;
  }

  /** JPEG of the live stream (latest frame of the GOP cache) or of the recording at timeMs. */
  async snapshot(s: SnapshotInput, signal?: AbortSignal): Promise<Uint8Array> {
    const ffmpeg = this.ffmpeg();
    if (s.timeMs === undefined) {
      const gop = await this.opts.liveGop?.(s.cameraId, s.stream);
      if (!gop || gop.units.length === 0) {
        if (this.opts.cameraExists && !this.opts.cameraExists(s.cameraId))
          throw new NvrError('not_found', `no camera ${s.cameraId}`, { field: 'id' });
        throw new NvrError('unavailable', `camera ${s.cameraId} (${s.stream}) is not streaming`, {
          cameraId: s.cameraId,
        });
      }
      const units = s.mode === 'before' ? gop.units.slice(0, 1) : gop.units;
      return this.decoders.run(() =>
        decodeFrameToJpeg(
          ffmpeg,
          {
            codec: gop.codec,
            parameterSets: gop.parameterSets,
            samples: units.map((u) => accessUnitToSample(u, gop.codec)),
            ...(s.widthPx ? { widthPx: s.widthPx } : {}),
          },
          signal ? { signal } : {},
        ),
      );
    }
    const t = s.timeMs;
    const w = { cameraId: s.cameraId, stream: s.stream, fromMs: t, toMs: t + 1 };
    this.checkStream(s.cameraId, s.stream);
    const release = this.opts.index.hold(this.opts.index.querySegments(w).map((r) => r.id));
    try {
      const { plan } = await this.plan(w);
      const at = plan.find((f) => f.wallStartMs <= t && f.wallEndMs > t);
      if (!at) throw this.nothingRecorded(w);
      const group = plan.slice(0, plan.indexOf(at) + 1);
      const before = s.mode === 'before';
      const frames = await readRecordedFrames(
        this.opts.dataDir,
        group,
        before ? { maxSamples: 1 } : { untilMs: t },
      );
      return await this.decoders.run(() =>
        decodeFrameToJpeg(
          ffmpeg,
          {
            codec: frames.init.codec,
            parameterSets: frames.init,
            samples: frames.samples,
            ...(s.widthPx ? { widthPx: s.widthPx } : {}),
          },
          signal ? { signal } : {},
        ),
      );
    } finally {
      release();
    }
  }

  async snapshotReply(s: SnapshotInput, signal?: AbortSignal): Promise<PlaybackReply> {
    const jpeg = await this.snapshot(s, signal);
    return {
      status: 200,
      contentType: 'image/jpeg',
      headers: { 'cache-control': s.timeMs === undefined ? 'no-store' : 'private, max-age=3600' },
      body: jpeg,
    };
  }

  /** The cached thumbnail of the interval holding timeMs (made on first use). */
  async thumbnail(input: {
    cameraId: string;
    stream: string;
    timeMs: number;
    widthPx?: number;
  }): Promise<{ jpeg: Uint8Array; bucketMs: number }> {
    this.ffmpeg();
    this.checkStream(input.cameraId, input.stream);
    return this.thumbnails.get(
      input.cameraId,
      input.stream,
      input.timeMs,
      input.widthPx ?? this.opts.thumbnailWidthPx ?? 160,
    );
  }

  async thumbnailReply(input: {
    cameraId: string;
    stream: string;
    timeMs: number;
    widthPx?: number;
  }): Promise<PlaybackReply> {
    const { jpeg } = await this.thumbnail(input);
    return {
      status: 200,
      contentType: 'image/jpeg',
      headers: { 'cache-control': 'private, max-age=86400' },
      body: jpeg,
    };
  }

  private async renderThumbnail(
    cameraId: string,
    stream: string,
    bucketMs: number,
    widthPx: number,
  ): Promise<Uint8Array | undefined> {
    const intervalMs = this.opts.thumbnailIntervalMs ?? 60_000;
    const w = { cameraId, stream, fromMs: bucketMs, toMs: bucketMs + intervalMs };
    const release = this.opts.index.hold(this.opts.index.querySegments(w).map((r) => r.id));
    try {
      const { plan } = await this.plan(w);
      // The interval's first keyframe, else the keyframe group that covers its start.
      const key = plan.find((f) => f.isKeyframe && f.wallStartMs >= bucketMs) ?? plan[0];
      if (!key) return undefined;
      const frames = await readRecordedFrames(this.opts.dataDir, [key], { maxSamples: 1 });
      return await this.decoders.run(() =>
        decodeFrameToJpeg(this.ffmpeg(), {
          codec: frames.init.codec,
          parameterSets: frames.init,
          samples: frames.samples,
          widthPx,
          quality: 6,
        }),
      );
    } finally {
      release();
    }
  }

  /** Deletes thumbnails of intervals no longer recorded (also runs every 10 minutes). */
  async pruneThumbnails(): Promise<number> {
    try {
      return await this.thumbnails.prune();
    } catch (e) {
      this.opts.logger.warn({ err: String(e) }, 'thumbnail pruning failed');
      return 0;
    }
  }
}
