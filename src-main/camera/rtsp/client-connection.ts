// The RTSP client's control connection: one TCP socket, requests with CSeq and a timeout each,
// responses matched back, one authentication retry on 401 (Basic or Digest, recomputed per
// request), and `$` interleaved frames handed on. It knows no SDP, no RTP and no session flow.
import type net from 'node:net';
import tls from 'node:tls';
import { NvrError, redactUrl } from '../../base';
import type { ErrorContext, ErrorKind } from '../../base';
import { ClientAuthenticator } from './client-auth';
import { parseSessionHeader } from './headers';
import type { Clock } from '../../base';
import type { SocketOpener } from './client-types';
import {
  RtspStreamParser,
  getCSeq,
  getHeader,
  getHeaders,
  serializeRequest,
  serializeResponse,
} from './message';
import type { InterleavedFrame, RtspHeader, RtspRequest, RtspResponse } from './message';

export interface ConnectionOptions {
  /** Request URL base without credentials. */
  url: string;
  host: string;
  port: number;
  username?: string;
  password?: string;
  timeoutMs: number;
  clock: Clock;
  openSocket: SocketOpener;
  userAgent: string;
  signal?: AbortSignal;
}

interface Pending {
  cseq: number;
  method: string;
  resolve(res: RtspResponse): void;
  reject(err: NvrError): void;
  timer: unknown;
}

export class RtspConnection {
  private socket: net.Socket | undefined;
  private readonly parser: RtspStreamParser;
  private readonly pending: Pending[] = [];
  private nextCSeq = 1;
  private closedError: NvrError | undefined;
  private closed = false;
  private readonly auth: ClientAuthenticator;
  /** RTSP session id once SETUP answered. */
  sessionId: string | undefined;
  onInterleaved: (frame: InterleavedFrame) => void = () => undefined;
  /** Called once when the connection ends for any reason but close(). */
  onClose: (error: NvrError) => void = () => undefined;

  constructor(private readonly options: ConnectionOptions) {
    this.parser = new RtspStreamParser({ context: { url: redactUrl(options.url) } });
    this.auth = new ClientAuthenticator(options.username, options.password);
  }

  error(kind: ErrorKind, message: string, extra: ErrorContext = {}, cause?: unknown): NvrError {
    return new NvrError(
      kind,
      message,
      { url: redactUrl(this.options.url), ...extra },
      cause === undefined ? undefined : { cause },
    );
  }

