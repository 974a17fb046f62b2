// Warm start of the first grid. A tile's first frame waits on its WHEP round trip, and on a busy machine
// the app's first render alone takes a few hundred ms. So peer connections make their offers while the
// camera list loads (an offer names no camera), the first tiles' offers leave the moment the list lands
// (before React renders it), and each tile, when it mounts, takes over its running session
// (`claimWarmLive`). A session no tile claims within `expireMs` (the grid showed other cameras) is closed.
import type { Transport } from '../../api';
import {
  WhepClient,
  preparePeer,
  type PeerConnectionLike,
  type PreparedPeer,
  type WhepHandlers,
} from './whep-client';

export interface LiveStreamRef {
  cameraId: string;
  stream: 'main' | 'sub';
}

export interface WarmStartOptions {
  /** Default: `new RTCPeerConnection()`. */
  createPeerConnection?: () => PeerConnectionLike;
  /** Unclaimed sessions are closed after this long. Default 5 s. */
  expireMs?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

const key = (ref: LiveStreamRef) => `${ref.cameraId}\n${ref.stream}`;
const byTransport = new WeakMap<Transport, LiveWarmStart>();

export class LiveWarmStart {
  private spare: PreparedPeer[] = [];
  private readonly started = new Map<string, { client: WhepClient; timer: unknown }>();
  private readonly setTimer: NonNullable<WarmStartOptions['setTimer']>;
  private readonly clearTimer: NonNullable<WarmStartOptions['clearTimer']>;

  constructor(
    private readonly api: Transport,
    private readonly o: WarmStartOptions = {},
  ) {
    this.setTimer = o.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = o.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
    byTransport.set(api, this);
  }

  /** Makes `count` offers ahead. Without WebRTC it makes none: the tiles fall back on their own. */
  prepare(count: number): void {
    try {
      while (this.spare.length < count) this.spare.push(preparePeer(this.o.createPeerConnection));
    } catch {
      /* no RTCPeerConnection here */
    }
  }

  /**
   * Starts these streams' sessions on the prepared offers, in order, as far as the offers go (a stream
   * beyond them starts when its tile mounts); the offers left over are closed.
   */
  start(streams: readonly LiveStreamRef[]): void {
    for (const ref of streams) {
      const k = key(ref);
      if (this.started.has(k)) continue;
      const peer = this.spare.shift();
      if (!peer) break;
      const client = new WhepClient({
        ...ref,
        startLive: (input) => this.api.startLive(input),
        stopLive: (input) => this.api.stopLive(input),
        onTrack: () => {},
        onState: () => {},
        preparedPeer: peer,
        ...(this.o.createPeerConnection
          ? { createPeerConnection: this.o.createPeerConnection }
          : {}),
      });
      const timer = this.setTimer(() => {
        this.started.delete(k);
        client.close();
      }, this.o.expireMs ?? 5_000);
      this.started.set(k, { client, timer });
      client.start();
    }
    for (const peer of this.spare.splice(0)) peer.pc.close();
  }

  /** The running session of this stream, now reporting to `handlers` (current track and state first). */
  claim(ref: LiveStreamRef, handlers: WhepHandlers): WhepClient | undefined {
    const entry = this.started.get(key(ref));
    if (!entry) return undefined;
    this.started.delete(key(ref));
    this.clearTimer(entry.timer);
    entry.client.bind(handlers);
    return entry.client;
  }

  /** Closes the offers and the sessions nobody claimed. */
  close(): void {
    for (const peer of this.spare.splice(0)) peer.pc.close();
    for (const { client, timer } of this.started.values()) {
      this.clearTimer(timer);
      client.close();
    }
    this.started.clear();
    if (byTransport.get(this.api) === this) byTransport.delete(this.api);
  }
}

/** A session warm-started for this stream over this transport, handed to the caller; or undefined. */
export function claimWarmLive(
  api: Transport,
  ref: LiveStreamRef,
  handlers: WhepHandlers,
): WhepClient | undefined {
  return byTransport.get(api)?.claim(ref, handlers);
}
