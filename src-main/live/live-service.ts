// LiveService: the live view of every camera stream. WHEP viewers (admission against the caps, ids,
// session records, statistics; the sessions themselves run in a WhepBackend: the recording worker
// that owns the stream when the engine provides one, else a WhepHost in this thread) and live HLS
// streams (started on first request, stopped when idle). Reaches cameras only through the injected
// `openHub` and backend; owns no camera session.
import { randomBytes } from 'node:crypto';
import { NvrError } from '../base';
import type { Logger } from '../base';
import type { StreamTrack } from '../camera';
import type { StreamName } from '../../src-preload/contract';
import { LiveHlsStream } from './live-hls';
import { inspectOffer } from './offer-sdp';
import { TranscodeHubs } from './transcode';
import type {
  LiveHlsFile,
  LiveServiceOptions,
  OpenHub,
  ViewerStats,
  WhepAnswer,
  WhepRequest,
} from './types';
import { WhepHost } from './whep-host';
import type { WhepBackend, WhepBackendEvents, WhepSettings } from './whep-host';
import { loadWerift } from './werift-loader';
import { nativeSrtpLoader } from './native-srtp';
import type { SessionCloseReason } from './whep-session';

interface ViewerRecord {
  id: string;
  cameraId: string;
  stream: StreamName;
  startedMs: number;
  connectedMs?: number;
  codec?: StreamTrack['codec'];
  backend: WhepBackend;
  owner?: string;
}

interface HlsRecord {
  key: string;
  cameraId: string;
  stream: StreamName;
  transcode: boolean;
  hls: LiveHlsStream;
  ready: Promise<void>;
  lastRequestMs: number;
  startedMs: number;
  close: () => void;
}

function throwTranscodeDisabled(): never {
  throw new NvrError('not_implemented', 'the H.264 transcode is not enabled on this engine');
}

const HLS_FILE = /^(?:live\.m3u8|init-(\d{1,9})\.mp4|seg-(\d{1,12})\.m4s)$/;

export class LiveService {
  private readonly viewers = new Map<string, ViewerRecord>();
  private readonly hlsStreams = new Map<string, HlsRecord>();
  private readonly watchdog: ReturnType<typeof setInterval>;
  private prewarm: ReturnType<typeof setTimeout> | undefined;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly transcoder: TranscodeHubs | undefined;
  /** Viewers of camera streams; viewers of transcoded streams run in `transcodeViewers`. */
  private readonly cameraViewers: WhepBackend;
  private readonly transcodeViewers: WhepHost | undefined;
  private closed = false;

  constructor(private readonly opts: LiveServiceOptions) {
    this.logger = opts.logger;
    this.now = opts.nowMs ?? Date.now;
    this.transcoder = opts.transcode
      ? new TranscodeHubs(opts.openHub, opts.transcode, opts.logger.child({ module: 'transcode' }))
      : undefined;
    const settings: WhepSettings = {
      iceServers: opts.iceServers ?? [],
      ...(opts.iceBindAddress ? { iceBindAddress: opts.iceBindAddress } : {}),
      gatherTimeoutMs: opts.gatherTimeoutMs ?? 8000,
      trackWaitMs: opts.trackWaitMs ?? 5000,
      sessionTimeoutMs: opts.sessionTimeoutMs,
      silenceTimeoutMs: opts.silenceTimeoutMs ?? Math.min(8000, opts.sessionTimeoutMs),
    };
    const events: WhepBackendEvents = {
      onConnected: (id) => {
        const r = this.viewers.get(id);
        if (r) r.connectedMs ??= this.now();
      },
      onClosed: (id, reason) => void this.closeViewer(id, reason, false),
    };
    const nativeSrtp = nativeSrtpLoader(opts.nativeSrtp !== false, opts.logger);
    const host = (openHub: OpenHub) =>
      new WhepHost({ openHub, settings, nativeSrtp, logger: opts.logger, ...events });
    this.cameraViewers = opts.whepBackend?.(events, settings) ?? host(opts.openHub);
    this.transcodeViewers = this.transcoder ? host(this.hubOpener(true)) : undefined;
    this.watchdog = setInterval(() => this.sweep(), 1000);
    this.watchdog.unref?.();
    if (opts.prewarmWebRtcMs !== undefined) {
      this.prewarm = setTimeout(() => void loadWerift(), opts.prewarmWebRtcMs);
      this.prewarm.unref?.();
    }
  }

