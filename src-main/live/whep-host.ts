// WhepHost: WebRTC viewers of the hubs one thread can reach. For each viewer: wait for the stream's
// track, pick the codec the offer allows, subscribe a ViewerFeed to the hub, negotiate a WhepSession;
// close it on DELETE, ICE failure, a codec change, silence or a connect timeout. No caps, ids or
// HTTP: LiveService decides those and drives a host in its own thread (transcoded streams, tests) or,
// through whep-remote, one in the recording worker that owns the camera's hub, so packets leave from
// the thread that receives them and no access unit crosses threads.
import { randomInt } from 'node:crypto';
import { NvrError } from '../base';
import type { Logger } from '../base';
import type { VideoCodec } from '../media';
import type { StreamName } from '../../src-preload/contract';
import type { SrtpSender } from '../../native';
import { chooseCodec, inspectOffer, restrictOfferToPayloadType } from './offer-sdp';
import type { OpenHub, ViewerStats } from './types';
import { ViewerFeed } from './viewer-feed';
import { waitForTrack } from './wait-for-track';
import { WhepSession } from './whep-session';
import type { IceServer, SessionCloseReason } from './whep-session';

/** Settings of the viewers a host runs (plain data: they cross to worker threads). */
export interface WhepSettings {
  iceServers: IceServer[];
  /** Bind ICE sockets to this address only and advertise only it. */
  iceBindAddress?: string;
  gatherTimeoutMs: number;
  /** How long a new viewer waits for a stream that has not delivered a frame yet. */
  trackWaitMs: number;
  /** A viewer that does not connect within this long is closed. */
  sessionTimeoutMs: number;
  /** A connected viewer whose client sends no RTCP for this long is closed. */
  silenceTimeoutMs: number;
}

export interface WhepStart {
  cameraId: string;
  stream: StreamName;
  offerSdp: string;
}

export interface WhepStarted {
  answerSdp: string;
  codec: VideoCodec;
}

/** What a viewer has been sent; `connected` once its DTLS is up. */
export type WhepViewerStats = Pick<
  ViewerStats,
  'bytesSent' | 'packetsSent' | 'framesSent' | 'plis' | 'nacks' | 'stalls'
> & { connected: boolean };

/** What LiveService drives: a host in this thread, or one in a recording worker (whep-remote). */
export interface WhepBackend {
  /** Starts viewer `id`; rejects with an NvrError (and keeps nothing) when it cannot. */
  start(id: string, req: WhepStart): Promise<WhepStarted>;
  /** Ends viewer `id` (no-op when unknown); the backend's onClosed follows. */
  stop(id: string, reason: SessionCloseReason): Promise<void>;
  stats(id: string): WhepViewerStats | undefined;
  close(): Promise<void>;
}

export interface WhepBackendEvents {
  onConnected(id: string): void;
  /** A viewer ended (also after `stop`); not called for a `start` that rejected. */
  onClosed(id: string, reason: SessionCloseReason): void;
}

export interface WhepHostOptions extends WhepBackendEvents {
  openHub: OpenHub;
  settings: WhepSettings;
  /** Seals and sends RTP natively when given (see native/srtp-sender). */
  nativeSrtp?: () => SrtpSender | undefined;
  logger: Logger;
}

interface Viewer {
  cameraId: string;
  stream: StreamName;
  startedMs: number;
  feed?: ViewerFeed;
  session?: WhepSession;
  cleanup: Array<() => void>;
  /** Set once start resolved: only such viewers are reported closed. */
  started: boolean;
  closing?: Promise<void>;
}

export class WhepHost implements WhepBackend {
  private readonly viewers = new Map<string, Viewer>();
  private readonly watchdog: ReturnType<typeof setInterval>;
  private closed = false;

  constructor(private readonly opts: WhepHostOptions) {
    this.watchdog = setInterval(() => this.sweep(), 1000);
    this.watchdog.unref?.();
  }

  get size(): number {
    return this.viewers.size;
  }

