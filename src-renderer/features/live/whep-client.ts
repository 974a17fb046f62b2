// WHEP viewer of one camera stream: offer → engine (NvrApi.startLive) → answer, reconnect with backoff,
// DELETE of the session on close. Owns one RTCPeerConnection at a time; touches no DOM (the caller attaches the track).
import type { LiveAnswer } from '../../../src-preload/contract';

/**
 * `unsupported`: the engine answered that this stream cannot be served to this client as asked (415:
 * the browser offers no decoder for the camera's codec; or the transcode is off). An answer, not a
 * failure: never retried; the detail says why.
 */
export type WhepState =
  'connecting' | 'live' | 'reconnecting' | 'fallback' | 'unsupported' | 'closed';

/** Error kinds of startLive that retrying cannot change (the engine's 415 and 501). */
const FINAL_KINDS = new Set(['unsupported_codec', 'not_implemented']);

/** True for a startLive rejection that is the engine's final word (unsupported codec, transcode off). */
export function isFinalLiveError(e: unknown): boolean {
  const o = (typeof e === 'object' && e !== null ? e : {}) as { kind?: unknown; status?: unknown };
  return (typeof o.kind === 'string' && FINAL_KINDS.has(o.kind)) || o.status === 415;
}

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

/** A peer connection with its recvonly video transceiver, and its offer (see preparePeer). */
export interface PreparedPeer {
  pc: PeerConnectionLike;
  /** The offer's SDP, once made (it can be sent before it is applied locally). */
  offer: Promise<string>;
  /** The same, synchronously: a client that starts then sends it at once, without yielding. */
  offerSdp?: string;
  /** The offer applied as the local description (the answer can only be applied after). */
  applied: Promise<void>;
}

const browserPeerConnection = (): PeerConnectionLike =>
  new RTCPeerConnection() as unknown as PeerConnectionLike;

/**
 * Creates a peer connection and starts its offer: a WHEP offer names no camera, so it can be made
 * before anyone knows which camera it will show. Throws when WebRTC is unavailable.
 */
export function preparePeer(
  create: () => PeerConnectionLike = browserPeerConnection,
): PreparedPeer {
  const pc = create();
  pc.addTransceiver('video', { direction: 'recvonly' });
  const made = pc.createOffer();
  const peer: PreparedPeer = {
    pc,
    offer: made.then((offer) => (peer.offerSdp = offer.sdp ?? '')),
    applied: made.then((offer) => pc.setLocalDescription(offer)),
  };
  // A peer nobody uses is closed, not awaited; its user sees the error.
  peer.offer.catch(() => {});
  peer.applied.catch(() => {});
  return peer;
}

/** Where a client reports to; `WhepClient.bind` hands a running client to a new owner. */
export interface WhepHandlers {
  onTrack(track: MediaStreamTrack): void;
  onState(state: WhepState, detail?: string): void;
}

export interface WhepClientOptions extends WhepHandlers {
  cameraId: string;
  stream: 'main' | 'sub';
  startLive(input: {
    id: string;
    stream: 'main' | 'sub';
    offerSdp: string;
    transcode?: 'h264';
  }): Promise<LiveAnswer>;
  /** Ask the engine for its H.264 transcode of the stream (an H.265 camera in a browser without H.265). */
  transcode?: 'h264';
  stopLive(input: { id: string; sessionId: string }): Promise<unknown>;
  /** Throws when WebRTC is unavailable (→ `fallback`). Default: `new RTCPeerConnection()`. */
  createPeerConnection?: () => PeerConnectionLike;
  /** A peer prepared ahead (its offer already under way), used by the first attempt. */
  preparedPeer?: PreparedPeer;
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
  private stateDetail: string | undefined;
  private track: MediaStreamTrack | undefined;
  private prepared: PreparedPeer | undefined;
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
    this.prepared = options.preparedPeer;
  }

  /** Reports to new handlers from now on, starting with the current track and state. */
  bind(handlers: WhepHandlers): void {
    this.o.onTrack = handlers.onTrack;
    this.o.onState = handlers.onState;
    if (this.track) handlers.onTrack(this.track);
    if (this.state) handlers.onState(this.state, this.stateDetail);
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
    this.prepared?.pc.close();
    this.prepared = undefined;
    this.teardown();
    this.setState('closed');
  }

  private setState(s: WhepState, detail?: string): void {
    if (this.state === s && detail === undefined) return;
    this.state = s;
    this.stateDetail = detail;
    this.o.onState(s, detail);
  }

  private teardown(): void {
    this.generation++;
    this.track = undefined;
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
    let peer: PreparedPeer;
    try {
      peer = this.prepared ?? preparePeer(this.o.createPeerConnection);
      this.prepared = undefined;
    } catch (e) {
      this.setState('fallback', e instanceof Error ? e.message : 'WebRTC unavailable');
      return;
    }
    const pc = peer.pc;
    const gen = ++this.generation;
    this.pc = pc;
    let connected = false;
    pc.ontrack = (ev) => {
      this.track = ev.track;
      this.o.onTrack(ev.track);
    };
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
      // The offer leaves as soon as it exists; it is applied locally meanwhile.
      const offerSdp = peer.offerSdp ?? (await peer.offer);
      if (gen !== this.generation) return;
      const answer = await this.o.startLive({
        id: this.o.cameraId,
        stream: this.o.stream,
        offerSdp,
        ...(this.o.transcode ? { transcode: this.o.transcode } : {}),
      });
      if (gen !== this.generation) {
        // Closed or restarted while the offer was in flight: this session belongs to nobody.
        this.o.stopLive({ id: this.o.cameraId, sessionId: answer.sessionId }).catch(() => {});
        return;
      }
      this.sessionId = answer.sessionId;
      await peer.applied;
      if (gen !== this.generation) return;
      await pc.setRemoteDescription({ type: 'answer', sdp: answer.sdp });
    } catch (e) {
      if (gen !== this.generation) return;
      const reason = e instanceof Error ? e.message : String(e);
      if (isFinalLiveError(e)) {
        this.teardown();
        this.setState('unsupported', reason);
      } else this.retry(reason);
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
