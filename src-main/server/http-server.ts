// The HTTP server (fastify 5): API routes derived from the contract, the events WebSocket, the renderer's
// static build. Owns listening and closing; it holds no engine state and never touches the disk itself.
import Fastify, { LogController } from 'fastify';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { NvrError } from '../base';
import type { Logger } from '../base';
import type { NvrApi } from '../../src-preload/contract';
import { registerApiRoutes } from './api-routes';
import type { ResourceHandlers } from './api-routes';
import { registerEvents } from './events-ws';
import { registerLiveRoutes } from './live-routes';
import { registerPlaybackRoutes } from './playback-routes';
import type { SegmentFileHandler } from './playback-routes';
import type { LiveFileHandler } from './live-routes';
import { toHttpError } from './http-errors';
import { registerRenderer } from './renderer-static';
import { registerAuth } from './auth-hook';
import type { AuthHttpOptions } from './auth-hook';
import { registerAuthRoutes } from './auth-routes';
import { createAuthHandlers } from './auth-handlers';

export interface HttpServerOptions {
  api: NvrApi;
  logger: Logger;
  /** Folder of the renderer build (index.html); missing → a page saying to run `npm run build`. */
  rendererDir?: string;
  /** Handlers for playlist/JPEG/MP4 routes; absent ones answer 501. */
  resources?: ResourceHandlers;
  /** Live HLS init/segment files (GET /api/cameras/:id/hls/live/:file); absent → 404. */
  liveFiles?: LiveFileHandler;
  /** Playback segment files (GET /api/segments/:id.mp4); absent → 404. */
  segmentFiles?: SegmentFileHandler;
  /** Largest accepted request body; 1 MiB by default. */
  bodyLimitBytes?: number;
  /** Who may call what; 'loopback-open' (no login, loopback Host names only) when absent. */
  auth?: AuthHttpOptions;
  /** Serve HTTPS with this certificate and key (PEM); `fingerprint` (SHA-256) is shown by whoami. */
  tls?: { cert: string | Buffer; key: string | Buffer; fingerprint?: string };
}

export interface HttpServer {
  readonly app: FastifyInstance;
  /** Starts listening; resolves with the base URL (`http://127.0.0.1:8480`), with the real port for port 0. */
  listen(options: { host: string; port: number }): Promise<string>;
  /** Stops accepting, closes keep-alive and WebSocket connections. Idempotent. */
  close(): Promise<void>;
  readonly url: string | undefined;
}

export function formatBaseUrl(
  host: string,
  port: number,
  scheme: 'http' | 'https' = 'http',
): string {
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Default framing policy of every response (an embed route sets its own). */
export const FRAME_POLICY = "frame-ancestors 'none'";

/** True when a bind address is reachable only from this machine. */
function isLoopbackBind(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Strips credentials from a URL before it is logged. */
function redactQueryToken(url: string): string {
  return url.replace(/([?&]access_token=)[^&]*/g, '$1[redacted]');
}

export async function createHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  // Type-checks that base's Logger is what fastify accepts as a logger.
  const loggerInstance: FastifyBaseLogger = options.logger.child({ module: 'http' });
  const auth: AuthHttpOptions = options.auth ?? { mode: 'loopback-open' };
  const app: FastifyInstance = Fastify({
    loggerInstance,
    ...(options.tls ? { https: { cert: options.tls.cert, key: options.tls.key } } : {}),
    // Per-request lines at debug level (onResponse below) instead of fastify's two info lines.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimitBytes ?? 1024 * 1024,
    // Closing must not wait for idle keep-alive sockets of browsers.
    forceCloseConnections: true,
    return503OnClosing: true,
  });

  app.addContentTypeParser('application/sdp', { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );

  app.addHook('onRequest', async (_req, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    // No page may frame the UI or the API (clickjacking the login-free loopback admin). A route that
    // is meant to be embedded replaces `content-security-policy` and removes `x-frame-options` itself.
    reply.header('content-security-policy', FRAME_POLICY);
    reply.header('x-frame-options', 'DENY');
  });
  app.addHook('onResponse', async (req, reply) => {
    req.log.debug(
      {
        method: req.method,
        url: redactQueryToken(req.url),
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request',
    );
  });

  app.setErrorHandler(async (err, req, reply) => {
    const e = toHttpError(err);
    if (e.status >= 500 && e.body.error.kind !== 'not_implemented')
      req.log.error({ err }, 'request failed');
    return reply.code(e.status).send(e.body);
  });

  registerAuth(app, auth);
  registerAuthRoutes(app, {
    mode: auth.mode,
    ...(auth.service ? { service: auth.service } : {}),
    secure: options.tls !== undefined,
    ...(options.tls?.fingerprint ? { tlsFingerprint: options.tls.fingerprint } : {}),
  });
  await registerEvents(
    app,
    options.api,
    auth.service ? { refresh: (p) => auth.service!.refresh(p) } : {},
  );
  // Users, tokens and first run go to this server's own auth service (the one its hook checks); the
  // routes validate every input first, so the handlers get parsed input as they expect.
  const api: NvrApi = auth.service
    ? { ...options.api, ...(createAuthHandlers(auth.service) as unknown as Partial<NvrApi>) }
    : options.api;
  registerApiRoutes(app, { api, resources: options.resources ?? {} });
  if (options.liveFiles) registerLiveRoutes(app, options.liveFiles);
  if (options.segmentFiles) registerPlaybackRoutes(app, options.segmentFiles);
  await registerRenderer(app, options.rendererDir);

  let url: string | undefined;
  let closed: Promise<void> | undefined;
  return {
    app,
    get url() {
      return url;
    },
    async listen({ host, port }) {
      // Beyond loopback the server always requires a login, and only once an admin exists.
      if (!isLoopbackBind(host)) {
        if (auth.mode !== 'required')
          throw new NvrError('forbidden', `refusing to listen on ${host} without authentication`, {
            host,
          });
        if (!auth.service?.hasAdmin())
          throw new NvrError('forbidden', `refusing to listen on ${host}: no admin user exists`, {
            host,
          });
      }
      await app.listen({ host, port });
      const address = app.server.address() as AddressInfo;
      url = formatBaseUrl(host, address.port, options.tls ? 'https' : 'http');
      return url;
    },
    close() {
      closed ??= app.close();
      return closed;
    },
  };
}
