// The project's RTSP server: demo camera, test camera and re-stream server. Owns TCP connections,
// request dispatch, authentication, sessions and their timeouts; mounts do pacing and fan-out.
// Binds where it is told (default 127.0.0.1); never reaches out to the network itself.
import { EventEmitter } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { NvrError, isNvrError, systemClock, type Clock } from '../../base';
import type { VideoCodec } from '../../media';
import {
  ServerAuthenticator,
  type AuthSchemeOption,
  type AuthUser,
  type DigestAlgorithm,
} from './auth';
import { loadClip } from './clip-source';
import {
  RtspStreamParser,
  getHeader,
  serializeResponse,
  type InterleavedFrame,
  type RtspHeader,
  type RtspRequest,
} from './message';
import { ClipMount, PublishMount, type Mount } from './mounts';
import {
  RequestHandler,
  normalizePath,
  type Connection,
  type Reply,
  type ServerState,
} from './request-handler';
import type { RtspQuirk } from './quirks';
import type { ServerSession } from './session';
import type { RtpFaults } from './faults';

export interface RtspServerOptions {
  auth?: {
    users: AuthUser[];
    scheme?: AuthSchemeOption;
    realm?: string;
    algorithms?: DigestAlgorithm[];
  };
  /** Sessions without a request or RTCP for this long are closed (default 60 s). */
  sessionTimeoutMs?: number;
  /** Who may publish: any path not served by a clip (default), only addPublishMount paths, or nobody. */
  publish?: 'any' | 'registered' | 'none';
  /** A TCP reader whose unsent bytes exceed this is dropped to the next keyframe (default 512 KiB). */
  tcpHighWaterBytes?: number;
  senderReportIntervalMs?: number;
  /** Serve RTSPS (RTSP over TLS, RTP interleaved) with this PEM certificate and key. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  clock?: Clock;
  /** Trouble to inject into what readers get (tests, manual testing); changeable through `faults`. */
  faults?: RtpFaults;
}

export interface MountStats {
  path: string;
  kind: 'clip' | 'publish';
  /** Clip: pacer running; publish: a publisher is recording. */
  active: boolean;
  readers: number;
  codec?: VideoCodec;
}

export interface RtspServerStats {
  connections: number;
  sessions: number;
  mounts: MountStats[];
}

/**
 * Events: 'publish' (path), 'unpublish' (path), 'session' ({ id, path, mode }), 'session-closed'
 * ({ id, path, reason }), 'warning' (NvrError) for broken client input.
 */
export class RtspServer extends EventEmitter implements ServerState {
  private server: Server | undefined;
  host = '127.0.0.1';
  private port = 0;
  readonly mounts = new Map<string, Mount>();
  readonly registeredPublishPaths = new Set<string>();
  /** Paths whose OPTIONS/DESCRIBE answer 302 with this Location (absolute, or a path on this server). */
  readonly redirects = new Map<string, string>();
  private readonly connections = new Map<number, Connection>();
  readonly sessions = new Map<string, ServerSession>();
  readonly auth: ServerAuthenticator | undefined;
  readonly clock: Clock;
  readonly sessionTimeoutMs: number;
  private readonly handler = new RequestHandler(this);
  private reaper: ReturnType<typeof setInterval> | undefined;
  private nextConnId = 1;

  constructor(readonly options: RtspServerOptions = {}) {
    super();
    this.clock = options.clock ?? systemClock;
    this.sessionTimeoutMs = options.sessionTimeoutMs ?? 60_000;
    if (options.auth) this.auth = new ServerAuthenticator(options.auth);
  }

  async listen(opts: { host?: string; port?: number } = {}): Promise<{ port: number }> {
    if (this.server)
      throw new NvrError('conflict', 'RTSP server already listening', { port: this.port });
    this.host = opts.host ?? '127.0.0.1';
    const onSocket = (socket: Socket): void => this.onConnection(socket);
    const server = this.options.tls
      ? createTlsServer({ cert: this.options.tls.cert, key: this.options.tls.key }, onSocket)
      : createServer(onSocket);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, this.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    const addr = server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : 0;
    for (const m of this.mounts.values()) if (m instanceof ClipMount) m.start();
    const every = Math.max(50, Math.min(1000, this.sessionTimeoutMs / 4));
    this.reaper = setInterval(() => this.reapSessions(), every);
    return { port: this.port };
  }

