// Engine supervisor: starts the engine child (an Electron utilityProcess, or a plain Node child in tests)
// through an injected fork, waits for its `NVR listening on <url>` line, restarts it with backoff on a crash.
// Knows nothing of electron itself: main.ts passes `utilityProcess.fork`.
import { EventEmitter } from 'node:events';

/** The part of a child process the supervisor uses (UtilityProcess and child_process.ChildProcess both fit). */
export interface ChildLike {
  readonly stdout?: NodeJS.ReadableStream | null;
  readonly stderr?: NodeJS.ReadableStream | null;
  kill(): boolean;
  once(event: 'exit', listener: (code: number | null) => void): unknown;
}

export type ForkChild = (modulePath: string, args: string[]) => ChildLike;

export type EngineStatus =
  | { state: 'starting'; restarts: number }
  | { state: 'running'; url: string; restarts: number }
  | { state: 'restarting'; restarts: number; exitCode: number | null; retryInMs: number }
  | { state: 'stopped'; restarts: number };

export interface EngineSupervisorOptions {
  fork: ForkChild;
  modulePath: string;
  /** Arguments for a start; `lastPort` is the port of the previous run (restart on the same URL). */
  args: (lastPort: number | undefined) => string[];
  log?: (message: string) => void;
  /** Backoff of the n-th consecutive restart (ms); default 250, 500, 1000… capped at 5000. */
  backoffMs?: (attempt: number) => number;
  /** A run that lasted this long resets the backoff (default 30 s). */
  stableAfterMs?: number;
  /** A child that does not print its URL within this time is killed and restarted (default 20 s). */
  startTimeoutMs?: number;
}

const LISTENING = /NVR listening on (http:\/\/\S+)/;

export const defaultBackoffMs = (attempt: number): number => Math.min(5000, 250 * 2 ** attempt);

/**
 * Keeps one engine child alive. Emits 'status' (EngineStatus) on every change; `ready()` resolves with the
 * URL of the current (or next) running child.
 */
export class EngineSupervisor extends EventEmitter<{ status: [EngineStatus] }> {
  private child: ChildLike | undefined;
  private stopping = false;
  private restarts = 0;
  private attempt = 0;
  private lastPort: number | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private current: EngineStatus = { state: 'stopped', restarts: 0 };

  constructor(private readonly options: EngineSupervisorOptions) {
    super();
  }

  get status(): EngineStatus {
    return this.current;
  }

  start(): void {
    this.stopping = false;
    if (!this.child) this.spawn();
  }

  /** Resolves with the URL once the engine runs (immediately when it already does). */
  ready(): Promise<string> {
    const now = this.current;
    if (now.state === 'running') return Promise.resolve(now.url);
    return new Promise((resolve, reject) => {
      const onStatus = (s: EngineStatus) => {
        if (s.state === 'running') {
          this.off('status', onStatus);
          resolve(s.url);
        } else if (s.state === 'stopped') {
          this.off('status', onStatus);
          reject(new Error('engine supervisor stopped'));
        }
      };
      this.on('status', onStatus);
    });
  }

  /** Stops the child for good (no restart) and resolves when it has exited. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.retryTimer);
    const child = this.child;
    if (child) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill();
      await exited;
    }
    this.setStatus({ state: 'stopped', restarts: this.restarts });
  }

  private setStatus(status: EngineStatus): void {
    this.current = status;
    this.emit('status', status);
  }

  private spawn(): void {
    const log = this.options.log ?? (() => {});
    this.setStatus({ state: 'starting', restarts: this.restarts });
    const startedAt = Date.now();
    const child = this.options.fork(this.options.modulePath, this.options.args(this.lastPort));
    this.child = child;
    let buffered = '';
    let running = false;
    const startTimer = setTimeout(() => {
      log('engine did not report its URL in time; killing it');
      child.kill();
    }, this.options.startTimeoutMs ?? 20_000);
    child.stdout?.on('data', (chunk: Buffer | string) => {
      if (running) return;
      buffered += chunk.toString();
      const match = LISTENING.exec(buffered);
      if (!match?.[1]) return;
      running = true;
      buffered = '';
      clearTimeout(startTimer);
      const url = match[1];
      const port = Number(new URL(url).port);
      if (port > 0) this.lastPort = port;
      this.setStatus({ state: 'running', url, restarts: this.restarts });
    });
    child.stderr?.on('data', (chunk: Buffer | string) =>
      log(`engine: ${chunk.toString().trimEnd()}`),
    );
    child.once('exit', (code) => {
      clearTimeout(startTimer);
      if (this.child === child) this.child = undefined;
      if (this.stopping) return;
      // The old port may be taken now: a child that never came up starts the next one on any port.
      if (!running) this.lastPort = undefined;
      if (Date.now() - startedAt >= (this.options.stableAfterMs ?? 30_000)) this.attempt = 0;
      const retryInMs = (this.options.backoffMs ?? defaultBackoffMs)(this.attempt++);
      this.restarts++;
      log(`engine exited with code ${code}; restarting in ${retryInMs} ms`);
      this.setStatus({ state: 'restarting', restarts: this.restarts, exitCode: code, retryInMs });
      this.retryTimer = setTimeout(() => {
        if (!this.stopping) this.spawn();
      }, retryInMs);
    });
  }
}
