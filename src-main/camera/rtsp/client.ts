// RtspClient: one connection, one RTSP session, the first video track of a camera. Runs
// OPTIONS, DESCRIBE, SETUP (TCP interleaved or UDP), PLAY, keepalive and TEARDOWN, and emits
// access units. No reconnects (that is RtspCameraSession) and no knowledge of what consumes the video.
import { EventEmitter } from 'node:events';
import { isIP } from 'node:net';
import { NvrError, isNvrError, redactUrl } from '../../base';
import type { AccessUnit } from '../../media';
import { resolveControlUrl } from '../../media/sdp';
import { RtspConnection } from './client-connection';
import { contextOf, pickVideo, readDescribe, readSession } from './client-describe';
import { accessUnitIterator } from './client-iterator';
import { SessionTimers } from './client-timers';
import { TrackReceiver } from './client-track';
import { systemClock, type Clock } from '../../base';
import { defaultSocketOpener, tlsSocketOpener } from './client-types';
import type {
  DecodeCounters,
  RtspClientEvents,
  RtspClientOptions,
  RtspClientStats,
  TrackInfo,
} from './client-types';
import { parseMethodList, parseTransport } from './headers';
import { encodeInterleaved, getHeader } from './message';
import type { RtspResponse } from './message';
import { isLoopback, parseRtspUrl } from './client-url';
import type { ParsedUrl } from './client-url';
import { isRedirect, redirectTarget } from './client-url';
import { bindUdpPair } from './udp-transport';
import type { UdpPair } from './udp-transport';

type Attempt = 'tcp' | 'udp';

/** 3xx answers followed before giving up. */
const MAX_REDIRECTS = 3;

export class RtspClient extends EventEmitter<RtspClientEvents> {
  private readonly clock: Clock;
  /** Where requests go; a 3xx redirect replaces it (and the credentials, see redirectTarget). */
  private target: ParsedUrl;
  private credentials: { username?: string; password?: string };
  private readonly timeoutMs: number;
  private conn: RtspConnection | undefined;
  private udp: UdpPair | undefined;
  private receiver: TrackReceiver | undefined;
  private publicMethods: string[] = [];
  private playUrl = '';
  private timers: SessionTimers | undefined;
  private state: 'new' | 'connecting' | 'playing' | 'closed' = 'new';
  private transport: Attempt | undefined;
  private firstRtp: (() => void) | undefined;
  private readonly onAbort = (): void => this.abort();