  /** Stops listening, closes every connection and session, and stops the clip pacers. */
  async close(): Promise<void> {
    clearInterval(this.reaper);
    this.reaper = undefined;
    for (const m of this.mounts.values()) if (m instanceof ClipMount) m.stop();
    this.dropConnections();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Simulates a camera reboot: close everything, then listen again on the same port with fresh RTP numbering. */
  async restart(): Promise<{ port: number }> {
    const port = this.port;
    await this.close();
    return this.listen({ host: this.host, port });
  }

  /** Closes every client connection and session (the listener stays). */
  dropConnections(): void {
    for (const s of [...this.sessions.values()]) this.closeSession(s, 'server dropped connections');
    for (const c of this.connections.values()) c.socket.destroy();
    this.connections.clear();
  }

  get listeningPort(): number {
    return this.port;
  }

  /** Serves an Annex B clip at `path` (e.g. '/door/main'), looped and paced in real time. */
  async addClipStream(
    path: string,
    opts: { file: string; codec?: VideoCodec; fallbackFps?: number; quirk?: RtspQuirk },
  ): Promise<void> {
    const p = normalizePath(path);
    if (this.mounts.has(p))
      throw new NvrError('conflict', 'mount path already in use', { path: p });
    const clip = await loadClip(opts.file, { codec: opts.codec, fallbackFps: opts.fallbackFps });
    const mount = new ClipMount(p, clip, {
      clock: this.clock,
      senderReportIntervalMs: this.options.senderReportIntervalMs,
      quirk: opts.quirk,
    });
    this.mounts.set(p, mount);
    if (this.server) mount.start();
  }

  /** Answers OPTIONS/DESCRIBE of `path` with 302 Moved Temporarily to `location` (a camera behind a redirector). */
  addRedirect(path: string, location: string): void {
    this.redirects.set(normalizePath(path), location);
  }

  /** Allows publishing (ANNOUNCE/RECORD) at `path`; required when options.publish is 'registered'. */
  addPublishMount(path: string): void {
    const p = normalizePath(path);
    const existing = this.mounts.get(p);
    if (existing && existing.kind !== 'publish')
      throw new NvrError('conflict', 'mount path already in use', { path: p });
    this.registeredPublishPaths.add(p);
    if (!existing) this.mounts.set(p, new PublishMount(p));
  }

  /**
   * Stops a mount as a failing camera would: the clip pacer halts (or the publisher is cut off). With
   * closeConnections (default) its readers are disconnected; otherwise they just stop getting packets.
   */
  stopMount(path: string, opts: { closeConnections?: boolean } = {}): void {
    const mount = this.requireMount(path);
    if (mount instanceof ClipMount) mount.stop();
    const close = opts.closeConnections ?? true;
    for (const s of [...this.sessions.values()]) {
      if (s.mount !== mount) continue;
      if (s.mode === 'record' || close) this.closeSession(s, 'mount stopped', true);
    }
  }

  /** Starts a stopped clip mount with new SSRC/sequence/timestamps (a camera after a reboot). */
  startMount(path: string): void {
    const mount = this.requireMount(path);
    if (mount instanceof ClipMount && this.server) mount.start();
  }

  restartMount(path: string): void {
    this.stopMount(path);
    this.startMount(path);
  }

  readerCount(path: string): number {
    return this.mounts.get(normalizePath(path))?.readerCount() ?? 0;
  }

  /** Changes the injected faults for every reader, from their next packet on. */
  setFaults(faults: RtpFaults | undefined): void {
    if (faults) this.options.faults = faults;
    else delete this.options.faults;
  }

  stats(): RtspServerStats {
    return {
      connections: this.connections.size,
      sessions: this.sessions.size,
      mounts: [...this.mounts.values()].map((m) => ({
        path: m.path,
        kind: m.kind,
        active: m instanceof ClipMount ? m.isRunning : (m as PublishMount).recording,
        readers: m.readerCount(),
        codec: m instanceof ClipMount ? m.codec : undefined,
      })),
    };
  }

  private requireMount(path: string): Mount {
    const m = this.mounts.get(normalizePath(path));
    if (!m) throw new NvrError('not_found', 'no such mount', { path });
    return m;
  }

  // ---- connections ----

  private onConnection(socket: Socket): void {
    const id = this.nextConnId++;
    socket.setNoDelay(true);
    const conn: Connection = {
      id,
      socket,
      parser: new RtspStreamParser({ context: { connection: id } }),
      queue: Promise.resolve(),
      sessions: new Set(),
      channels: new Map(),
    };
    this.connections.set(id, conn);
    socket.on('data', (chunk) => {
      let items;
      try {
        items = conn.parser.push(chunk);
      } catch (e) {
        this.emit('warning', e);
        socket.end(serializeResponse({ statusCode: 400, headers: [] }));
        socket.destroy();
        return;
      }
      for (const item of items) {
        if (item.type === 'interleaved') this.onInterleaved(conn, item);
        else if (item.type === 'request')
          conn.queue = conn.queue.then(() => this.handle(conn, item));
        // Responses from clients (to our nothing) are ignored.
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.connections.delete(id);
      for (const s of [...conn.sessions]) this.closeSession(s, 'connection closed');
    });
  }

  private onInterleaved(conn: Connection, frame: InterleavedFrame): void {
    const ch = conn.channels.get(frame.channel);
    if (!ch || ch.session.closed) return;
    const now = this.clock.monotonicMs();
    if (!ch.session.mount.quirk?.keepalive) ch.session.touch(now); // quirk: RTCP does not count
    if (ch.session.mode !== 'record' || !(ch.session.mount instanceof PublishMount)) return; // RTCP receiver reports
    if (ch.rtcp) ch.session.mount.pushRtcp(ch.index, frame.payload);
    else ch.session.mount.pushRtp(ch.index, frame.payload, now);
  }

  private async handle(conn: Connection, req: RtspRequest): Promise<void> {
    if (conn.socket.destroyed) return;
    const cseq = getHeader(req.headers, 'cseq');
    let reply: Reply;
    try {
      reply = await this.handler.dispatch(conn, req);
    } catch (e) {
      this.emit('warning', e);
      const kind = isNvrError(e) ? e.kind : 'internal';
      reply = { status: kind === 'malformed' ? 400 : kind === 'not_found' ? 404 : 500 };
    }
    const headers: RtspHeader[] = [];
    if (cseq !== undefined) headers.push(['CSeq', cseq]);
    headers.push(['Server', 'nvr-rtsp'], ...(reply.headers ?? []));
    if (reply.noReply) return; // a quirk mount that ignores the request
    if (reply.body !== undefined && !headers.some(([n]) => n === 'Content-Type'))
      headers.push(['Content-Type', 'text/parameters']);
    if (!conn.socket.destroyed)
      conn.socket.write(
        serializeResponse({
          statusCode: reply.status,
          reason: reply.reason,
          headers,
          body: reply.body,
        }),
      );
    reply.after?.();
    if (reply.close) conn.socket.end();
  }

  /** @internal */
  unpublish(mount: PublishMount): void {
    const was = mount.recording;
    mount.unpublish();
    for (const s of [...this.sessions.values()])
      if (s.mount === mount) this.closeSession(s, 'publisher left', true);
    if (!this.registeredPublishPaths.has(mount.path)) this.mounts.delete(mount.path);
    if (was) this.emit('unpublish', mount.path);
  }

  /** @internal */
  closeSession(session: ServerSession, reason: string, closeConnection = false): void {
    if (session.closed) return;
    session.close();
    this.sessions.delete(session.id);
    const conn = this.connections.get(session.connectionId);
    if (conn) {
      conn.sessions.delete(session);
      for (const [ch, v] of conn.channels) if (v.session === session) conn.channels.delete(ch);
      if (closeConnection) conn.socket.destroy();
    }
    this.emit('session-closed', { id: session.id, path: session.mount.path, reason });
    if (session.mode === 'record' && session.mount instanceof PublishMount)
      this.unpublish(session.mount);
  }

  private reapSessions(): void {
    const now = this.clock.monotonicMs();
    for (const s of [...this.sessions.values()]) {
      if (now - s.lastSeenMs > (s.timeoutMs ?? this.sessionTimeoutMs))
        this.closeSession(s, 'timeout', true);
    }
  }
}
