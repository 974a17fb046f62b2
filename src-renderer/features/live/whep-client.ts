// WHEP viewer of one camera stream: offer → engine (NvrApi.startLive) → answer, reconnect with backoff,
// DELETE of the session on close. Owns one RTCPeerConnection at a time; touches no DOM (the caller attaches the track).
import type { LiveAnswer } from '../../../src-preload/contract';

export type WhepState = 'connecting' | 'live' | 'reconnecting' | 'fallback' | 'closed';

/** The part of RTCPeerConnection the client uses (tests pass a fake). */
export interface PeerConnectionLike {
  connectionState: string;
  localDescription: { sdp: string } | null;
  onconnectionstatechange: ((ev: unknown) => void) | null;
  ontrack: ((ev: { track: MediaStreamTrack; streams: readonly MediaStream[] }) => void) | null;
  addTransceiver(kind: 'video' | 'audio', init: { direction: 'recvonly' }): unknown;
  createOffer(): Promise<{ type: string; sdp?: string }>;
  setLocalDescription(desc: { type: string; sdp?: string }): Promise<void>;
  setRemoteDescription(desc: { type: 'answer'; sdp: string }): Promise<void>;
  close(): void;
}

export interface WhepClientOptions {
  cameraId: string;
  stream: 'main' | 'sub';
  startLive(input: { id: string; stream: 'main' | 'sub'; offerSdp: string }): Promise<LiveAnswer>;
  stopLive(input: { id: string; sessionId: string }): Promise<unknown>;
  onTrack(track: MediaStreamTrack): void;
  onState(state: WhepState, detail?: string): void;
  /** Throws when WebRTC is unavailable (→ `fallback`). Default: `new RTCPeerConnection()`. */
  createPeerConnection?: () => PeerConnectionLike;
  minRetryMs?: number;
  maxRetryMs?: number;
  /** Peer connections that fail before ever connecting, in a row, before giving up on WebRTC. */
  maxPeerFailures?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/** Backoff delay of the `attempt`-th retry (0-based): doubling from min, capped at max. */
export function backoffMs(attempt: number, minMs: number, maxMs: number): number {
  return Math.min(maxMs, minMs * 2 ** Math.min(attempt, 20));
}

export class WhepClient {
  private pc: PeerConnectionLike | undefined;
  private sessionId: string | undefined;
  private timer: unknown;
  private attempt = 0;
  private peerFailures = 0;
  private generation = 0;
  private everConnected = false;
  private state: WhepState | undefined;
  private readonly o: Required<
    Pick<
      WhepClientOptions,
      'minRetryMs' | 'maxRetryMs' | 'maxPeerFailures' | 'setTimer' | 'clearTimer'
    >
  > &
    WhepClientOptions;

  constructor(options: WhepClientOptions) {
    this.o = {
      minRetryMs: 1_000,
      maxRetryMs: 30_000,
      maxPeerFailures: 2,
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
      ...options,
    };
  }

  get current(): WhepState | undefined {
    return this.state;
  }

  start(): void {
    if (this.state === 'closed') return;
    void this.connect();
  }

  /** Stops for good: closes the peer connection and DELETEs the session. */
  close(): void {
    if (this.state === 'closed') return;
    this.o.clearTimer(this.timer);
    this.teardown();
    this.setState('closed');
  }

  private setState(s: WhepState, detail?: string): void {
    if (this.state === s && detail === undefined) return;
    this.state = s;
    this.o.onState(s, detail);
  }

  private teardown(): void {
    this.generation++;
    const pc = this.pc;
    this.pc = undefined;
    if (pc) {
      pc.onconnectionstatechange = null;
      pc.ontrack = null;
      pc.close();
    }
    const sessionId = this.sessionId;
    this.sessionId = undefined;
    if (sessionId)
      this.o.stopLive({ id: this.o.cameraId, sessionId }).catch(() => {
        /* the engine drops idle sessions itself */
      });
  }

  private async connect(): Promise<void> {
    this.setState(this.attempt === 0 && !this.everConnected ? 'connecting' : 'reconnecting');
    let pc: PeerConnectionLike;
    try {
      pc = this.o.createPeerConnection
        ? this.o.createPeerConnection()
        : (new RTCPeerConnection() as unknown as PeerConnectionLike);
    } catch (e) {
      this.setState('fallback', e instanceof Error ? e.message : 'WebRTC unavailable');
      return;
    }
    const gen = ++this.generation;
    this.pc = pc;
    let connected = false;
    pc.ontrack = (ev) => this.o.onTrack(ev.track);
    pc.onconnectionstatechange = () => {
      if (gen !== this.generation) return;
      if (pc.connectionState === 'connected') {
        connected = true;
        this.everConnected = true;
        this.attempt = 0;
        this.peerFailures = 0;
        this.setState('live');
      } else if (pc.connectionState === 'failed' || pc.connectionState === 'closed') {
        if (!connected) this.peerFailures++;
        this.retry(`connection ${pc.connectionState}`);
      }
    };
    try {
      pc.addTransceiver('video', { direction: 'recvonly' });
      const offer = await pc.createOffer();
      await pc.setLocalDescription(offer);
      if (gen !== this.generation) return;
      const offerSdp = pc.localDescription?.sdp ?? offer.sdp ?? '';
      const answer = await this.o.startLive({
        id: this.o.cameraId,
        stream: this.o.stream,
        offerSdp,
      });
      if (gen !== this.generation) {
        // Closed or restarted while the offer was in flight: this session belongs to nobody.
        this.o.stopLive({ id: this.o.cameraId, sessionId: answer.sessionId }).catch(() => {});
        return;
      }
      this.sessionId = answer.sessionId;
      await pc.setRemoteDescription({ type: 'answer', sdp: answer.sdp });
    } catch (e) {
      if (gen !== this.generation) return;
      this.retry(e instanceof Error ? e.message : String(e));
    }
  }

  private retry(reason: string): void {
    if (this.state === 'closed') return;
    this.teardown();
    if (this.peerFailures >= this.o.maxPeerFailures) {
      this.setState('fallback', reason);
      return;
    }
    const delay = backoffMs(this.attempt++, this.o.minRetryMs, this.o.maxRetryMs);
    this.setState('reconnecting', reason);
    this.o.clearTimer(this.timer);
    this.timer = this.o.setTimer(() => void this.connect(), delay);
  }
}
