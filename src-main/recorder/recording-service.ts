// RecordingService: the engine-thread side of recording. Spreads camera streams over worker threads
// (or runs them in this thread when `workers` is 0), applies their events to the index, flushes the
// index once a second, and keeps the latest state and stats of every stream for the API. A worker
// that dies is restarted (worker-supervisor.ts); before its streams record again their open segments
// are recovered the way start-up recovery does it (storage's recoverStreams).
import os from 'node:os';
import type { Clock, Logger } from '../base';
import { StreamHub } from '../camera';
import { recoverStreams } from '../storage';
import type { RecordingIndex } from '../storage';
import { IndexWriter } from './index-writer';
import { streamNotRunning, unpackAccessUnit, workerRestarting } from './protocol';
import type { StreamJob, StreamName, StreamReport, WorkerCommand, WorkerMessage } from './protocol';
import { RecordingWorkerCore } from './worker-core';
import type { WorkerExtensionFactory } from './worker-core';
import { SupervisedWorker, spawnWorker } from './worker-supervisor';
import type { RestartPolicy, WorkerCrash } from './worker-supervisor';

export interface RecordingServiceOptions {
  dataDir: string;
  index: RecordingIndex;
  logger: Logger;
  clock: Clock;
  /** Most worker threads; 0 runs recording in this thread (tests, tiny systems). Default: cores, at most 4. */
  workers?: number;
  /** Streams a worker takes before the next one starts. Default 16. */
  streamsPerWorker?: number;
  segmentDurationMs?: number;
  /** Called with every stream report (about once a second per stream, and on state changes). */
  onReport?: (report: StreamReport) => void;
  /** Called after each index flush with the streams whose recorded range grew. */
  onRecorded?: (cameraId: string, stream: StreamName, endMs: number) => void;
  /**
   * Hub consumers to host next to the recorder (see WorkerExtension): the module worker threads run
   * (it calls runRecordingWorker with `extension`) and the factory itself for the in-thread slot.
   */
  worker?: { entry: URL; extension: WorkerExtensionFactory };
  /** How a worker thread that keeps dying is restarted (the first restart is immediate). */
  restart?: RestartPolicy;
}

/** Told when a worker died: the streams it ran (restarted with it) and why. */
export type WorkerCrashListener = (
  streams: { cameraId: string; stream: StreamName }[],
  crash: WorkerCrash,
) => void;

interface WorkerSlot {
  send(cmd: WorkerCommand): void;
  streams: Set<string>;
  /** False while a crashed worker waits for its restart. */
  running(): boolean;
  stop(): Promise<void>;
}

const key = (cameraId: string, stream: StreamName) => `${cameraId}/${stream}`;
const ref = (k: string) => {
  const [cameraId, stream] = k.split('/') as [string, StreamName];
  return { cameraId, stream };
};

/** The recording worker without extensions: the bundle's sibling file, or the TypeScript source. */
const DEFAULT_ENTRY = new URL(
  import.meta.url.endsWith('.ts') ? './worker-main.ts' : './recorder-worker.js',
  import.meta.url,
);

interface Mirror {
  hub: StreamHub;
  users: number;
  ready: Promise<void>;
  markReady: () => void;
}

export class RecordingService {
  private readonly mirrors = new Map<string, Mirror>();
  private readonly writer: IndexWriter;
  private readonly slots: WorkerSlot[] = [];
  private readonly assigned = new Map<string, WorkerSlot>();
  private readonly reports = new Map<string, StreamReport>();
  private readonly flushTimer: ReturnType<typeof setInterval>;
  private readonly lastNotified = new Map<string, number>();
  private stopped = false;
  private extensionListener: ((body: unknown) => void) | undefined;
  private readonly jobs = new Map<string, StreamJob>();
  /** Worker deaths per stream, kept across the worker's restarts for the status. */
  private readonly crashes = new Map<string, { count: number; atMs: number; reason: string }>();
  private readonly crashListeners = new Set<WorkerCrashListener>();

