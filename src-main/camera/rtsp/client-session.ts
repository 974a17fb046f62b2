// RtspCameraSession: keeps one camera stream flowing. Wraps RtspClient in a state machine
// (idle → connecting → streaming → reconnecting | failed), reconnects with capped exponential
// backoff and jitter, watches for missing data and timestamp jumps, and signals new runs.
// A pure event emitter of access units and state: it knows nothing about recording or storage.
import { EventEmitter } from 'node:events';
import { NvrError, isNvrError, redactUrl } from '../../base';
import type { ErrorKind } from '../../base';
import type { AccessUnit } from '../../media';
import { RtspClient } from './client';
import { StreamStatsTracker } from './client-stats';
import type { CameraStreamStats } from './client-stats';
import { systemClock, type Clock } from '../../base';
import { StreamHealthMonitor, formatPercent } from './stream-health';
import type { DecodeTotals, HealthThresholds, StreamHealth } from './stream-health';
import type {
  DecodeCounters,
  DiscontinuityReason,
  RtspClientEvents,
  RtspClientOptions,
  TrackInfo,
} from './client-types';

export type CameraSessionState = 'idle' | 'connecting' | 'streaming' | 'reconnecting' | 'failed';

export interface CameraSessionError {
  kind: ErrorKind;
  message: string;
}

export type RunReason = 'start' | 'reconnect' | DiscontinuityReason;

export interface RunInfo {
  /** 0 for the first run of this session, then counting up. */
  runIndex: number;
  reason: RunReason;
  track: TrackInfo;
}

/** The part of RtspClient the session uses; tests inject fakes through `createClient`. */
export interface RtspClientLike {
  connect(): Promise<TrackInfo>;
  /** What a decoder would see of this connection (RtspClient has it; fakes may not). */
  readonly decodeCounters?: DecodeCounters | undefined;
  close(): Promise<void>;
  on<K extends keyof RtspClientEvents>(
    event: K,
    listener: (...args: RtspClientEvents[K]) => void,
  ): unknown;
}

export interface RtspCameraSessionOptions extends RtspClientOptions {
  /** First reconnect delay; doubles per failed attempt up to `maxBackoffMs`. Default 250 ms. */
  initialBackoffMs?: number;
  /** Default 30 s. */
  maxBackoffMs?: number;
  /** Relative jitter applied to each delay (0.2 = ±20 %). Default 0.2. */
  backoffJitter?: number;
  /** Retry delay range after wrong credentials or an unsupported stream. Default 30–60 s. */
  slowRetryMs?: [number, number];
  /** No access unit for this long → reconnect. Default 10 s. */
  noDataTimeoutMs?: number;
  /** A timestamp step this far off the wall clock starts a new run. Default 5 s. */
  timestampJumpMs?: number;
  random?: () => number;
  /** How often decode health is sampled (and `auto` checks UDP loss). Default 1 s. */
  healthIntervalMs?: number;
  health?: Partial<HealthThresholds>;
  createClient?: (options: RtspClientOptions) => RtspClientLike;
}

export type RtspCameraSessionEvents = {
  state: [state: CameraSessionState, error: CameraSessionError | undefined];
  /** Before the first access unit of every run: the recorder starts a new run here. */
  run: [info: RunInfo];
  accessUnit: [au: AccessUnit, track: TrackInfo];
  /** The track description changed (first connect, new parameter sets, new size). */
  track: [track: TrackInfo];
  /** `auto` left UDP for TCP for the rest of this session (it reconnects at once). */
  transportFallback: [info: TransportFallback];
};

/** `auto` moved a session from UDP to TCP because UDP lost too much. */
export interface TransportFallback {
  fromTransport: 'udp';
  toTransport: 'tcp';
  /** Wall clock, ms since the Unix epoch. */
  atMs: number;
  reason: string;
}

/** Errors that a quick retry will not fix: retried slowly, shown as 'failed'. */
const SLOW_KINDS: ReadonlySet<ErrorKind> = new Set<ErrorKind>([
  'auth',
  'unsupported_codec',
  'bad_request',
]);

export function userMessage(err: NvrError, url: string): string {
  const where = redactUrl(url);
  switch (err.kind) {
    case 'auth':
      return `Wrong username or password for ${where}`;
    case 'unreachable':
      return `Cannot reach ${where}: ${err.message}`;
    case 'timeout':
      return `No answer from ${where}: ${err.message}`;
    case 'unsupported_codec':
      return `Unsupported video codec at ${where}: ${err.message}`;
    default:
      return `${err.message} (${where})`;
  }
}

