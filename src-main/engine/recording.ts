// Recording in the engine: opens the index (with start-up recovery), keeps one camera session per
// configured stream running in the recording workers, applies config changes live (editing a URL
// restarts only that camera), runs retention, and turns worker reports into API status and events.
import fs from 'node:fs';
import type { Clock, Logger } from '../base';
import {
  RecordingService,
  type RestartPolicy,
  type StreamJob,
  type StreamName,
  type StreamReport,
} from '../recorder';
import { RecordingIndex, RetentionManager, recover } from '../storage';
import type {
  CameraConfig,
  CameraStatus,
  StreamDecodeStats,
  StreamStatus,
} from '../../src-preload/contract';
import type { DecodeTotals } from '../camera';
import type { StoredCamera } from './camera-store';
import type { EventBus } from './event-bus';
import { STREAM_WORKER_ENTRY, streamWorkerExtension } from './stream-worker';

export interface RecordingOptions {
  dataDir: string;
  logger: Logger;
  clock: Clock;
  bus: EventBus;
  /** Recording worker threads (0: in this thread). */
  workers?: number;
  segmentDurationMs?: number;
  /** Global quota for recordings, bytes. */
  quotaBytes?: number;
  /** Keep at least this much free on the recordings volume, bytes. Default 1 GiB. */
  minFreeBytes?: number;
  retentionIntervalMs?: number;
  /** How a recording worker that keeps dying is restarted (the first restart is immediate). */
  workerRestart?: RestartPolicy;
  /** The recording workers' entry module; default stream-worker (tests add a crash hook to it). */
  workerEntry?: URL;
}

const STREAMS: readonly StreamName[] = ['main', 'sub'];

/** The jobs a camera's config asks for: every configured stream runs (live view); some record. */
export function jobsFor(camera: StoredCamera): StreamJob[] {
  const c: CameraConfig = camera.config;
  if (!c.enabled) return [];
  const recording = c.recording.mode === 'continuous';
  const jobs: StreamJob[] = [];
  for (const stream of STREAMS) {
    const url = c.streams[stream]?.url;
    if (!url) continue;
    jobs.push({
      cameraId: camera.id,
      stream,
      url,
      transport: c.transport,
      record: recording && (stream === 'main' || c.recording.recordSub),
      ...(c.username !== undefined ? { username: c.username } : {}),
      ...(c.password !== undefined ? { password: c.password } : {}),
    });
  }
  return jobs;
}

const sameJob = (a: StreamJob, b: StreamJob) => JSON.stringify(a) === JSON.stringify(b);

function toStreamStatus(r: StreamReport, nowMs: number): StreamStatus {
  return {
    state: r.state,
    ...(r.codec ? { codec: r.codec as StreamStatus['codec'] } : {}),
    ...(r.width !== undefined ? { width: r.width } : {}),
    ...(r.height !== undefined ? { height: r.height } : {}),
    ...(r.fps !== undefined ? { fps: Math.round(r.fps * 100) / 100 } : {}),
    ...(r.bitrateKbps !== undefined ? { bitrateKbps: Math.round(r.bitrateKbps) } : {}),
    ...(r.lastFrameMs !== undefined ? { lastFrameMs: Math.round(r.lastFrameMs) } : {}),
    ...(r.gopFrames !== undefined ? { gopFrames: r.gopFrames } : {}),
    bytesWritten: r.bytesWritten,
    framesReceived: r.framesReceived,
    framesWritten: r.framesWritten,
    reconnects: r.reconnects,
    ...(r.streamingSinceMs !== undefined && r.state === 'streaming'
      ? { uptimeMs: Math.max(0, Math.round(nowMs - r.streamingSinceMs)) }
      : {}),
    ...(r.workerRestarts !== undefined ? { workerRestarts: r.workerRestarts } : {}),
    ...(r.workerCrash
      ? { workerCrash: { atMs: Math.round(r.workerCrash.atMs), reason: r.workerCrash.reason } }
      : {}),
    ...(r.error ? { error: r.error } : {}),
    ...(r.decode ? { decode: toDecodeStats(r.decode) } : {}),
    ...(r.health ? { health: r.health } : {}),
    ...(r.transport ? { transport: r.transport } : {}),
    ...(r.transportFallback ? { transportFallback: r.transportFallback } : {}),
    ...(r.warnings?.length ? { warnings: r.warnings } : {}),
  };
}

function toDecodeStats(d: DecodeTotals): StreamDecodeStats {
  return {
    rtpPackets: d.rtpPackets,
    packetsLost: d.packetsLost,
    packetsLate: d.packetsLate,
    nalusDropped: d.nalusDropped,
    framesLostToGaps: d.framesLostToGaps,
    framesLostToLate: d.framesLostToLate,
    framesUndecodable: d.framesUndecodable,
    framesBeforeKeyframe: d.framesBeforeKeyframe,
    keyframes: d.keyframesEmitted,
  };
}

export class EngineRecording {
  readonly index: RecordingIndex;
  readonly service: RecordingService;
  private readonly retention: RetentionManager;
  private readonly retentionTimer: ReturnType<typeof setInterval>;
  private readonly jobs = new Map<string, StreamJob>();
  private readonly retentionDays = new Map<string, number>();
  private readonly lastState = new Map<string, string>();
  /** Per stream: the last health verdict and transport fallback logged. */
  private readonly lastHealth = new Map<string, string>();
  private readonly loggedFallbackMs = new Map<string, number>();