  constructor(private readonly opts: RecordingServiceOptions) {
    this.writer = new IndexWriter(opts.index, opts.logger);
    this.flushTimer = setInterval(() => this.flush(), 1000);
  }

  start(job: StreamJob): void {
    const k = key(job.cameraId, job.stream);
    if (this.assigned.has(k)) return;
    const slot = this.pickSlot();
    slot.streams.add(k);
    this.assigned.set(k, slot);
    this.jobs.set(k, job);
    this.reports.set(k, {
      cameraId: job.cameraId,
      stream: job.stream,
      state: 'connecting',
      framesReceived: 0,
      framesWritten: 0,
      bytesWritten: 0,
      reconnects: 0,
    });
    slot.send({ type: 'start', job: this.resumed(job) });
  }

  stop(cameraId: string, stream: StreamName): void {
    const k = key(cameraId, stream);
    const slot = this.assigned.get(k);
    if (!slot) return;
    this.assigned.delete(k);
    this.jobs.delete(k);
    this.crashes.delete(k);
    slot.streams.delete(k);
    this.reports.delete(k);
    const mirror = this.mirrors.get(k);
    if (mirror) {
      this.mirrors.delete(k);
      mirror.hub.breakRun();
      mirror.markReady();
    }
    slot.send({ type: 'stop', cameraId, stream });
  }

  /**
   * A StreamHub in this thread mirroring the worker's hub of a stream (live viewers, snapshots). It
   * resolves once the cached keyframe group has arrived, so a subscriber starts at once. Each call
   * takes a reference; the tap closes when the last one is released.
   */
  async openHub(
    cameraId: string,
    stream: StreamName,
  ): Promise<{ hub: StreamHub; release: () => void }> {
    const k = key(cameraId, stream);
    const slot = this.assigned.get(k);
    if (!slot) throw streamNotRunning(cameraId, stream);
    let mirror = this.mirrors.get(k);
    if (!mirror) {
      let markReady!: () => void;
      const ready = new Promise<void>((resolve) => (markReady = resolve));
      const created: Mirror = { hub: new StreamHub(), users: 0, ready, markReady };
      mirror = created;
      this.mirrors.set(k, created);
      slot.send({ type: 'tap.open', cameraId, stream });
    }
    mirror.users++;
    await mirror.ready;
    let released = false;
    const owned = mirror;
    return {
      hub: owned.hub,
      release: () => {
        if (released) return;
        released = true;
        if (--owned.users > 0 || this.mirrors.get(k) !== owned) return;
        this.mirrors.delete(k);
        this.assigned.get(k)?.send({ type: 'tap.close', cameraId, stream });
      },
    };
  }

  /** Sends a message to the extension in the worker running a stream; not_found when none does. */
  sendExtension(cameraId: string, stream: StreamName, body: unknown): void {
    const slot = this.assigned.get(key(cameraId, stream));
    if (!slot) throw streamNotRunning(cameraId, stream);
    if (!slot.running()) throw workerRestarting(cameraId, stream);
    slot.send({ type: 'ext', cameraId, stream, body });
  }

  /** Tells `listener` of every worker that died (live view ends the viewers it hosted). */
  onWorkerCrash(listener: WorkerCrashListener): () => void {
    this.crashListeners.add(listener);
    return () => this.crashListeners.delete(listener);
  }

  /** Receives the workers' extension messages (one listener; a later call replaces it). */
  onExtensionMessage(listener: (body: unknown) => void): void {
    this.extensionListener = listener;
  }

  report(cameraId: string, stream: StreamName): StreamReport | undefined {
    return this.reports.get(key(cameraId, stream));
  }

  allReports(): StreamReport[] {
    return [...this.reports.values()];
  }

