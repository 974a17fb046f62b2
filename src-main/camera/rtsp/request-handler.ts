// RTSP request handling for the server: OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, GET/SET_PARAMETER,
// TEARDOWN, ANNOUNCE and RECORD, with authentication. Owns the method semantics; connections,
// timeouts and the public API stay in server.ts, pacing and fan-out in the mounts.
import type { Socket as DgramSocket } from 'node:dgram';
import type { Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { ServerAuthenticator } from './auth';
import {
  formatRtpInfo,
  formatSessionHeader,
  formatTransport,
  parseSessionHeader,
  parseTransport,
  type TransportSpec,
} from './headers';
import {
  bodyText,
  getHeader,
  type RtspHeader,
  type RtspRequest,
  type RtspStreamParser,
} from './message';
import type { Clock } from '../../base';
import { PublishMount, type Mount } from './mounts';
import {
  quirkAuthenticator,
  quirkContentBase,
  quirkRtpInfo,
  quirkSetupAllowed,
} from './quirk-rtsp';
import { ServerSession, tcpSink, udpSink, type SessionTrack } from './session';
import { withFaults, type RtpFaults } from './faults';
import { bindUdpPair, closeUdpPair } from './udp';

/** What the handler needs from the server (implemented by RtspServer). */
export interface ServerState {
  readonly mounts: Map<string, Mount>;
  readonly registeredPublishPaths: Set<string>;
  readonly redirects: Map<string, string>;
  readonly sessions: Map<string, ServerSession>;
  readonly auth: ServerAuthenticator | undefined;
  readonly clock: Clock;
  readonly host: string;
  readonly sessionTimeoutMs: number;
  readonly options: {
    publish?: 'any' | 'registered' | 'none';
    tcpHighWaterBytes?: number;
    faults?: RtpFaults;
  };
  emit(event: string, ...args: unknown[]): boolean;
  closeSession(session: ServerSession, reason: string, closeConnection?: boolean): void;
  unpublish(mount: PublishMount): void;
}

export interface Connection {
  id: number;
  socket: Socket;
  parser: RtspStreamParser;
  queue: Promise<void>;
  sessions: Set<ServerSession>;
  /** Interleaved channel -> the session track it belongs to. */
  channels: Map<number, { session: ServerSession; index: number; rtcp: boolean }>;
}

export type Reply = {
  status: number;
  headers?: RtspHeader[];
  body?: string;
  reason?: string;
  after?: () => void;
  close?: boolean;
  /** Write no answer at all (a quirk mount ignoring the request). */
  noReply?: boolean;
};

export const METHODS = [
  'OPTIONS',
  'DESCRIBE',
  'SETUP',
  'PLAY',
  'PAUSE',
  'TEARDOWN',
  'GET_PARAMETER',
  'SET_PARAMETER',
  'ANNOUNCE',
  'RECORD',
];

export class RequestHandler {
  constructor(private readonly s: ServerState) {}

  async dispatch(conn: Connection, req: RtspRequest): Promise<Reply> {
    if (req.version !== 'RTSP/1.0') return { status: 505 };
    const session = this.sessionOf(req);
    const quirk = (session?.mount ?? this.resolveTrack(req.uri)?.mount)?.quirk;
    const alive = quirk?.keepalive;
    if (!alive || ['SETUP', 'PLAY', alive.counts].includes(req.method))
      session?.touch(this.s.clock.monotonicMs());
    if (quirk?.play?.newSessionId && !session && getHeader(req.headers, 'session') !== undefined)
      return { status: 454 }; // quirk: a forgotten (renamed) session id
    const redirect = this.s.redirects.get(splitUri(req.uri).path);
    if (redirect !== undefined && (req.method === 'OPTIONS' || req.method === 'DESCRIBE'))
      return { status: 302, headers: [['Location', absoluteLocation(redirect, req.uri)]] };
    const auth = quirkAuthenticator(quirk) ?? this.s.auth;
    if (req.method === 'OPTIONS' && !auth)
      return { status: 200, headers: [['Public', METHODS.join(', ')]] };
    if (auth) {
      const verdict = auth.verify(req.method, getHeader(req.headers, 'authorization'));
      if (!verdict.ok) {
        return {
          status: 401,
          headers: auth
            .challenges(verdict.stale === true)
            .map((v): RtspHeader => ['WWW-Authenticate', v]),
        };
      }
    }
    switch (req.method) {
      case 'OPTIONS':
        return { status: 200, headers: [['Public', METHODS.join(', ')]] };
      case 'DESCRIBE':
        if (quirk?.describe?.delayMs) await this.delay(quirk.describe.delayMs);
        return this.describe(req);
      case 'SETUP':
        return this.setup(conn, req, session);
      case 'PLAY':
        return this.play(req, session);
      case 'PAUSE':
        if (!session) return { status: 454 };
        session.detachReaders();
        return { status: 200, headers: [['Session', this.sessionHeader(session)]] };
      case 'TEARDOWN':
        if (session) this.s.closeSession(session, 'teardown');
        return { status: 200 };
      case 'GET_PARAMETER':
        if (alive?.ignoreGetParameter) return { status: 0, noReply: true };
        return { status: 200, headers: session ? [['Session', this.sessionHeader(session)]] : [] };
      case 'SET_PARAMETER':
        return { status: 200, headers: session ? [['Session', this.sessionHeader(session)]] : [] };
      case 'ANNOUNCE':
        return this.announce(conn, req);
      case 'RECORD':
        return this.record(session);
      default:
        return { status: 501, headers: [['Public', METHODS.join(', ')]] };
    }
  }

  private sessionOf(req: RtspRequest): ServerSession | undefined {
    const v = getHeader(req.headers, 'session');
    if (v === undefined) return undefined;
    const s = this.s.sessions.get(parseSessionHeader(v).id);
    return s && !s.closed ? s : undefined;
  }

  private sessionHeader(s: ServerSession): string {
    return formatSessionHeader({
      id: s.id,
      timeoutSec: Math.max(1, Math.round((s.timeoutMs ?? this.s.sessionTimeoutMs) / 1000)),
    });
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => this.s.clock.setTimeout(resolve, ms));
  }

  private describe(req: RtspRequest): Reply {
    const { path } = splitUri(req.uri);
    const mount = this.s.mounts.get(path);
    const sdp = mount?.sdp();
    if (!mount || sdp === undefined) return { status: 404 };
    const base = quirkContentBase(mount.quirk, req.uri) ?? [
      'Content-Base',
      `${stripQuery(req.uri).replace(/\/$/, '')}/`,
    ];
    return { status: 200, headers: [['Content-Type', 'application/sdp'], base], body: sdp };
  }

  /** Finds the mount and the track a SETUP URL names ('/door/main/trackID=0' or just '/door/main'). */
  private resolveTrack(uri: string): { mount: Mount; rest: string } | undefined {
    const { path } = splitUri(uri);
    let best: Mount | undefined;
    for (const m of this.s.mounts.values()) {
      if (
        (path === m.path || path.startsWith(`${m.path}/`)) &&
        (!best || m.path.length > best.path.length)
      )
        best = m;
    }
    return best && { mount: best, rest: path.slice(best.path.length + 1) };
  }

  private async setup(
    conn: Connection,
    req: RtspRequest,
    existing: ServerSession | undefined,
  ): Promise<Reply> {
    const transportHeader = getHeader(req.headers, 'transport');
    if (transportHeader === undefined) return { status: 461 };
    const specs = parseTransport(transportHeader);
    const spec = specs.find(
      (s) => s.cast !== 'multicast' && (s.lowerTransport === 'TCP' || s.clientPort !== undefined),
    );
    if (!spec) return { status: 461 };
    const found = this.resolveTrack(req.uri);
    if (!found) return { status: 404 };
    const { mount, rest } = found;
    const mode = spec.mode === 'RECORD' ? 'record' : 'play';
    let index: number;
    if (mode === 'record') {
      if (!(mount instanceof PublishMount) || mount.publisherId !== `conn:${conn.id}`)
        return { status: 455 };
      index = mount.publisherTrackIndex(stripQuery(req.uri));
      if (index < 0) index = mount.tracks().findIndex((t) => t.control === rest);
    } else {
      if (mount.sdp() === undefined) return { status: 404 };
      const tracks = mount.tracks();
      index = rest === '' && tracks.length === 1 ? 0 : tracks.findIndex((t) => t.control === rest);
    }
    if (index < 0 || !quirkSetupAllowed(mount.quirk, req.uri)) return { status: 404 };
    if (existing && (existing.mount !== mount || existing.mode !== mode)) return { status: 459 };
    if (existing?.tracks.has(index)) return { status: 455, reason: 'Track Already Set Up' };

    const session =
      existing ??
      new ServerSession(
        randomBytes(8).toString('hex'),
        mount,
        mode,
        conn.id,
        this.s.clock.monotonicMs(),
      );
    if (mount.quirk?.keepalive) session.timeoutMs = mount.quirk.keepalive.timeoutSec * 1000;
    let track: SessionTrack;
    const reply: TransportSpec = {
      protocol: spec.protocol,
      lowerTransport: spec.lowerTransport,
      cast: 'unicast',
    };
    if (spec.mode) reply.mode = spec.mode;
    if (spec.lowerTransport === 'TCP') {
      const channels = spec.interleaved ?? this.freeChannels(conn);
      if (conn.channels.has(channels[0]) || conn.channels.has(channels[1]))
        return { status: 461, reason: 'Interleaved Channel In Use' };
      conn.channels.set(channels[0], { session, index, rtcp: false });
      conn.channels.set(channels[1], { session, index, rtcp: true });
      reply.interleaved = channels;
      track = {
        index,
        transport: { kind: 'tcp', channels },
        sink: withFaults(
          tcpSink(conn.socket, channels, this.s.options.tcpHighWaterBytes ?? 512 * 1024),
          () => this.s.options.faults,
          mount.tracks()[index]?.codec,
          'tcp',
        ),
      };
    } else {
      const clientPorts = spec.clientPort!;
      const clientHost = plainAddress(conn.socket.remoteAddress ?? '127.0.0.1');
      const pair = await bindUdpPair(plainAddress(conn.socket.localAddress ?? this.s.host));
      if (conn.socket.destroyed || session.closed) {
        closeUdpPair(pair);
        return { status: 454 };
      }
      this.wireUdp(session, index, pair.rtp, false, clientHost);
      this.wireUdp(session, index, pair.rtcp, true, clientHost);
      reply.clientPort = clientPorts;
      reply.serverPort = [pair.rtpPort, pair.rtcpPort];
      track = {
        index,
        transport: { kind: 'udp', pair, clientHost, clientPorts },
        sink: withFaults(
          udpSink(pair, clientHost, clientPorts),
          () => this.s.options.faults,
          mount.tracks()[index]?.codec,
          'udp',
        ),
      };
    }
    session.tracks.set(index, track);
    if (!existing) {
      this.s.sessions.set(session.id, session);
      conn.sessions.add(session);
      this.s.emit('session', { id: session.id, path: mount.path, mode });
    }
    return {
      status: 200,
      headers: [
        ['Transport', formatTransport(reply)],
        ['Session', this.sessionHeader(session)],
      ],
    };
  }

  private wireUdp(
    session: ServerSession,
    index: number,
    socket: DgramSocket,
    rtcp: boolean,
    clientHost: string,
  ): void {
    socket.on('message', (msg, rinfo) => {
      if (session.closed || plainAddress(rinfo.address) !== clientHost) return;
      const now = this.s.clock.monotonicMs();
      if (!session.mount.quirk?.keepalive) session.touch(now); // quirk: RTCP does not count
      if (session.mode !== 'record' || !(session.mount instanceof PublishMount)) return;
      const bytes = new Uint8Array(msg.buffer, msg.byteOffset, msg.length);
      if (rtcp) session.mount.pushRtcp(index, bytes);
      else session.mount.pushRtp(index, bytes, now);
    });
    socket.on('error', () => undefined);
  }

  private freeChannels(conn: Connection): [number, number] {
    let ch = 0;
    while (conn.channels.has(ch) || conn.channels.has(ch + 1)) ch += 2;
    return [ch, ch + 1];
  }

  private play(req: RtspRequest, session: ServerSession | undefined): Reply {
    if (!session) return { status: 454 };
    if (session.mode !== 'play') return { status: 455 };
    if (session.mount.sdp() === undefined) return { status: 404 };
    const quirk = session.mount.quirk;
    if (quirk?.play?.newSessionId && session.state !== 'playing') {
      this.s.sessions.delete(session.id);
      session.id = randomBytes(8).toString('hex');
      this.s.sessions.set(session.id, session);
    }
    const headers: RtspHeader[] = [
      ['Session', this.sessionHeader(session)],
      ['Range', 'npt=0.000-'],
    ];
    if (session.state === 'playing') return { status: 200, headers };
    const base = stripQuery(req.uri).replace(/\/$/, '');
    const tracks = session.mount.tracks();
    const info = [...session.tracks.values()].map((t) => {
      const mt = tracks[t.index]!;
      return {
        url: base.endsWith(`/${mt.control}`) ? base : `${base}/${mt.control}`,
        ...mt.fanout.startInfo(),
      };
    });
    const rtpInfo = quirkRtpInfo(quirk, info);
    if (rtpInfo.length > 0) headers.push(['RTP-Info', formatRtpInfo(rtpInfo)]);
    // Attach after the response is written, so the cached keyframe group follows the 200 on TCP.
    return { status: 200, headers, after: () => session.attachReaders() };
  }

  private announce(conn: Connection, req: RtspRequest): Reply {
    const { path } = splitUri(req.uri);
    const policy = this.s.options.publish ?? 'any';
    const existing = this.s.mounts.get(path);
    if (policy === 'none' || (policy === 'registered' && !this.s.registeredPublishPaths.has(path)))
      return { status: 403 };
    if (existing && !(existing instanceof PublishMount))
      return { status: 403, reason: 'Path Served By A Clip' };
    const contentType = getHeader(req.headers, 'content-type') ?? 'application/sdp';
    if (!contentType.toLowerCase().startsWith('application/sdp')) return { status: 415 };
    const mount = existing ?? new PublishMount(path);
    if (mount.publisherId !== undefined) return { status: 455, reason: 'Path Already Published' };
    mount.announce(bodyText(req), `conn:${conn.id}`);
    this.s.mounts.set(path, mount);
    // If the publishing connection drops before a session exists, free the path.
    conn.socket.once('close', () => {
      if (mount.publisherId === `conn:${conn.id}`) this.s.unpublish(mount);
    });
    return { status: 200 };
  }

  private record(session: ServerSession | undefined): Reply {
    if (!session) return { status: 454 };
    if (session.mode !== 'record' || !(session.mount instanceof PublishMount))
      return { status: 455 };
    session.state = 'recording';
    session.mount.recording = true;
    this.s.emit('publish', session.mount.path);
    return { status: 200, headers: [['Session', this.sessionHeader(session)]] };
  }
}

export function stripQuery(uri: string): string {
  const q = uri.search(/[?#]/);
  return q < 0 ? uri : uri.slice(0, q);
}

/** Mount path of a request URI: 'rtsp://h:1/door/main/?x' -> '/door/main'. */
export function splitUri(uri: string): { path: string } {
  let path = stripQuery(uri);
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/]*(.*)$/i.exec(path);
  if (m) path = m[1]!;
  return { path: normalizePath(path) };
}

export function normalizePath(path: string): string {
  let p = path.startsWith('/') ? path : `/${path}`;
  p = p.replace(/\/+/g, '/');
  while (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
  return p;
}

/** A redirect target: absolute as given, or a path on the host the request named. */
function absoluteLocation(location: string, requestUri: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) return location;
  const origin = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(requestUri)?.[0] ?? '';
  return `${origin}${normalizePath(location)}`;
}

function plainAddress(addr: string): string {
  return addr.startsWith('::ffff:') ? addr.slice(7) : addr;
}