  async start(id: string, req: WhepStart): Promise<WhepStarted> {
    if (this.closed) throw new NvrError('unavailable', 'live view is shutting down');
    const offer = inspectOffer(req.offerSdp);
    const viewer: Viewer = {
      cameraId: req.cameraId,
      stream: req.stream,
      startedMs: performance.now(),
      cleanup: [],
      started: false,
    };
    this.viewers.set(id, viewer);
    const settings = this.opts.settings;
    const log = this.opts.logger.child({ camera: req.cameraId, stream: req.stream, viewer: id });
    try {
      const lease = await this.opts.openHub(req.cameraId, req.stream);
      viewer.cleanup.push(() => lease.release());
      const hub = lease.hub;
      const track = await waitForTrack(hub, settings.trackWaitMs);
      if (!track)
        throw new NvrError(
          'unavailable',
          `camera ${req.cameraId} (${req.stream}) is not streaming`,
          { cameraId: req.cameraId, stream: req.stream },
        );
      const choice = chooseCodec(offer, track.codec, track.parameterSets.sps);
      if (!choice) {
        throw new NvrError(
          'unsupported_codec',
          track.codec === 'h265'
            ? 'the stream is H.265 and the client did not offer H.265: use live HLS or the H.264 transcode'
            : 'the client offers no H.264 with packetization-mode=1',
          { cameraId: req.cameraId, stream: req.stream, codec: track.codec },
        );
      }
      if (this.closed || this.viewers.get(id) !== viewer)
        throw new NvrError('cancelled', 'viewer closed');
      const feed = new ViewerFeed({
        name: `whep:${id}`,
        codec: track.codec,
        send: (p) => viewer.session?.send(p),
        gop: () => hub.gop,
        ssrc: randomInt(1, 0xffffffff),
        initialTimestamp: randomInt(0, 0xffffffff),
        initialSequence: randomInt(0, 0xffff),
        onCodecChange: (codec) => {
          log.info({ codec }, 'stream changed codec; closing viewer');
          void this.end(id, 'source-ended');
        },
      });
      viewer.feed = feed;
      viewer.cleanup.push(hub.subscribe(feed));
      const nativeSrtp = this.opts.nativeSrtp?.();
      const session = new WhepSession({
        offerSdp: restrictOfferToPayloadType(req.offerSdp, offer.videoIndex, choice.payloadType),
        codec: choice,
        feed,
        iceServers: settings.iceServers,
        ...(settings.iceBindAddress ? { iceBindAddress: settings.iceBindAddress } : {}),
        gatherTimeoutMs: settings.gatherTimeoutMs,
        ...(nativeSrtp ? { nativeSrtp } : {}),
        logger: log,
        onStateChange: (state) => {
          if (state === 'connected') {
            log.debug('viewer connected');
            this.opts.onConnected(id);
          }
          if (state === 'failed') void this.end(id, 'ice-failed');
          if (state === 'closed') void this.end(id, 'client-closed');
        },
      });
      viewer.session = session;
      const answerSdp = await session.negotiate();
      if (this.viewers.get(id) !== viewer)
        throw new NvrError('cancelled', 'viewer closed while negotiating');
      viewer.started = true;
      return { answerSdp, codec: track.codec };
    } catch (err) {
      await this.end(id, 'rejected');
      throw err;
    }
  }

  stop(id: string, reason: SessionCloseReason): Promise<void> {
    return this.end(id, reason);
  }

  stats(id: string): WhepViewerStats | undefined {
    const v = this.viewers.get(id);
    if (!v) return undefined;
    const s = v.feed?.stats;
    return {
      connected: v.session?.connected ?? false,
      bytesSent: s?.bytesSent ?? 0,
      packetsSent: s?.packetsSent ?? 0,
      framesSent: s?.framesSent ?? 0,
      plis: s?.plis ?? 0,
      nacks: v.session?.nacks ?? 0,
      stalls: s?.stalls ?? 0,
    };
  }

  /** Every viewer's statistics (for a worker's periodic report). */
  allStats(): Array<WhepViewerStats & { id: string }> {
    return [...this.viewers.keys()].map((id) => ({ id, ...this.stats(id)! }));
  }

  /** The stream stopped (camera removed or reconfigured): its viewers end. */
  streamStopped(cameraId: string, stream: StreamName): void {
    for (const [id, v] of this.viewers)
      if (v.cameraId === cameraId && v.stream === stream) void this.end(id, 'source-ended');
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.watchdog);
    await Promise.all([...this.viewers.keys()].map((id) => this.end(id, 'shutdown')));
  }

  private end(id: string, reason: SessionCloseReason): Promise<void> {
    const viewer = this.viewers.get(id);
    if (!viewer) return Promise.resolve();
    viewer.closing ??= (async () => {
      this.viewers.delete(id);
      viewer.feed?.close();
      for (const c of viewer.cleanup.splice(0).reverse()) {
        try {
          c();
        } catch (err) {
          this.opts.logger.warn({ err: String(err) }, 'viewer cleanup failed');
        }
      }
      await viewer.session?.close();
      if (viewer.started) this.opts.onClosed(id, reason);
    })();
    return viewer.closing;
  }

  /** Once a second: viewers that never connected or went silent. */
  private sweep(): void {
    const { sessionTimeoutMs, silenceTimeoutMs } = this.opts.settings;
    const now = performance.now();
    for (const [id, v] of this.viewers) {
      const s = v.session;
      if (!s) continue;
      if (!s.connected && now - v.startedMs > sessionTimeoutMs) void this.end(id, 'timeout');
      else if (s.connected && now - s.lastRtcpMs > silenceTimeoutMs) void this.end(id, 'timeout');
    }
  }
}