  /** Stops every stream, waits for the workers to close their files, then writes the index. */
  async close(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.flushTimer);
    await Promise.all(this.slots.map((s) => s.stop()));
    this.writer.closeAll();
    this.writer.flush();
  }

  private flush(): void {
    try {
      this.writer.flush();
    } catch (e) {
      this.opts.logger.error({ err: String(e) }, 'index flush failed');
    }
    for (const [k, endMs] of this.writer.recordedEndMs) {
      if (this.lastNotified.get(k) === endMs) continue;
      this.lastNotified.set(k, endMs);
      const [cameraId, stream] = k.split('/') as [string, StreamName];
      this.opts.onRecorded?.(cameraId, stream, endMs);
    }
  }

  private onMessage(msg: WorkerMessage): void {
    switch (msg.type) {
      case 'tap.track':
        this.mirrors.get(key(msg.cameraId, msg.stream))?.hub.setTrack(msg.track);
        return;
      case 'tap.au':
        this.mirrors.get(key(msg.cameraId, msg.stream))?.hub.publish(unpackAccessUnit(msg.au));
        return;
      case 'tap.break':
        this.mirrors.get(key(msg.cameraId, msg.stream))?.hub.breakRun();
        return;
      case 'tap.ready':
        this.mirrors.get(key(msg.cameraId, msg.stream))?.markReady();
        return;
      case 'events':
        this.writer.apply(msg.events);
        return;
      case 'ext':
        this.extensionListener?.(msg.body);
        return;
      case 'reports':
        for (const r of msg.reports) {
          const k = key(r.cameraId, r.stream);
          if (!this.assigned.has(k)) continue;
          const crash = this.crashes.get(k);
          const merged: StreamReport = crash
            ? {
                ...r,
                workerRestarts: crash.count,
                workerCrash: { atMs: crash.atMs, reason: crash.reason },
              }
            : r;
          this.reports.set(k, merged);
          this.opts.onReport?.(merged);
        }
        return;
      default:
        return;
    }
  }

  /**
   * The least busy worker; a new one starts when every worker has `streamsPerWorker` streams (up to
   * `workers`). Workers start with the streams that need them: few cameras cost one thread's memory.
   */
  private pickSlot(): WorkerSlot {
    const max =
      this.opts.workers ??
      Math.min(4, Math.max(1, os.availableParallelism?.() ?? os.cpus().length));
    if (max === 0) {
      if (this.slots.length === 0) this.slots.push(this.inThreadSlot());
      return this.slots[0]!;
    }
    const least = this.slots.reduce<WorkerSlot | undefined>(
      (a, b) => (!a || b.streams.size < a.streams.size ? b : a),
      undefined,
    );
    if (
      least &&
      (least.streams.size < (this.opts.streamsPerWorker ?? 16) || this.slots.length >= max)
    )
      return least;
    const slot = this.workerSlot(this.slots.length);
    this.slots.push(slot);
    return slot;
  }

  private inThreadSlot(): WorkerSlot {
    let done: (() => void) | undefined;
    const core = new RecordingWorkerCore({
      dataDir: this.opts.dataDir,
      clock: this.opts.clock,
      ...(this.opts.worker ? { extension: this.opts.worker.extension } : {}),
      logLevel: this.opts.logger.level,
      post: (m) => {
        if (m.type === 'shutdown.done') done?.();
        else this.onMessage(m);
      },
      ...(this.opts.segmentDurationMs !== undefined
        ? { segmentDurationMs: this.opts.segmentDurationMs }
        : {}),
    });
    return {
      streams: new Set(),
      running: () => true,
      send: (cmd) => core.handle(cmd),
      stop: () =>
        new Promise<void>((resolve) => {
          done = resolve;
          core.handle({ type: 'shutdown' });
        }),
    };
  }

  private workerSlot(i: number): WorkerSlot {
    const name = `recorder-${i}`;
    const streams = new Set<string>();
    /** Streams asked to stop whose files the worker has not closed yet (a crash leaves them open). */
    const stopping = new Set<string>();
    const worker: SupervisedWorker = new SupervisedWorker({
      name,
      spawn: () =>
        spawnWorker(this.opts.worker?.entry ?? DEFAULT_ENTRY, {
          name,
          workerData: {
            dataDir: this.opts.dataDir,
            ...(this.opts.segmentDurationMs !== undefined
              ? { segmentDurationMs: this.opts.segmentDurationMs }
              : {}),
            logLevel: this.opts.logger.level,
          },
          // Video bytes live outside the JS heap (typed arrays); a small young generation keeps the
          // worker's memory near its working set instead of growing to V8's default semi-spaces.
          resourceLimits: { maxYoungGenerationSizeMb: 8 },
        }),
      onMessage: (m) => {
        if (m.type === 'stopped') stopping.delete(key(m.cameraId, m.stream));
        this.onMessage(m);
      },
      onCrash: (crash) => {
        const closing = [...stopping];
        stopping.clear();
        this.onWorkerCrashed(streams, closing, crash);
      },
      onRestart: () => this.onWorkerRestarted(streams, worker),
      logger: this.opts.logger,
      nowMs: () => this.opts.clock.nowMs(),
      ...(this.opts.restart ? { restart: this.opts.restart } : {}),
    });
    return {
      streams,
      running: () => worker.running,
      send: (cmd) => {
        if (cmd.type === 'stop' && worker.running) stopping.add(key(cmd.cameraId, cmd.stream));
        worker.send(cmd);
      },
      stop: () => worker.stop(),
    };
  }

  /**
   * A worker died: every message it sent has been applied. Its streams' open segments (and those of
   * streams it was still stopping) are recovered
   * from their files as start-up recovery does it (cut after the last whole fragment, closed), their
   * status says so, their mirrors break the run, and the listeners (live view) end what it hosted.
   */
  private onWorkerCrashed(
    streams: ReadonlySet<string>,
    closing: readonly string[],
    crash: WorkerCrash,
  ): void {
    const keys = new Set(streams);
    const refs = [...keys].map(ref);
    // Streams it was stopping died with their files open too: recovered, not restarted.
    const recovered = new Set([...keys, ...closing]);
    this.writer.abandonStreams(recovered);
    try {
      const report = recoverStreams({ index: this.opts.index, streams: [...recovered].map(ref) });
      this.opts.logger.warn(
        { ...report, worker: crash.worker },
        "crashed worker's streams recovered",
      );
    } catch (e) {
      // The files stay on disk; start-up recovery closes them at the next start.
      this.opts.logger.error({ err: String(e), worker: crash.worker }, 'crash recovery failed');
    }
    const atMs = this.opts.clock.nowMs();
    for (const k of keys) {
      const count = (this.crashes.get(k)?.count ?? 0) + 1;
      this.crashes.set(k, { count, atMs, reason: crash.reason });
      const last = this.reports.get(k);
      if (last) {
        const { streamingSinceMs: _since, ...rest } = last;
        const r: StreamReport = {
          ...rest,
          state: 'reconnecting',
          error: { kind: 'internal', message: `recording worker crashed: ${crash.reason}` },
          workerRestarts: count,
          workerCrash: { atMs, reason: crash.reason },
        };
        this.reports.set(k, r);
        this.opts.onReport?.(r);
      }
      this.mirrors.get(k)?.hub.breakRun();
    }
    for (const listener of this.crashListeners) {
      try {
        listener(refs, crash);
      } catch (e) {
        this.opts.logger.error({ err: String(e) }, 'worker crash listener failed');
      }
    }
  }

  /** The job, told where the stream's recordings end so far (its new run starts no earlier). */
  private resumed(job: StreamJob): StreamJob {
    const endMs = this.opts.index.lastEndMs(job);
    return endMs === undefined ? job : { ...job, notBeforeMs: endMs };
  }

  /** The replacement worker runs: its streams start again, and their mirrors tap it. */
  private onWorkerRestarted(streams: ReadonlySet<string>, worker: SupervisedWorker): void {
    for (const k of streams) {
      const job = this.jobs.get(k);
      if (job) worker.send({ type: 'start', job: this.resumed(job) });
      if (this.mirrors.has(k)) worker.send({ type: 'tap.open', ...ref(k) });
    }
  }
}