  // -------------------------------------------------------------------------------------------
  // WebRTC (WHEP)

  async startWhep(req: WhepRequest): Promise<WhepAnswer> {
    if (this.closed) throw new NvrError('unavailable', 'live view is shutting down');
    this.admit(req.cameraId, req.stream, req.owner);
    inspectOffer(req.offerSdp); // a malformed offer gets its 400 before anything starts
    const backend = this.backendFor(req);
    const id = randomBytes(12).toString('base64url');
    const record: ViewerRecord = {
      id,
      cameraId: req.cameraId,
      stream: req.stream,
      startedMs: this.now(),
      backend,
      ...(req.owner !== undefined ? { owner: req.owner } : {}),
    };
    this.viewers.set(id, record); // holds the slot while negotiating
    this.notifyViewers(req.cameraId, req.stream);
    try {
      const started = await backend.start(id, {
        cameraId: req.cameraId,
        stream: req.stream,
        offerSdp: req.offerSdp,
      });
      if (this.viewers.get(id) !== record)
        throw new NvrError('cancelled', 'viewer closed while negotiating');
      record.codec = started.codec;
      this.logger.info(
        { camera: req.cameraId, stream: req.stream, viewer: id, codec: started.codec },
        'viewer started',
      );
      return { answerSdp: started.answerSdp, sessionId: id };
    } catch (err) {
      await this.closeViewer(id, 'rejected');
      throw err;
    }
  }

  /** Ends a WHEP session (DELETE on its resource). */
  async stopWhep(sessionId: string, cameraId?: string): Promise<void> {
    const record = this.viewers.get(sessionId);
    if (!record || (cameraId !== undefined && record.cameraId !== cameraId))
      throw new NvrError('not_found', 'no such live session', { sessionId });
    await this.closeViewer(sessionId, 'deleted');
  }

  /** Viewers (WebRTC sessions and live HLS streams), optionally of one camera. */
  viewerStats(cameraId?: string): ViewerStats[] {
    const out: ViewerStats[] = [];
    for (const r of this.viewers.values()) {
      if (cameraId !== undefined && r.cameraId !== cameraId) continue;
      const s = r.backend.stats(r.id);
      out.push({
        sessionId: r.id,
        kind: 'webrtc',
        cameraId: r.cameraId,
        stream: r.stream,
        ...(r.codec ? { codec: r.codec } : {}),
        state: s?.connected ? 'connected' : 'connecting',
        startedMs: r.startedMs,
        ...(r.connectedMs !== undefined ? { connectedMs: r.connectedMs } : {}),
        bytesSent: s?.bytesSent ?? 0,
        packetsSent: s?.packetsSent ?? 0,
        framesSent: s?.framesSent ?? 0,
        plis: s?.plis ?? 0,
        nacks: s?.nacks ?? 0,
        stalls: s?.stalls ?? 0,
      });
    }
    for (const h of this.hlsStreams.values()) {
      if (cameraId !== undefined && h.cameraId !== cameraId) continue;
      out.push({
        sessionId: `hls:${h.key}`,
        kind: 'hls',
        cameraId: h.cameraId,
        stream: h.stream,
        state: 'connected',
        startedMs: h.startedMs,
        bytesSent: h.hls.bytesServed,
        packetsSent: h.hls.requests,
        framesSent: 0,
        plis: 0,
        nacks: 0,
        stalls: 0,
      });
    }
    return out;
  }

