// RecordingWorkerCore: what runs inside a recording worker thread. Per camera stream it owns the
// camera session, its StreamHub and the StreamRecorder (the hub's first consumer), syncs files once
// a second, and reports events and stats as plain messages. No SQLite here (the engine thread owns it).
import type { Clock } from '../base';
import {
  RtspCameraSession,
  StreamHub,
  toStreamTrack,
  type TrackInfo as RtspTrackInfo,
  type StreamTrack,
} from '../camera';
import { StreamRecorder } from './stream-recorder';
import { packAccessUnit, streamNotRunning } from './protocol';
import type { StreamJob, StreamName, StreamReport, WorkerCommand, WorkerMessage } from './protocol';

/**
 * Hub consumers that run next to the recorder in the worker that owns the streams (the engine adds
 * its live viewers this way, so their packets leave from the thread that receives them). The
 * recorder knows nothing of them beyond this interface and forwards their messages unread.
 */
export interface WorkerExtension {
  /** A command from the engine thread's side of the extension. */
  handle(body: unknown): void;
  /** A stream stopped (removed, reconfigured, shut down): consumers of its hub end. */
  streamStopped(cameraId: string, stream: StreamName): void;
  close(): Promise<void>;
}

export interface WorkerExtensionContext {
  /** The hub of a stream running in this worker; rejects with not_found for any other. */
  openHub(cameraId: string, stream: StreamName): Promise<{ hub: StreamHub; release(): void }>;
  /** Sends a message to the engine thread's side of the extension. */
  post(body: unknown): void;
  /** The engine's log level, for the extension's own logger. */
  logLevel: string;
}

export type WorkerExtensionFactory = (ctx: WorkerExtensionContext) => WorkerExtension;

export interface WorkerCoreOptions {
  dataDir: string;
  clock: Clock;
  /** Sends a message to the engine thread; `transfer` lists buffers it may move instead of copying. */
  post: (message: WorkerMessage, transfer?: ArrayBuffer[]) => void;
  segmentDurationMs?: number;
  /** How often files are synced and stats reported. Default 1 s. */
  tickMs?: number;
  extension?: WorkerExtensionFactory;
  /** Passed to the extension. Default 'info'. */
  logLevel?: string;
}

interface StreamWork {
  job: StreamJob;
  session: RtspCameraSession;
  hub: StreamHub;
  recorder: StreamRecorder | undefined;
  track: StreamTrack | undefined;
  /** Unsubscribes the tap that mirrors this hub into the engine thread, when one is open. */
  closeTap: (() => void) | undefined;
  /** Wall clock (ms) when the session last entered 'streaming'; undefined while it is not streaming. */
  streamingSinceMs: number | undefined;
}

const key = (cameraId: string, stream: StreamName) => `${cameraId}/${stream}`;

export class RecordingWorkerCore {
  private readonly streams = new Map<string, StreamWork>();
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly extension: WorkerExtension | undefined;

  constructor(private readonly opts: WorkerCoreOptions) {
    this.timer = setInterval(() => this.tick(), opts.tickMs ?? 1000);
    this.timer.unref?.();
    this.extension = opts.extension?.({
      openHub: async (cameraId, stream) => {
        const work = this.streams.get(key(cameraId, stream));
        if (!work) throw streamNotRunning(cameraId, stream);
        return { hub: work.hub, release: () => undefined };
      },
      post: (body) => opts.post({ type: 'ext', body }),
      logLevel: opts.logLevel ?? 'info',
    });
  }

  handle(cmd: WorkerCommand): void {
    switch (cmd.type) {
      case 'start':
        this.start(cmd.job);
        return;
      case 'stop':
        void this.stop(cmd.cameraId, cmd.stream).then(() =>
          this.opts.post({ type: 'stopped', cameraId: cmd.cameraId, stream: cmd.stream }),
        );
        return;
      case 'tap.open':
        this.openTap(cmd.cameraId, cmd.stream);
        return;
      case 'tap.close': {
        const work = this.streams.get(key(cmd.cameraId, cmd.stream));
        work?.closeTap?.();
        if (work) work.closeTap = undefined;
        return;
      }
      case 'ext':
        this.extension?.handle(cmd.body);
        return;
      case 'shutdown':
        void this.shutdown().then(() => this.opts.post({ type: 'shutdown.done' }));
        return;
    }
  }