export class RtspCameraSession extends EventEmitter<RtspCameraSessionEvents> {
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly stats = new StreamStatsTracker();
  private stateValue: CameraSessionState = 'idle';
  private errorValue: CameraSessionError | undefined;
  private client: RtspClientLike | undefined;
  private trackValue: TrackInfo | undefined;
  private retryTimer: unknown;
  private watchdogTimer: unknown;
  private attempt = 0;
  private generation = 0;
  private runIndex = -1;
  private pendingRun: RunReason | undefined = 'start';
  private lastPts90k: number | undefined;
  private lastAuWallMs = 0;
  private preferTcp = false;
  private readonly health: StreamHealthMonitor;
  private healthTimer: unknown;
  private fallback: TransportFallback | undefined;

  constructor(private readonly options: RtspCameraSessionOptions) {
    super();
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.health = new StreamHealthMonitor(this.clock, options.health);
  }

  get state(): CameraSessionState {
    return this.stateValue;
  }

  /** The last error while reconnecting or failed; undefined while streaming. */
  get error(): CameraSessionError | undefined {
    return this.errorValue;
  }

  get track(): TrackInfo | undefined {
    return this.trackValue;
  }

  getStats(): CameraStreamStats {
    return this.stats.snapshot(this.clock.nowMs());
  }

  /** Decode health over the last window; undefined before any RTP arrived in this session. */
  getHealth(): StreamHealth | undefined {
    this.sampleHealth();
    if (this.health.totals.rtpPackets === 0) return undefined;
    return this.health.evaluate({
      mode: this.options.transport ?? 'auto',
      fellBackToTcp: this.fallback !== undefined,
    });
  }

  /** Decode counters since the session started, over all its connections. */
  getDecodeTotals(): DecodeTotals {
    return this.health.totals;
  }

  /** Set once `auto` left UDP for TCP; kept until the session is stopped. */
  get transportFallback(): TransportFallback | undefined {
    return this.fallback;
  }

  start(): void {
    if (this.stateValue !== 'idle') return;
    this.setState('connecting', undefined);
    this.health.reset();
    void this.connectOnce();
  }

  /** Stops streaming (TEARDOWN) and returns to 'idle'. The session may be started again. */
  async stop(): Promise<void> {
    this.generation++;
    this.clearTimer('retryTimer');
    this.clearTimer('watchdogTimer');
    this.clearTimer('healthTimer');
    const client = this.client;
    this.client = undefined;
    this.pendingRun = 'start';
    this.attempt = 0;
    if (this.stateValue !== 'idle') this.setState('idle', undefined);
    if (client) await client.close().catch(() => undefined);
  }

  private async connectOnce(): Promise<void> {
    const generation = ++this.generation;
    const create = this.options.createClient ?? ((o: RtspClientOptions) => new RtspClient(o));
    let client: RtspClientLike;
    try {
      // After 'auto' settled on TCP once, reconnects skip the UDP attempt.
      client = create(this.preferTcp ? { ...this.options, transport: 'tcp' } : this.options);
    } catch (e) {
      this.lost(toNvrError(e, this.options.url)); // a bad URL: shown as failed, retried slowly
      return;
    }
    this.client = client;
    client.on('accessUnit', (au, track) => {
      if (generation === this.generation) this.onAccessUnit(au, track);
    });
    client.on('parameterSetsChanged', (track) => {
      if (generation !== this.generation) return;
      this.trackValue = track;
      this.emit('track', track);
    });
    client.on('discontinuity', (reason) => {
      if (generation === this.generation) this.newRun(reason);
    });
    client.on('close', (err) => {
      if (generation !== this.generation || this.client !== client) return;
      this.lost(
        err ??
          new NvrError('protocol', 'the camera ended the session', {
            url: redactUrl(this.options.url),
          }),
      );
    });
    try {
      const track = await client.connect();
      if (generation !== this.generation) return;
      this.trackValue = track;
      if ((this.options.transport ?? 'auto') === 'auto' && track.transport === 'tcp')
        this.preferTcp = true;
      this.emit('track', track);
      this.armWatchdog(generation);
      // Health is sampled from the first connection on, until the session stops.
      if (this.healthTimer === undefined) this.armHealthTimer();
      // Streaming starts with the first access unit; 'connecting' until then.
    } catch (e) {
      if (generation !== this.generation) return;
      this.lost(toNvrError(e, this.options.url)); // closes the client
    }
  }