  /** Live viewers of one stream (WebRTC sessions, plus 1 while its live HLS stream runs). */
  viewerCount(cameraId: string, stream: StreamName): number {
    let n = 0;
    for (const r of this.viewers.values()) if (r.cameraId === cameraId && r.stream === stream) n++;
    for (const h of this.hlsStreams.values())
      if (h.cameraId === cameraId && h.stream === stream) n++;
    return n;
  }

  /** WebRTC sessions (connecting or connected) and live HLS players of one stream. */
  viewerCounts(cameraId: string, stream: StreamName): { webrtc: number; hls: number } {
    let webrtc = 0;
    let hls = 0;
    for (const r of this.viewers.values())
      if (r.cameraId === cameraId && r.stream === stream) webrtc++;
    for (const h of this.hlsStreams.values())
      if (h.cameraId === cameraId && h.stream === stream) hls += h.hls.clientCount();
    return { webrtc, hls };
  }

  // -------------------------------------------------------------------------------------------
  // Live HLS

  /**
   * One file of a stream's live HLS: `live.m3u8`, `init-<n>.mp4` or `seg-<n>.m4s`. The first request
   * starts the stream's HLS consumer; the playlist waits briefly for its first segments.
   * `uri` maps a file name to the URI written in the playlist (relative to the playlist).
   */
  async liveHls(
    cameraId: string,
    stream: StreamName,
    file: string,
    options: { uri?: (file: string) => string; transcode?: 'h264' } = {},
  ): Promise<LiveHlsFile> {
    const m = HLS_FILE.exec(file);
    if (!m) throw new NvrError('not_found', 'no such live HLS file', { file });
    if (this.closed) throw new NvrError('unavailable', 'live view is shutting down');
    const record = await this.hlsRecord(cameraId, stream, options.transcode === 'h264');
    record.lastRequestMs = this.now();
    const hls = record.hls;
    hls.requests++;
    if (file === 'live.m3u8') {
      await hls.waitForSegments(2, 4000);
      // Segments start at keyframes: with a long GOP the first one can take a whole GOP.
      if (hls.segmentCount === 0) await hls.waitForSegments(1, 8000);
      const uri = options.uri ?? ((f: string) => `live/${f}?stream=${stream}`);
      return { contentType: 'application/vnd.apple.mpegurl', body: hls.playlist(uri) };
    }
    const bytes = m[1] !== undefined ? hls.init(Number(m[1])) : hls.segment(Number(m[2]));
    if (!bytes) throw new NvrError('not_found', 'live HLS file is no longer available', { file });
    hls.bytesServed += bytes.length;
    return { contentType: m[1] !== undefined ? 'video/mp4' : 'video/iso.segment', body: bytes };
  }

