// SupervisedWorker: one recording worker thread kept alive. A worker that dies without being asked
// (an uncaught exception, out of memory, process.exit inside it) is reported and started again: at
// once after a stable life, with a growing delay when it keeps dying (crash-loop protection).
// Knows nothing of streams or files: RecordingService recovers and restarts them in its callbacks.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { createBackoff } from '../base';
import type { Backoff, Logger } from '../base';
import type { WorkerCommand, WorkerMessage } from './protocol';
import type { RecordingWorkerData } from './worker-thread';

/** How a worker that keeps dying is restarted. */
export interface RestartPolicy {
  /** Delay of the first restart within `stableMs` of the previous start, ms. Default 1000. */
  initialMs?: number;
  /** Longest delay between restarts, ms. Default 30 000. */
  maxMs?: number;
  /** A worker that ran this long before dying is restarted at once. Default 30 000. */
  stableMs?: number;
  /** 0..1, the randomized share of each delay. Default 0.2. */
  jitter?: number;
}

/** A worker's death, as told to its owner. */
export interface WorkerCrash {
  /** The worker's name (`recorder-<n>`). */
  worker: string;
  /** The uncaught error's message, or the exit code. */
  reason: string;
  exitCode: number;
  /** How long the worker had run, ms. */
  uptimeMs: number;
  /** When it will be started again, ms from now (0: at once). */
  restartInMs: number;
  /** Deaths in a row, each within `stableMs` of its start (1 for a first crash). */
  crashesInRow: number;
}

/**
 * Starts a recording worker on `entry`: a bundle, or (tests, `tsx`) TypeScript source with tsx's
 * loader registered inside the worker first (Node 20 does not pass `--import` hooks to workers).
 */
export function spawnWorker(
  entryUrl: URL,
  options: {
    name: string;
    workerData: RecordingWorkerData;
    resourceLimits?: { maxYoungGenerationSizeMb?: number };
  },
): Worker {
  if (!entryUrl.pathname.endsWith('.ts')) return new Worker(entryUrl, options);
  const tsxDir = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const tsxApi = pathToFileURL(path.join(tsxDir, 'dist/esm/api/index.mjs')).href;
  const entry = entryUrl.href;
  const code = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(code, { ...options, eval: true });
}

export interface SupervisedWorkerOptions {
  name: string;
  spawn: () => Worker;
  onMessage: (message: WorkerMessage) => void;
  /**
   * The worker died unasked. Called after every message it sent has been delivered, before the
   * restart is scheduled; commands sent until `onRestart` are dropped.
   */
  onCrash: (crash: WorkerCrash) => void;
  /** A replacement worker runs: send it its streams again. */
  onRestart: () => void;
  logger: Logger;
  nowMs: () => number;
  restart?: RestartPolicy;
}

export class SupervisedWorker {
  private worker: Worker | undefined;
  private startedMs = 0;
  private lastError: string | undefined;
  private stopping = false;
  private restartTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly backoff: Backoff;
  private readonly stableMs: number;
  private crashesInRow = 0;

  constructor(private readonly o: SupervisedWorkerOptions) {
    const r = o.restart ?? {};
    this.stableMs = r.stableMs ?? 30_000;
    this.backoff = createBackoff({
      initialMs: r.initialMs ?? 1000,
      maxMs: r.maxMs ?? 30_000,
      jitter: r.jitter ?? 0.2,
    });
    this.launch();
  }

  /** False between a crash and the replacement's start. */
  get running(): boolean {
    return this.worker !== undefined;
  }

  send(cmd: WorkerCommand): void {
    this.worker?.postMessage(cmd);
  }

  /** Asks the worker to close its streams and files, then ends it; no restart after this. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const worker = this.worker;
    if (!worker) return;
    await new Promise<void>((resolve) => {
      const onMessage = (m: WorkerMessage) => {
        if (m.type !== 'shutdown.done') return;
        worker.off('message', onMessage);
        resolve();
      };
      worker.on('message', onMessage);
      worker.once('exit', () => resolve());
      worker.postMessage({ type: 'shutdown' } satisfies WorkerCommand);
    });
    await worker.terminate();
    this.worker = undefined;
  }

  private launch(): void {
    const worker = this.o.spawn();
    this.worker = worker;
    this.startedMs = this.o.nowMs();
    this.lastError = undefined;
    worker.on('message', (m: WorkerMessage) => this.o.onMessage(m));
    worker.on('error', (e) => {
      this.lastError = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    });
    // Node delivers every message the worker posted before it emits 'exit'.
    worker.on('exit', (code) => this.onExit(worker, code));
  }

  private onExit(worker: Worker, exitCode: number): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    if (this.stopping) return;
    const uptimeMs = Math.max(0, this.o.nowMs() - this.startedMs);
    if (uptimeMs >= this.stableMs) {
      this.backoff.reset();
      this.crashesInRow = 0;
    }
    this.crashesInRow++;
    // After a stable life the worker comes back at once; one that keeps dying waits longer each time.
    const restartInMs = this.crashesInRow === 1 ? 0 : this.backoff.nextDelayMs();
    const crash: WorkerCrash = {
      worker: this.o.name,
      reason: this.lastError ?? `exited with code ${exitCode}`,
      exitCode,
      uptimeMs,
      restartInMs,
      crashesInRow: this.crashesInRow,
    };
    this.o.logger.error({ ...crash }, 'recording worker died; restarting it');
    try {
      this.o.onCrash(crash);
    } catch (e) {
      this.o.logger.error({ err: String(e), worker: this.o.name }, 'worker crash handling failed');
    }
    this.scheduleRestart(restartInMs);
  }

  private scheduleRestart(delayMs: number): void {
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.stopping) return;
      try {
        this.launch();
      } catch (e) {
        // The thread could not even be created (resources): try again later, never in a hot loop.
        const retryInMs = this.backoff.nextDelayMs();
        this.o.logger.error(
          { err: String(e), worker: this.o.name, retryInMs },
          'recording worker could not be restarted',
        );
        this.scheduleRestart(retryInMs);
        return;
      }
      this.o.onRestart();
    }, delayMs);
  }
}