  private onAccessUnit(au: AccessUnit, track: TrackInfo): void {
    const nowMs = this.clock.nowMs();
    const pts = au.dts90k ?? au.pts90k;
    if (this.lastPts90k !== undefined && this.pendingRun === undefined) {
      const deltaMs = (pts - this.lastPts90k) / 90;
      const wallMs = nowMs - this.lastAuWallMs;
      const tolerance = this.options.timestampJumpMs ?? 5000;
      if (deltaMs < -500 || deltaMs > wallMs + tolerance) this.pendingRun = 'timestamp_jump';
    }
    this.lastPts90k = pts;
    this.lastAuWallMs = nowMs;
    if (this.stateValue !== 'streaming') {
      this.attempt = 0;
      this.setState('streaming', undefined);
    }
    if (this.pendingRun !== undefined) {
      const reason = this.pendingRun;
      this.pendingRun = undefined;
      this.runIndex++;
      this.stats.resetGop();
      this.emit('run', { runIndex: this.runIndex, reason, track });
    }
    this.stats.add(au, nowMs);
    this.armWatchdog(this.generation);
    this.emit('accessUnit', au, track);
  }

  private newRun(reason: RunReason): void {
    if (this.pendingRun === undefined) this.pendingRun = reason;
    this.lastPts90k = undefined;
  }

  /** Ends the current connection; what it delivered next belongs to a new run. */
  private dropClient(): void {
    this.generation++;
    this.clearTimer('watchdogTimer');
    const client = this.client;
    this.client = undefined;
    if (client) void client.close().catch(() => undefined);
    if (this.pendingRun === undefined) this.pendingRun = 'reconnect';
    this.lastPts90k = undefined;
  }

  private lost(err: NvrError): void {
    this.dropClient();
    const error = { kind: err.kind, message: userMessage(err, this.options.url) };
    let delayMs: number;
    if (SLOW_KINDS.has(err.kind)) {
      const [lo, hi] = this.options.slowRetryMs ?? [30_000, 60_000];
      delayMs = lo + (hi - lo) * this.random();
      this.setState('failed', error);
    } else {
      const initial = this.options.initialBackoffMs ?? 250;
      const max = this.options.maxBackoffMs ?? 30_000;
      const jitter = this.options.backoffJitter ?? 0.2;
      const base = Math.min(max, initial * 2 ** Math.min(this.attempt, 30));
      delayMs = Math.max(0, base * (1 - jitter + 2 * jitter * this.random()));
      this.setState('reconnecting', error);
    }
    this.attempt++;
    const generation = this.generation;
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = undefined;
      if (generation !== this.generation) return;
      this.stats.reconnects++;
      // A slow retry keeps showing 'failed' until it works; a quick one shows 'reconnecting'.
      void this.connectOnce();
    }, delayMs);
  }

  private armWatchdog(generation: number): void {
    this.clearTimer('watchdogTimer');
    const timeoutMs = this.options.noDataTimeoutMs ?? 10_000;
    this.watchdogTimer = this.clock.setTimeout(() => {
      this.watchdogTimer = undefined;
      if (generation !== this.generation) return;
      this.lost(
        new NvrError('timeout', `no video for ${Math.round(timeoutMs / 1000)} s`, {
          url: redactUrl(this.options.url),
        }),
      );
    }, timeoutMs);
  }

  private sampleHealth(): void {
    const client = this.client;
    this.health.sample(client, client?.decodeCounters);
  }

  private armHealthTimer(): void {
    this.clearTimer('healthTimer');
    this.healthTimer = this.clock.setTimeout(() => {
      this.healthTimer = undefined;
      if (this.stateValue === 'idle') return;
      this.sampleHealth();
      this.checkUdpLoss();
      this.armHealthTimer();
    }, this.options.healthIntervalMs ?? 1000);
  }

  /** `auto` over UDP losing more than a small share of packets: reconnect over TCP, stay there. */
  private checkUdpLoss(): void {
    if ((this.options.transport ?? 'auto') !== 'auto' || this.preferTcp) return;
    if (this.client?.decodeCounters?.transport !== 'udp') return;
    const lossy = this.health.udpTooLossy();
    if (!lossy) return;
    const windowS = Math.round(this.health.thresholds.windowMs / 1000);
    this.preferTcp = true;
    this.fallback = {
      fromTransport: 'udp',
      toTransport: 'tcp',
      atMs: this.clock.nowMs(),
      reason: `${formatPercent(lossy.share)} % of RTP packets lost over UDP in ${windowS} s`,
    };
    this.emit('transportFallback', this.fallback);
    this.dropClient();
    this.setState('reconnecting', undefined);
    void this.connectOnce();
  }

  private clearTimer(name: 'retryTimer' | 'watchdogTimer' | 'healthTimer'): void {
    if (this[name] !== undefined) this.clock.clearTimeout(this[name]);
    this[name] = undefined;
  }

  private setState(state: CameraSessionState, error: CameraSessionError | undefined): void {
    this.stateValue = state;
    this.errorValue = error;
    this.emit('state', state, error);
  }
}

function toNvrError(e: unknown, url: string): NvrError {
  if (isNvrError(e)) return e;
  return new NvrError(
    'internal',
    e instanceof Error ? e.message : String(e),
    { url: redactUrl(url) },
    { cause: e },
  );
}