  /** Closes every viewer and live HLS stream. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.watchdog);
    clearTimeout(this.prewarm);
    await Promise.all([...this.viewers.keys()].map((id) => this.closeViewer(id, 'shutdown')));
    await Promise.all([this.cameraViewers.close(), this.transcodeViewers?.close()]);
    for (const h of [...this.hlsStreams.values()]) h.close();
    await this.transcoder?.close();
  }

  // -------------------------------------------------------------------------------------------

  private backendFor(req: { transcode?: 'h264' | undefined }): WhepBackend {
    if (req.transcode !== 'h264') return this.cameraViewers;
    return this.transcodeViewers ?? throwTranscodeDisabled();
  }

  private hubOpener(transcode: boolean): OpenHub {
    const t = this.transcoder;
    if (!transcode) return this.opts.openHub;
    if (!t) return throwTranscodeDisabled();
    return (cameraId, stream) => t.open(cameraId, stream);
  }

  private admit(cameraId: string, stream: StreamName, owner: string | undefined): void {
    const total = this.viewers.size;
    if (total >= this.opts.maxViewersTotal)
      throw new NvrError(
        'unavailable',
        `too many live viewers: ${total} of at most ${this.opts.maxViewersTotal} are watching`,
        { limit: this.opts.maxViewersTotal },
      );
    let perStream = 0;
    for (const r of this.viewers.values())
      if (r.cameraId === cameraId && r.stream === stream) perStream++;
    if (perStream >= this.opts.maxViewersPerStream)
      throw new NvrError(
        'unavailable',
        `too many live viewers of camera ${cameraId} (${stream}): at most ${this.opts.maxViewersPerStream}`,
        { cameraId, stream, limit: this.opts.maxViewersPerStream },
      );
    if (owner === undefined) return;
    const perUser =
      this.opts.maxViewersPerUserPerStream ?? Math.ceil(this.opts.maxViewersPerStream / 2);
    let mine = 0;
    for (const r of this.viewers.values())
      if (r.cameraId === cameraId && r.stream === stream && r.owner === owner) mine++;
    if (mine >= perUser)
      throw new NvrError(
        'unavailable',
        `too many live viewers of camera ${cameraId} (${stream}) for one user: at most ${perUser} of its ${this.opts.maxViewersPerStream}`,
        { cameraId, stream, limit: perUser },
      );
  }

  /** Forgets a viewer and, unless the backend reported its end, ends its session there. */
  private async closeViewer(
    id: string,
    reason: SessionCloseReason,
    tellBackend = true,
  ): Promise<void> {
    const record = this.viewers.get(id);
    if (!record) return;
    this.viewers.delete(id);
    this.logger.info(
      { camera: record.cameraId, stream: record.stream, viewer: id, reason },
      'viewer closed',
    );
    this.notifyViewers(record.cameraId, record.stream);
    if (!tellBackend) return;
    try {
      await record.backend.stop(id, reason);
    } catch (err) {
      this.logger.warn({ err: String(err), viewer: id }, 'viewer close failed');
    }
  }

  private notifyViewers(cameraId: string, stream: StreamName): void {
    this.opts.onViewersChanged?.(cameraId, stream, this.viewerCount(cameraId, stream));
  }

  /** Once a second: idle live HLS streams (WHEP backends time their own viewers out). */
  private sweep(): void {
    const idleMs = this.opts.hls?.idleMs ?? 30_000;
    const now = this.now();
    for (const h of this.hlsStreams.values()) if (now - h.lastRequestMs > idleMs) h.close();
  }

  private async hlsRecord(
    cameraId: string,
    stream: StreamName,
    transcode: boolean,
  ): Promise<HlsRecord> {
    const key = `${cameraId}:${stream}${transcode ? ':h264' : ''}`;
    const existing = this.hlsStreams.get(key);
    if (existing) {
      await existing.ready;
      return existing;
    }
    const hls = new LiveHlsStream(`hls:${key}`, {
      ...(this.opts.hls?.segmentDurationMs
        ? { segmentDurationMs: this.opts.hls.segmentDurationMs }
        : {}),
      ...(this.opts.hls?.windowSegments ? { windowSegments: this.opts.hls.windowSegments } : {}),
      nowMs: this.now,
    });
    const cleanup: Array<() => void> = [];
    const record: HlsRecord = {
      key,
      cameraId,
      stream,
      transcode,
      hls,
      ready: Promise.resolve(),
      lastRequestMs: this.now(),
      startedMs: this.now(),
      close: () => {
        if (this.hlsStreams.get(key) !== record) return;
        this.hlsStreams.delete(key);
        hls.close();
        for (const c of cleanup.splice(0).reverse()) c();
        this.logger.info({ camera: cameraId, stream }, 'live HLS stopped');
        this.notifyViewers(cameraId, stream);
      },
    };
    record.ready = (async () => {
      const lease = await this.hubOpener(transcode)(cameraId, stream);
      cleanup.push(() => lease.release());
      if (this.hlsStreams.get(key) !== record) {
        lease.release();
        return;
      }
      cleanup.push(lease.hub.subscribe(hls));
      this.logger.info({ camera: cameraId, stream, transcode }, 'live HLS started');
      this.notifyViewers(cameraId, stream);
    })();
    this.hlsStreams.set(key, record);
    try {
      await record.ready;
    } catch (err) {
      this.hlsStreams.delete(key);
      throw err;
    }
    return record;
  }
}