  constructor(private readonly options: RtspClientOptions) {
    super();
    this.clock = options.clock ?? systemClock;
    this.target = parseRtspUrl(options.url);
    this.credentials = {
      username: options.username ?? this.target.username,
      password: options.password ?? this.target.password,
    };
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  get track(): TrackInfo | undefined {
    return this.receiver?.info;
  }

  get transportUsed(): Attempt | undefined {
    return this.transport;
  }

  get stats(): RtspClientStats {
    return this.receiver
      ? { ...this.receiver.counters }
      : {
          rtpPackets: 0,
          rtpBytes: 0,
          droppedPackets: 0,
          accessUnits: 0,
          rtcpPackets: 0,
          receiverReportsSent: 0,
        };
  }

  /** What a decoder would see of this connection's video (undefined before SETUP). */
  get decodeCounters(): DecodeCounters | undefined {
    return this.receiver?.decode;
  }

  /** Connects and starts playing; resolves with the track. Rejects with an NvrError. */
  async connect(): Promise<TrackInfo> {
    if (this.state !== 'new')
      throw new NvrError('conflict', 'connect() may be called once', { url: this.target.url });
    this.state = 'connecting';
    this.options.signal?.addEventListener('abort', this.onAbort, { once: true });
    // RTSPS carries RTP interleaved in the TLS connection: UDP would need SRTP.
    const mode = this.target.tls ? 'tcp' : (this.options.transport ?? 'auto');
    try {
      if (mode !== 'auto') return await this.attempt(mode, false);
      try {
        return await this.attempt('udp', true);
      } catch (e) {
        const method = isNvrError(e) ? e.context.method : undefined;
        const fallback =
          isNvrError(e) &&
          !['auth', 'unsupported_codec', 'cancelled'].includes(e.kind) &&
          (method === 'SETUP' || method === 'PLAY' || method === 'RTP');
        if (!fallback || this.state !== 'connecting') throw e;
        this.teardownQuietly();
        return await this.attempt('tcp', false);
      }
    } catch (e) {
      this.shutdown();
      this.options.signal?.removeEventListener('abort', this.onAbort);
      this.state = 'closed';
      throw isNvrError(e)
        ? e
        : new NvrError('internal', String(e), { url: this.target.url }, { cause: e });
    }
  }

  private async openConnection(): Promise<RtspConnection> {
    const conn = new RtspConnection({
      url: this.target.url,
      host: this.target.host,
      port: this.target.port,
      ...this.credentials,
      timeoutMs: this.timeoutMs,
      clock: this.clock,
      openSocket:
        this.options.openSocket ??
        (this.target.tls ? tlsSocketOpener(this.options.tlsVerify ?? false) : defaultSocketOpener),
      userAgent: this.options.userAgent ?? 'nvr-rtsp/0.1',
      ...(this.options.signal ? { signal: this.options.signal } : {}),
    });
    this.conn = conn;
    conn.onClose = (err) => this.onConnectionLost(conn, err);
    await conn.open();
    return conn;
  }

  /**
   * OPTIONS and DESCRIBE, following up to MAX_REDIRECTS 3xx answers (cameras behind a
   * redirector, or one that moved the stream to another port); a new host or port gets a new
   * connection. Resolves with the connection that answered DESCRIBE with 2xx.
   */
  private async describe(): Promise<{ conn: RtspConnection; describe: RtspResponse }> {
    let conn = await this.openConnection();
    for (let hops = 0; ; hops++) {
      const url = this.target.url;
      const options = await conn.request('OPTIONS', url, [], () => true);
      this.publicMethods = parseMethodList(getHeader(options.headers, 'public') ?? '');
      let res = options;
      if (!isRedirect(options.statusCode))
        res = await conn.request(
          'DESCRIBE',
          url,
          [['Accept', 'application/sdp']],
          (c) => (c >= 200 && c < 300) || isRedirect(c),
        );
      if (!isRedirect(res.statusCode)) return { conn, describe: res };
      const method = res === options ? 'OPTIONS' : 'DESCRIBE';
      const location = getHeader(res.headers, 'location');
      if (hops >= MAX_REDIRECTS || location === undefined || location === '')
        throw conn.error(
          'protocol',
          location ? `more than ${MAX_REDIRECTS} redirects` : `${res.statusCode} without Location`,
          contextOf(res, method),
        );
      const next = redirectTarget(this.target, this.credentials, location);
      const moved = next.target.host !== this.target.host || next.target.port !== this.target.port;
      this.target = next.target;
      this.credentials = next.credentials;
      if (moved) {
        conn.close();
        conn = await this.openConnection();
      }
    }
  }

  private async attempt(transport: Attempt, waitForRtp: boolean): Promise<TrackInfo> {
    const { conn, describe } = await this.describe();
    const { sdp, base } = readDescribe(conn, describe, this.target.url);
    const sdpTrack = pickVideo(conn, sdp, describe);
    const controlUrl = resolveControlUrl(base, sdpTrack.control);
    this.playUrl = resolveControlUrl(base, sdp.control);

    const receiver = new TrackReceiver(sdpTrack, redactUrl(controlUrl), transport, {
      accessUnit: (au, info) => this.emitAccessUnit(au, info),
      parameterSetsChanged: (info) =>
        this.state === 'playing' && this.emit('parameterSetsChanged', info),
      discontinuity: (reason) => this.state === 'playing' && this.emit('discontinuity', reason),
    });
    this.receiver = receiver;

    const setup = await this.setup(conn, controlUrl, transport);
    const session = readSession(conn, setup);
    conn.sessionId = session.id;
    const timeoutSec = session.timeoutSec ?? 60;

    const gotRtp = waitForRtp ? this.waitForFirstRtp(conn) : undefined;
    await conn.request('PLAY', this.playUrl, [['Range', 'npt=0.000-']]);
    this.transport = transport;
    this.udp?.punch();
    if (gotRtp) await gotRtp;
    if (this.state !== 'connecting')
      throw conn.error('cancelled', 'closed while connecting', { method: 'PLAY' });
    this.state = 'playing';
    this.startTimers(conn, timeoutSec);
    return receiver.info;
  }

  private async setup(
    conn: RtspConnection,
    controlUrl: string,
    transport: Attempt,
  ): Promise<RtspResponse> {
    let header: string;
    if (transport === 'udp') {
      const bind =
        this.options.udpBindAddress ?? (isLoopback(this.target.host) ? '127.0.0.1' : '0.0.0.0');
      try {
        this.udp = await bindUdpPair(bind);
      } catch (e) {
        throw conn.error(
          'unavailable',
          e instanceof Error ? e.message : String(e),
          { method: 'SETUP' },
          e,
        );
      }
      header = `RTP/AVP;unicast;client_port=${this.udp.rtpPort}-${this.udp.rtcpPort}`;
    } else header = 'RTP/AVP/TCP;unicast;interleaved=0-1';
    const res = await conn.request('SETUP', controlUrl, [['Transport', header]]);
    let answered;
    try {
      answered = parseTransport(getHeader(res.headers, 'transport') ?? header)[0]!;
    } catch (e) {
      throw conn.error(
        'protocol',
        'bad Transport header in the SETUP answer',
        contextOf(res, 'SETUP'),
        e,
      );
    }
    if (transport === 'udp' && answered.lowerTransport === 'TCP') {
      throw conn.error('protocol', 'server answered UDP SETUP with TCP', contextOf(res, 'SETUP'));
    }
    if (transport === 'udp') {
      const udp = this.udp!;
      // Datagrams come from the address we reached over TCP (or the one the server names).
      const source =
        answered.source !== undefined && isIP(answered.source) ? answered.source : undefined;
      udp.setPeer(
        source ?? conn.remoteAddress ?? this.target.host,
        answered.serverPort?.[0],
        answered.serverPort?.[1],
      );
      udp.onRtp((packet) => this.guard(conn, () => this.onRtp(packet)));
      udp.onRtcp((packet) =>
        this.guard(conn, () => this.receiver?.pushRtcp(packet, this.clock.nowMs())),
      );
    } else {
      const [rtpChannel, rtcpChannel] = answered.interleaved ?? [0, 1];
      this.rtcpChannel = rtcpChannel;
      conn.onInterleaved = (frame) => {
        if (frame.channel === rtpChannel) this.onRtp(frame.payload);
        else if (frame.channel === rtcpChannel)
          this.receiver?.pushRtcp(frame.payload, this.clock.nowMs());
      };
    }
    return res;
  }

  private rtcpChannel = 1;

  /** Runs datagram handling; a bug downstream ends the session instead of the process. */
  private guard(conn: RtspConnection, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      conn.fail(
        isNvrError(e)
          ? e
          : conn.error('internal', `failed to handle camera data: ${msg}`, { method: 'RTP' }, e),
      );
    }
  }

