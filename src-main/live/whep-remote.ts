// WHEP viewers run in the recording worker that owns the camera's hub: the worker that receives a
// stream's packets also seals and sends them to its viewers, so no access unit crosses threads and
// the engine thread does no per-frame work for them. `serveWhep` is the worker's side (a WhepHost
// driven by plain messages); `RemoteWhepBackend` is the engine thread's (LiveService's backend).
// Transport-agnostic: the engine routes the messages through the recording workers' ports.
import { NvrError } from '../base';
import type { ErrorContext, ErrorKind, Logger } from '../base';
import type { VideoCodec } from '../media';
import type { StreamName } from '../../src-preload/contract';
import type { SrtpSender } from '../../native';
import { WhepHost } from './whep-host';
import { loadWerift } from './werift-loader';
import type {
  WhepBackend,
  WhepBackendEvents,
  WhepSettings,
  WhepStart,
  WhepStarted,
  WhepViewerStats,
} from './whep-host';
import type { OpenHub } from './types';
import type { SessionCloseReason } from './whep-session';

export type WhepWorkerCommand =
  | { type: 'whep.start'; id: string; request: WhepStart; settings: WhepSettings }
  | { type: 'whep.stop'; id: string; reason: SessionCloseReason };

export type WhepWorkerMessage =
  | { type: 'whep.started'; id: string; answerSdp: string; codec: VideoCodec }
  | { type: 'whep.failed'; id: string; kind: ErrorKind; message: string; context: ErrorContext }
  | { type: 'whep.connected'; id: string }
  | { type: 'whep.closed'; id: string; reason: SessionCloseReason }
  /** Every viewer's figures, once a second while there are viewers. */
  | { type: 'whep.stats'; viewers: Array<WhepViewerStats & { id: string }> };

export const isWhepWorkerCommand = (m: unknown): m is WhepWorkerCommand =>
  typeof m === 'object' &&
  m !== null &&
  /^whep\.(start|stop)$/.test(String((m as { type?: unknown }).type));

export const isWhepWorkerMessage = (m: unknown): m is WhepWorkerMessage =>
  typeof m === 'object' &&
  m !== null &&
  /^whep\.(started|failed|connected|closed|stats)$/.test(String((m as { type?: unknown }).type));

export interface WhepWorkerSide {
  handle(cmd: WhepWorkerCommand): void;
  /** The stream stopped in this worker: its viewers end ('source-ended'). */
  streamStopped(cameraId: string, stream: StreamName): void;
  close(): Promise<void>;
}

/** The worker's side: a WhepHost (made on the first viewer) answering the engine's commands. */
export function serveWhep(opts: {
  openHub: OpenHub;
  post: (message: WhepWorkerMessage) => void;
  nativeSrtp: () => SrtpSender | undefined;
  logger: Logger;
  statsIntervalMs?: number;
  /** Load werift this long after start, so the first viewer does not wait for it. */
  prewarmMs?: number;
}): WhepWorkerSide {
  const { post } = opts;
  let host: WhepHost | undefined;
  const prewarm =
    opts.prewarmMs !== undefined ? setTimeout(() => void loadWerift(), opts.prewarmMs) : undefined;
  prewarm?.unref?.();
  let timer: ReturnType<typeof setInterval> | undefined;
  const hostFor = (settings: WhepSettings): WhepHost => {
    if (host) return host;
    const made = new WhepHost({
      openHub: opts.openHub,
      settings,
      nativeSrtp: opts.nativeSrtp,
      logger: opts.logger,
      onConnected: (id) => post({ type: 'whep.connected', id }),
      onClosed: (id, reason) => post({ type: 'whep.closed', id, reason }),
    });
    // A worker that never had a viewer keeps no timer.
    timer = setInterval(() => {
      if (made.size > 0) post({ type: 'whep.stats', viewers: made.allStats() });
    }, opts.statsIntervalMs ?? 1000);
    timer.unref?.();
    return (host = made);
  };
  return {
    handle(cmd) {
      if (cmd.type === 'whep.stop') {
        void host?.stop(cmd.id, cmd.reason);
        return;
      }
      hostFor(cmd.settings)
        .start(cmd.id, cmd.request)
        .then(
          (r) => post({ type: 'whep.started', id: cmd.id, ...r }),
          (err: unknown) =>
            post({
              type: 'whep.failed',
              id: cmd.id,
              kind: err instanceof NvrError ? err.kind : 'internal',
              message: err instanceof Error ? err.message : String(err),
              context: err instanceof NvrError ? err.context : {},
            }),
        );
    },
    streamStopped(cameraId, stream) {
      host?.streamStopped(cameraId, stream);
    },
    async close() {
      clearInterval(timer);
      clearTimeout(prewarm);
      await host?.close();
    },
  };
}

