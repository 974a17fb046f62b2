// The HTTP server (fastify 5): API routes derived from the contract, the events WebSocket, the renderer's
// static build. Owns listening and closing; it holds no engine state and never touches the disk itself.
import Fastify, { LogController } from 'fastify';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
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
}

export interface HttpServer {
  readonly app: FastifyInstance;
  /** Starts listening; resolves with the base URL (`http://127.0.0.1:8480`), with the real port for port 0. */
  listen(options: { host: string; port: number }): Promise<string>;
  /** Stops accepting, closes keep-alive and WebSocket connections. Idempotent. */
  close(): Promise<void>;
  readonly url: string | undefined;
}

export function formatBaseUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export async function createHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  // Type-checks that base's Logger is what fastify accepts as a logger.
  const loggerInstance: FastifyBaseLogger = options.logger.child({ module: 'http' });
  const app: FastifyInstance = Fastify({
    loggerInstance,
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
  });
  app.addHook('onResponse', async (req, reply) => {
    req.log.debug(
      {
        method: req.method,
        url: req.url,
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

  await registerEvents(app, options.api);
  registerApiRoutes(app, { api: options.api, resources: options.resources ?? {} });
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
      await app.listen({ host, port });
      const address = app.server.address() as AddressInfo;
      url = formatBaseUrl(host, address.port);
      return url;
    },
    close() {
      closed ??= app.close();
      return closed;
    },
  };
}