  constructor(private readonly opts: RecordingOptions) {
    fs.mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
    this.index = RecordingIndex.open({ dataDir: opts.dataDir, clock: opts.clock });
    const report = recover({ index: this.index, dataDir: opts.dataDir });
    opts.logger.info({ ...report }, 'start-up recovery done');
    this.service = new RecordingService({
      dataDir: opts.dataDir,
      index: this.index,
      logger: opts.logger.child({ module: 'recorder' }),
      clock: opts.clock,
      ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
      ...(opts.segmentDurationMs !== undefined
        ? { segmentDurationMs: opts.segmentDurationMs }
        : {}),
      worker: { entry: opts.workerEntry ?? STREAM_WORKER_ENTRY, extension: streamWorkerExtension },
      ...(opts.workerRestart ? { restart: opts.workerRestart } : {}),
      onReport: (r) => this.onReport(r),
      onRecorded: (id, stream, endMs) => opts.bus.emit('recording.progress', { id, stream, endMs }),
    });
    this.retention = new RetentionManager({
      index: this.index,
      retentionDaysFor: (cameraId) => this.retentionDays.get(cameraId),
      minFreeBytes: opts.minFreeBytes ?? 1024 ** 3,
      ...(opts.quotaBytes !== undefined ? { quotaBytes: opts.quotaBytes } : {}),
      onError: (e) => opts.logger.error({ err: String(e) }, 'retention failed'),
    });
    this.retentionTimer = setInterval(
      () => this.runRetention(),
      opts.retentionIntervalMs ?? 60_000,
    );
    this.retentionTimer.unref();
  }

  /** Brings the running streams in line with a camera's config (added, edited or enabled). */
  apply(camera: StoredCamera): void {
    this.retentionDays.set(camera.id, camera.config.recording.retentionDays);
    const wanted = new Map(jobsFor(camera).map((j) => [j.stream, j]));
    for (const stream of STREAMS) {
      const k = `${camera.id}/${stream}`;
      const current = this.jobs.get(k);
      const next = wanted.get(stream);
      if (current && next && sameJob(current, next)) continue;
      if (current) {
        this.service.stop(camera.id, stream);
        this.jobs.delete(k);
      }
      if (next) {
        this.jobs.set(k, next);
        this.service.start(next);
      }
    }
  }

  remove(cameraId: string): void {
    for (const stream of STREAMS) {
      if (this.jobs.delete(`${cameraId}/${stream}`)) this.service.stop(cameraId, stream);
    }
    this.retentionDays.delete(cameraId);
  }

  status(cameraId: string): CameraStatus {
    const streams: CameraStatus['streams'] = {};
    for (const stream of STREAMS) {
      const r = this.service.report(cameraId, stream);
      if (r) streams[stream] = toStreamStatus(r, this.opts.clock.nowMs());
    }
    const lead = streams.main ?? streams.sub;
    if (!lead) return { state: 'idle', streams };
    return { state: lead.state, ...(lead.error ? { error: lead.error } : {}), streams };
  }

  recordingsBytes(): number {
    return this.index.usage().reduce((n, u) => n + u.sizeBytes, 0);
  }

  runRetention(): void {
    try {
      const r = this.retention.run();
      if (r.deletedSegments > 0) this.opts.logger.info({ ...r }, 'retention pass');
    } catch (e) {
      this.opts.logger.error({ err: String(e) }, 'retention failed');
    }
  }

  /** Logs health verdict changes and the `auto` transport fallback, once each. */
  private logHealth(k: string, r: StreamReport): void {
    const log = { camera: r.cameraId, stream: r.stream };
    if (r.transportFallback && this.loggedFallbackMs.get(k) !== r.transportFallback.atMs) {
      this.loggedFallbackMs.set(k, r.transportFallback.atMs);
      this.opts.logger.warn(
        { ...log, reason: r.transportFallback.reason },
        'transport auto: UDP loses packets, switched to TCP for this session',
      );
    }
    const verdict = r.health?.verdict ?? 'ok';
    if ((this.lastHealth.get(k) ?? 'ok') === verdict) return;
    this.lastHealth.set(k, verdict);
    const fields = { ...log, verdict, reason: r.health?.reason };
    if (verdict === 'ok') this.opts.logger.info(fields, 'stream decodes clean again');
    else this.opts.logger.warn(fields, `stream ${verdict}`);
  }

  async close(): Promise<void> {
    clearInterval(this.retentionTimer);
    await this.service.close();
    this.retention.dispose();
    this.index.close();
  }

  private onReport(r: StreamReport): void {
    const k = `${r.cameraId}/${r.stream}`;
    this.logHealth(k, r);
    const stateKey = `${r.state}:${r.error?.kind ?? ''}`;
    const status = this.status(r.cameraId);
    if (this.lastState.get(k) !== stateKey) {
      this.lastState.set(k, stateKey);
      this.opts.bus.emit('camera.state', { id: r.cameraId, status });
    }
    this.opts.bus.emit('camera.stats', { id: r.cameraId, streams: status.streams });
  }
}