  /** Opens the TCP connection; rejects with 'unreachable', 'timeout' or 'cancelled'. */
  open(): Promise<void> {
    const { host, port, clock, timeoutMs, signal } = this.options;
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(this.error('cancelled', 'connect cancelled'));
        return;
      }
      const socket = this.options.openSocket(host, port);
      this.socket = socket;
      let settled = false;
      const finish = (err?: NvrError): void => {
        if (settled) return;
        settled = true;
        clock.clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        socket.off('connect', onConnect);
        socket.off('secureConnect', onConnect);
        if (err) {
          this.closed = true;
          socket.destroy();
          reject(err);
        } else resolve();
      };
      const onConnect = (): void => finish();
      const onAbort = (): void => finish(this.error('cancelled', 'connect cancelled'));
      const timer = clock.setTimeout(
        () =>
          finish(
            this.error('timeout', `no TCP connection within ${timeoutMs} ms`, {
              method: 'connect',
            }),
          ),
        timeoutMs,
      );
      signal?.addEventListener('abort', onAbort, { once: true });
      // Over TLS the connection is usable once the handshake is done.
      socket.once(socket instanceof tls.TLSSocket ? 'secureConnect' : 'connect', onConnect);
      socket.on('error', (err: NodeJS.ErrnoException) => {
        const code = err.code ?? '';
        if (!settled) {
          finish(
            this.error(
              'unreachable',
              `cannot connect to ${host}:${port} (${code || err.message})`,
              { method: 'connect', code },
              err,
            ),
          );
        } else
          this.fail(
            this.error('protocol', `connection error (${code || err.message})`, { code }, err),
          );
      });
      socket.on('close', () => {
        if (!settled)
          finish(
            this.error('unreachable', `connection to ${host}:${port} closed`, {
              method: 'connect',
            }),
          );
        else
          this.fail(
            this.error('protocol', 'the camera closed the connection', this.pendingContext()),
          );
      });
      socket.on('data', (chunk: Buffer) => this.onData(chunk));
    });
  }

  private pendingContext(): Record<string, string | number | undefined> {
    const p = this.pending[0];
    return p ? { method: p.method, cseq: p.cseq } : {};
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    let items;
    try {
      items = this.parser.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      const extra =
        e instanceof NvrError ? { ...e.context, ...this.pendingContext() } : this.pendingContext();
      this.fail(this.error('protocol', `bad data from the camera: ${msg}`, extra, e));
      return;
    }
    try {
      for (const item of items) {
        if (this.closed) return;
        if (item.type === 'interleaved') this.onInterleaved(item);
        else if (item.type === 'response') this.onResponse(item);
        else this.onServerRequest(item);
      }
    } catch (e) {
      // A bug downstream (depacketizer, listeners) ends this session instead of the process.
      const msg = e instanceof Error ? e.message : String(e);
      this.fail(
        e instanceof NvrError
          ? e
          : this.error(
              'internal',
              `failed to handle camera data: ${msg}`,
              this.pendingContext(),
              e,
            ),
      );
    }
  }

  private onResponse(res: RtspResponse): void {
    const cseq = getCSeq(res);
    // Cameras that drop or mangle CSeq are answered in order.
    const index = cseq === undefined ? 0 : this.pending.findIndex((p) => p.cseq === cseq);
    if (index < 0) return; // an answer to a request we gave up on
    const p = this.pending.splice(index, 1)[0];
    if (!p) return;
    this.options.clock.clearTimeout(p.timer);
    p.resolve(res);
  }

  /** Servers may send OPTIONS/GET_PARAMETER (keepalive checks) or ANNOUNCE; answer politely. */
  private onServerRequest(req: RtspRequest): void {
    const cseq = getHeader(req.headers, 'cseq') ?? '0';
    const ok =
      req.method === 'OPTIONS' || req.method === 'GET_PARAMETER' || req.method === 'SET_PARAMETER';
    this.write(serializeResponse({ statusCode: ok ? 200 : 501, headers: [['CSeq', cseq]] }));
  }

  write(bytes: Uint8Array): void {
    if (this.closed || !this.socket) return;
    this.socket.write(bytes);
  }

  /**
   * Sends a request and waits for its response. 401 is retried once with credentials (again on a
   * stale Digest nonce); other non-2xx answers and 401 after the retry reject with an NvrError.
   */
  async request(
    method: string,
    uri: string,
    headers: RtspHeader[] = [],
    acceptStatus: (code: number) => boolean = ok2xx,
    timeoutMs = this.options.timeoutMs,
  ): Promise<RtspResponse> {
    let retries = 0;
    for (;;) {
      const cseq = this.nextCSeq++;
      const all: RtspHeader[] = [
        ['CSeq', String(cseq)],
        ['User-Agent', this.options.userAgent],
        ...headers,
      ];
      if (this.sessionId !== undefined) all.push(['Session', this.sessionId]);
      const authorization = this.auth.authorization(method, uri);
      if (authorization !== undefined) all.push(['Authorization', authorization]);
      const res = await this.send(method, uri, all, cseq, timeoutMs);
      this.adoptSessionId(res);
      const context = { method, cseq, statusCode: res.statusCode };
      if (res.statusCode === 401) {
        const challenges = getHeaders(res.headers, 'www-authenticate');
        if (!this.auth.hasCredentials)
          throw this.error(
            'auth',
            `${method} needs credentials (401) and none were given`,
            context,
          );
        const retry = this.auth.onChallenge(challenges);
        if (retry === 'unsupported')
          throw this.error(
            'auth',
            `${method}: unsupported authentication scheme (${challenges.join(' | ').slice(0, 80)})`,
            context,
          );
        if (retries >= 1 && retry !== 'stale')
          throw this.error('auth', `${method}: wrong username or password (401)`, context);
        if (retries >= 2)
          throw this.error('auth', `${method}: wrong username or password (401)`, context);
        retries++;
        continue;
      }
      if (!acceptStatus(res.statusCode)) {
        throw this.error(
          'protocol',
          `${method} failed: ${res.statusCode} ${res.reason}`.trim(),
          context,
        );
      }
      return res;
    }
  }

  private send(
    method: string,
    uri: string,
    headers: RtspHeader[],
    cseq: number,
    timeoutMs: number,
  ): Promise<RtspResponse> {
    return new Promise<RtspResponse>((resolve, reject) => {
      if (this.closed) {
        reject(this.closedError ?? this.error('cancelled', 'connection closed', { method, cseq }));
        return;
      }
      const { clock } = this.options;
      const timer = clock.setTimeout(() => {
        const i = this.pending.indexOf(p);
        if (i >= 0) this.pending.splice(i, 1);
        reject(
          this.error('timeout', `no answer to ${method} within ${timeoutMs} ms`, { method, cseq }),
        );
      }, timeoutMs);
      const p: Pending = { cseq, method, resolve, reject, timer };
      this.pending.push(p);
      this.write(serializeRequest({ method, uri, headers }));
    });
  }

  /**
   * A camera may name a new Session id after SETUP (XiongMai "H264DVR" on a second SETUP, others
   * in the PLAY answer) and forget the old one: later requests carry the id it named last.
   */
  private adoptSessionId(res: RtspResponse): void {
    if (this.sessionId === undefined || res.statusCode < 200 || res.statusCode >= 300) return;
    const header = getHeader(res.headers, 'session');
    if (header === undefined) return;
    try {
      const id = parseSessionHeader(header).id;
      if (id !== '') this.sessionId = id;
    } catch {
      // a mangled Session header in a later answer: keep the id we have
    }
  }

  /** Ends the connection with an error: pending requests reject, onClose fires once. */
  fail(err: NvrError): void {
    if (this.closed) return;
    this.closed = true;
    this.closedError = err;
    this.rejectAll(err);
    this.socket?.destroy();
    this.onClose(err);
  }

  /** Closes quietly (no onClose); bytes already written (a TEARDOWN) still leave first. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.rejectAll(this.error('cancelled', 'connection closed'));
    const socket = this.socket;
    if (socket && !socket.destroyed) socket.end(() => socket.destroy());
  }

  /** The camera's IP address as the socket sees it (IPv4-mapped IPv6 unwrapped). */
  get remoteAddress(): string | undefined {
    return this.socket?.remoteAddress?.replace(/^::ffff:(?=\d+\.)/, '');
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private rejectAll(err: NvrError): void {
    for (const p of this.pending.splice(0)) {
      this.options.clock.clearTimeout(p.timer);
      p.reject(
        new NvrError(
          err.kind,
          err.message,
          { ...err.context, method: p.method, cseq: p.cseq },
          { cause: err.cause },
        ),
      );
    }
  }
}

function ok2xx(code: number): boolean {
  return code >= 200 && code < 300;
}