interface RemoteViewer {
  cameraId: string;
  stream: StreamName;
  stats: WhepViewerStats;
}

interface Pending {
  resolve: (r: WhepStarted) => void;
  reject: (e: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** The engine thread's side: viewers started and stopped in the worker of their stream. */
export class RemoteWhepBackend implements WhepBackend {
  private readonly viewers = new Map<string, RemoteViewer>();
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly opts: {
      /** Sends a command to the worker running the stream; throws NvrError when it runs nowhere. */
      send: (cameraId: string, stream: StreamName, cmd: WhepWorkerCommand) => void;
      events: WhepBackendEvents;
      settings: WhepSettings;
      /** How long a start may go unanswered (a worker that died). Default: track wait + gathering + 5 s. */
      answerTimeoutMs?: number;
    },
  ) {}

  start(id: string, request: WhepStart): Promise<WhepStarted> {
    const s = this.opts.settings;
    this.opts.send(request.cameraId, request.stream, {
      type: 'whep.start',
      id,
      request,
      settings: s,
    });
    this.viewers.set(id, {
      cameraId: request.cameraId,
      stream: request.stream,
      stats: {
        connected: false,
        bytesSent: 0,
        packetsSent: 0,
        framesSent: 0,
        plis: 0,
        nacks: 0,
        stalls: 0,
      },
    });
    return new Promise<WhepStarted>((resolve, reject) => {
      // A worker that died answers nothing.
      const timer = setTimeout(
        () => this.settle(id, new NvrError('unavailable', 'the stream worker did not answer')),
        this.opts.answerTimeoutMs ?? s.trackWaitMs + s.gatherTimeoutMs + 5000,
      );
      this.pending.set(id, { resolve, reject, timer });
    });
  }

  async stop(id: string, reason: SessionCloseReason): Promise<void> {
    const v = this.viewers.get(id);
    if (!v) return;
    this.viewers.delete(id);
    try {
      this.opts.send(v.cameraId, v.stream, { type: 'whep.stop', id, reason });
    } catch {
      // the stream stopped: its worker ended the viewer already
    }
  }

  stats(id: string): WhepViewerStats | undefined {
    return this.viewers.get(id)?.stats;
  }

  /**
   * The worker hosting a stream's viewers died: they end at once with `reason` (a start it never
   * answered fails `unavailable`), so they stop counting against the caps and their records go.
   */
  streamLost(cameraId: string, stream: StreamName, reason: SessionCloseReason): void {
    for (const [id, v] of [...this.viewers]) {
      if (v.cameraId !== cameraId || v.stream !== stream) continue;
      this.viewers.delete(id);
      this.settle(id, new NvrError('unavailable', 'the stream worker died', { cameraId, stream }));
      this.opts.events.onClosed(id, reason);
    }
  }

  handle(msg: WhepWorkerMessage): void {
    switch (msg.type) {
      case 'whep.started':
        this.settle(msg.id, { answerSdp: msg.answerSdp, codec: msg.codec });
        return;
      case 'whep.failed':
        this.settle(msg.id, new NvrError(msg.kind, msg.message, msg.context));
        return;
      case 'whep.connected': {
        const v = this.viewers.get(msg.id);
        if (!v) return;
        v.stats.connected = true;
        this.opts.events.onConnected(msg.id);
        return;
      }
      case 'whep.closed':
        if (!this.viewers.delete(msg.id)) return;
        this.opts.events.onClosed(msg.id, msg.reason);
        return;
      case 'whep.stats':
        for (const { id, ...stats } of msg.viewers) {
          const v = this.viewers.get(id);
          if (v) v.stats = { ...stats, connected: v.stats.connected || stats.connected };
        }
        return;
    }
  }

  async close(): Promise<void> {
    for (const id of [...this.pending.keys()])
      this.settle(id, new NvrError('unavailable', 'live view is shutting down'));
    for (const id of [...this.viewers.keys()]) await this.stop(id, 'shutdown');
  }

  private settle(viewerId: string, outcome: WhepStarted | Error): void {
    const p = this.pending.get(viewerId);
    if (!p) return;
    this.pending.delete(viewerId);
    clearTimeout(p.timer);
    // A failed viewer stays listed until LiveService stops it (which also tells a late worker).
    if (outcome instanceof Error) p.reject(outcome);
    else p.resolve(outcome);
  }
}