  async shutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.extension?.close();
    await Promise.all(
      [...this.streams.values()].map((w) => this.stop(w.job.cameraId, w.job.stream)),
    );
  }

  private start(job: StreamJob): void {
    const k = key(job.cameraId, job.stream);
    if (this.streams.has(k)) return;
    const session = new RtspCameraSession({
      url: job.url,
      transport: job.transport,
      ...(job.username !== undefined ? { username: job.username } : {}),
      ...(job.password !== undefined ? { password: job.password } : {}),
    });
    const hub = new StreamHub();
    const work: StreamWork = {
      job,
      session,
      hub,
      recorder: undefined,
      track: undefined,
      closeTap: undefined,
      streamingSinceMs: undefined,
    };
    if (job.record) {
      work.recorder = new StreamRecorder({
        dataDir: this.opts.dataDir,
        cameraId: job.cameraId,
        stream: job.stream,
        clock: this.opts.clock,
        emit: (event) => this.opts.post({ type: 'events', events: [event] }),
        ...(this.opts.segmentDurationMs !== undefined
          ? { segmentDurationMs: this.opts.segmentDurationMs }
          : {}),
        ...(job.notBeforeMs !== undefined ? { notBeforeMs: job.notBeforeMs } : {}),
      });
      hub.subscribe(work.recorder);
    }
    const onTrack = (t: RtspTrackInfo) => {
      work.track = toStreamTrack(t, work.track);
      if (work.track) hub.setTrack(work.track);
    };
    session.on('track', onTrack);
    session.on('run', (info) => {
      onTrack(info.track);
      if (info.runIndex > 0) hub.breakRun();
    });
    session.on('accessUnit', (au) => hub.publish(au));
    session.on('state', (state) => {
      if (state !== 'streaming') work.streamingSinceMs = undefined;
      else work.streamingSinceMs ??= this.opts.clock.nowMs();
      this.report([work]);
    });
    this.streams.set(k, work);
    session.start();
  }

  /** Mirrors the hub to the engine thread: its track, the cached keyframe group at once, then live. */
  private openTap(cameraId: string, stream: StreamName): void {
    const work = this.streams.get(key(cameraId, stream));
    const post = this.opts.post;
    if (!work) {
      post({ type: 'tap.ready', cameraId, stream });
      return;
    }
    work.closeTap?.();
    let sentTrack: StreamTrack | undefined;
    work.closeTap = work.hub.subscribe({
      name: 'tap',
      push(au, track) {
        if (track !== sentTrack) {
          sentTrack = track;
          post({ type: 'tap.track', cameraId, stream, track });
        }
        const packed = packAccessUnit(au);
        post({ type: 'tap.au', cameraId, stream, au: packed }, [packed.data.buffer as ArrayBuffer]);
        return true;
      },
      onRunBreak() {
        post({ type: 'tap.break', cameraId, stream });
      },
    });
    post({ type: 'tap.ready', cameraId, stream });
  }

  private async stop(cameraId: string, stream: StreamName): Promise<void> {
    const work = this.streams.get(key(cameraId, stream));
    if (!work) return;
    this.streams.delete(key(cameraId, stream));
    this.extension?.streamStopped(cameraId, stream);
    work.closeTap?.();
    await work.session.stop();
    work.session.removeAllListeners();
    work.recorder?.close();
  }

  private tick(): void {
    for (const w of this.streams.values()) w.recorder?.sync();
    this.report([...this.streams.values()]);
  }

  private report(works: StreamWork[]): void {
    if (works.length === 0) return;
    const reports = works.map((w): StreamReport => {
      const stats = w.session.getStats();
      const track = w.session.track;
      const health = w.session.getHealth();
      const fallback = w.session.transportFallback;
      // A broken stream is a camera error (more telling than the watchdog's "no video").
      const healthError =
        health?.verdict === 'broken'
          ? { kind: 'malformed' as const, message: `Nothing decodable: ${health.reason}` }
          : undefined;
      const error = healthError ?? w.session.error ?? w.recorder?.lastError;
      return {
        cameraId: w.job.cameraId,
        stream: w.job.stream,
        state: w.session.state,
        ...(error ? { error } : {}),
        ...(track ? { codec: track.codec } : {}),
        ...(track?.width ? { width: track.width, height: track.height } : {}),
        ...(stats.fps || track?.fps ? { fps: stats.fps || track?.fps } : {}),
        bitrateKbps: stats.bitrateKbps,
        gopFrames: stats.gopFrames,
        ...(stats.lastFrameMs ? { lastFrameMs: stats.lastFrameMs } : {}),
        framesReceived: stats.frames,
        framesWritten: w.recorder?.framesWritten ?? 0,
        bytesWritten: w.recorder?.bytesWritten ?? 0,
        reconnects: stats.reconnects,
        ...(w.streamingSinceMs !== undefined ? { streamingSinceMs: w.streamingSinceMs } : {}),
        decode: w.session.getDecodeTotals(),
        ...(health ? { health } : {}),
        ...(track ? { transport: track.transport } : {}),
        ...(fallback ? { transportFallback: fallback } : {}),
        ...(track?.warnings?.length ? { warnings: track.warnings } : {}),
      };
    });
    this.opts.post({ type: 'reports', reports });
  }
}