  private onRtp(packet: Uint8Array): void {
    if (this.state === 'closed' || !this.receiver) return;
    this.receiver.pushRtp(packet, this.clock.nowMs());
    if (this.firstRtp && this.receiver.hasReceivedRtp) this.firstRtp();
  }

  private emitAccessUnit(au: AccessUnit, info: TrackInfo): void {
    if (this.state === 'closed') return;
    this.emit('accessUnit', au, info);
  }

  private waitForFirstRtp(conn: RtspConnection): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const ms = this.options.udpFirstPacketTimeoutMs ?? 2000;
      const timer = this.clock.setTimeout(() => {
        this.firstRtp = undefined;
        reject(conn.error('timeout', `no RTP over UDP within ${ms} ms`, { method: 'RTP' }));
      }, ms);
      this.firstRtp = () => {
        this.firstRtp = undefined;
        this.clock.clearTimeout(timer);
        resolve();
      };
    });
  }

  private startTimers(conn: RtspConnection, timeoutSec: number): void {
    this.timers = new SessionTimers({
      clock: this.clock,
      conn,
      timeoutSec,
      // No Public list at all: try GET_PARAMETER (the RFC's liveness ping); refusals fall back.
      useGetParameter:
        this.publicMethods.length === 0 || this.publicMethods.includes('GET_PARAMETER'),
      optionsUrl: this.target.url,
      playUrl: this.playUrl,
      receiverReportIntervalMs: this.options.receiverReportIntervalMs ?? 5000,
      isPlaying: () => this.state === 'playing',
      sendReceiverReport: () => {
        const rr = this.receiver?.receiverReport(this.clock.nowMs());
        if (!rr) return;
        if (this.udp) this.udp.sendRtcp(rr);
        else conn.write(encodeInterleaved(this.rtcpChannel, rr));
      },
    });
  }

  private onConnectionLost(conn: RtspConnection, err: NvrError): void {
    if (conn !== this.conn || this.state !== 'playing') return;
    this.state = 'closed';
    this.shutdown();
    this.options.signal?.removeEventListener('abort', this.onAbort);
    this.emit('close', err);
  }

  private abort(): void {
    const err = new NvrError('cancelled', 'cancelled', { url: this.target.url });
    if (this.state === 'connecting') this.conn?.fail(err);
    else if (this.state === 'playing') void this.close();
  }

  /** Stops a failed UDP attempt before the TCP one (best effort, no waiting). */
  private teardownQuietly(): void {
    const conn = this.conn;
    if (conn && !conn.isClosed && conn.sessionId !== undefined)
      conn.request('TEARDOWN', this.playUrl).catch(() => undefined);
    this.shutdown();
    this.receiver = undefined;
    this.conn = undefined;
  }

  private shutdown(): void {
    this.timers?.stop();
    this.timers = undefined;
    this.firstRtp = undefined;
    this.udp?.close();
    this.udp = undefined;
    this.conn?.close();
  }

  /** Sends TEARDOWN (waiting briefly for its answer) and releases everything. Emits 'close'. */
  async close(): Promise<void> {
    const wasPlaying = this.state === 'playing';
    if (this.state === 'closed') return;
    if (this.state === 'connecting')
      this.conn?.fail(
        new NvrError('cancelled', 'closed while connecting', { url: this.target.url }),
      );
    this.state = 'closed';
    const conn = this.conn;
    if (wasPlaying && conn && !conn.isClosed && conn.sessionId !== undefined) {
      let timer: unknown;
      await Promise.race([
        conn.request('TEARDOWN', this.playUrl, [], () => true).catch(() => undefined),
        new Promise<void>((resolve) => {
          timer = this.clock.setTimeout(resolve, Math.min(this.timeoutMs, 2000));
        }),
      ]);
      this.clock.clearTimeout(timer);
    }
    this.shutdown();
    this.options.signal?.removeEventListener('abort', this.onAbort);
    if (wasPlaying) this.emit('close', undefined);
  }

  /**
   * Access units as an async iterable, subscribed at once (call it before connect() to miss
   * nothing). It ends when the client closes, throwing the close error if there was one; a reader
   * that falls `maxQueued` behind loses the oldest units rather than blocking the camera.
   */
  accessUnits(maxQueued = 256): AsyncIterableIterator<{ au: AccessUnit; track: TrackInfo }> {
    return accessUnitIterator(this, () => this.state === 'closed', maxQueued);
  }
}
