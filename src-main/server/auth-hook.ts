// Authenticates and authorizes every request (API, media, WebSocket upgrade, static files) before its
// handler runs: session cookie or bearer token, role per route (auth-policy.ts), camera scope, CSRF for
// cookie sessions, CORS (closed unless configured), Host pinning in loopback-open mode. No storage here.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NVR_API_METHODS } from '../../src-preload/contract';
import type { NvrMethodName } from '../../src-preload/contract';
import type { AuthService, Principal } from './auth-service';
import { CONTRACT_ROUTES, EXPORT_ID_METHODS, VIEWER_METHODS, accessFor } from './auth-policy';
import { SEGMENT_FILE_ROUTE } from './playback-routes';
import { httpError } from './http-errors';
import { AUTH_METHOD_NAMES } from './auth-handlers';
import type { HttpError } from './http-errors';
import { cameraAllowed, scopeResult } from './camera-scope';

export type AuthMode = 'required' | 'loopback-open';
export const SESSION_COOKIE = 'nvr_session';

export interface AuthHttpOptions {
  mode: AuthMode;
  /** Required in 'required' mode. */
  service?: AuthService;
  /** Origins allowed to call cross-origin (CORS); none by default. */
  corsOrigins?: readonly string[];
  /** Camera of a playback segment (scope check for /api/segments/:file). */
  segmentCamera?: (segmentId: number) => string | undefined;
  /** Cameras of an export job (scope check for /api/exports/:id...). */
  exportCameras?: (exportId: string) => Promise<readonly string[] | undefined>;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
    contractMethod?: NvrMethodName;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const AUTH_METHODS: ReadonlySet<string> = new Set(AUTH_METHOD_NAMES);

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const k = part.slice(0, i).trim();
    if (!out.has(k)) out.set(k, part.slice(i + 1).trim());
  }
  return out;
}

function isLoopbackHostHeader(host: string | undefined): boolean {
  if (!host) return false;
  const name = host.replace(/:\d+$/, '').toLowerCase();
  return name === 'localhost' || name === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

function send(reply: FastifyReply, e: HttpError): FastifyReply {
  // A refused WebSocket upgrade owns its raw socket: close it once the answer is out.
  if (String(reply.request.headers.upgrade ?? '').toLowerCase() === 'websocket') {
    const socket = reply.request.raw.socket;
    reply.header('connection', 'close');
    reply.raw.once('finish', () => socket.destroy());
  }
  return reply.code(e.status).send(e.body);
}

function isUpgrade(req: FastifyRequest): boolean {
  return String(req.headers.upgrade ?? '').toLowerCase() === 'websocket';
}

/** The origin this request was addressed to (`https://host:port`). */
function ownOrigin(req: FastifyRequest): string {
  return `${req.protocol}://${req.headers.host ?? ''}`;
}

function requestOrigin(req: FastifyRequest): string | undefined {
  const origin = req.headers.origin;
  if (typeof origin === 'string' && origin !== 'null') return origin;
  const referer = req.headers.referer;
  if (typeof referer === 'string') {
    try {
      return new URL(referer).origin;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export function registerAuth(app: FastifyInstance, opts: AuthHttpOptions): void {
  const cors = new Set(opts.corsOrigins ?? []);
  const service = opts.service;
  if (opts.mode === 'required' && !service)
    throw new Error('auth mode "required" needs an AuthService');

  app.addHook('onRequest', async (req, reply) => {
    // CORS: only for configured origins; everything else gets no Access-Control headers.
    const origin = req.headers.origin;
    if (typeof origin === 'string' && cors.has(origin)) {
      reply.header('access-control-allow-origin', origin);
      reply.header('access-control-allow-credentials', 'true');
      reply.header('vary', 'Origin');
      if (req.method === 'OPTIONS') {
        return reply
          .code(204)
          .header('access-control-allow-methods', 'GET, HEAD, POST, PATCH, DELETE')
          .header('access-control-allow-headers', 'authorization, content-type, range')
          .header('access-control-max-age', '600')
          .send();
      }
    }

    // Every WebSocket upgrade, in every mode, comes from our own origin or a configured one (a page
    // elsewhere must not read events); clients that send no Origin (not browsers) are fine. `null`
    // (sandboxed frames, file: pages) is another origin too.
    if (isUpgrade(req)) {
      const o = req.headers.origin;
      if (o !== undefined && o !== ownOrigin(req) && !cors.has(o))
        return send(reply, httpError('forbidden', 'WebSocket from another origin refused'));
    }

    const pattern = req.routeOptions.url;
    const params = (req.params ?? {}) as Record<string, unknown>;
    const contractMethod = pattern
      ? CONTRACT_ROUTES.get(`${req.method === 'HEAD' ? 'GET' : req.method} ${pattern}`)
      : undefined;
    if (contractMethod) req.contractMethod = contractMethod;
    if (pattern === '/api/rpc/:method' && typeof params.method === 'string')
      req.contractMethod = params.method as NvrMethodName;

    if (opts.mode === 'loopback-open') {
      // Open to this machine only: refuse other Host names (DNS rebinding) and cross-site writes.
      if (!isLoopbackHostHeader(req.headers.host))
        return send(reply, httpError('forbidden', 'this server answers loopback names only'));
      const o = requestOrigin(req);
      if (!SAFE_METHODS.has(req.method) && o !== undefined && o !== ownOrigin(req) && !cors.has(o))
        return send(reply, httpError('forbidden', 'cross-origin request refused'));
      return;
    }

    const access = accessFor(
      req.method,
      pattern,
      typeof params.method === 'string' ? params.method : undefined,
    );
    if (access === 'public') return;

    // Credentials: bearer header, then the session cookie, then ?access_token= (API tokens, GET only).
    let principal: Principal | undefined;
    let viaCookie = false;
    const authz = req.headers.authorization;
    if (typeof authz === 'string' && /^Bearer\s+/i.test(authz)) {
      principal = service!.authenticate(authz.replace(/^Bearer\s+/i, '').trim());
    } else {
      const cookie = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
      if (cookie) {
        principal = service!.authenticate(decodeURIComponent(cookie));
        viaCookie = true;
      } else if (req.method === 'GET' || req.method === 'HEAD') {
        const q = (req.query ?? {}) as Record<string, unknown>;
        if (typeof q.access_token === 'string') {
          const p = service!.authenticate(q.access_token);
          if (p?.via === 'api-token') principal = p;
        }
      }
    }
    if (!principal) {
      const isPage =
        (req.method === 'GET' || req.method === 'HEAD') &&
        !req.url.startsWith('/api') &&
        String(req.headers.accept ?? '').includes('text/html');
      if (isPage) return reply.redirect('/login', 302);
      return send(reply, httpError('unauthorized', 'sign in first'));
    }
    // CSRF: a cookie rides along on any request the browser makes, so writes (and the WebSocket
    // upgrade) must come from our own origin (or an allowed CORS origin). SameSite=Strict backs this up.
    if (viaCookie) {
      const o = requestOrigin(req);
      const isUpgrade = String(req.headers.upgrade ?? '').toLowerCase() === 'websocket';
      const mustCheck = !SAFE_METHODS.has(req.method) || isUpgrade;
      if (
        mustCheck &&
        !(o === undefined && isUpgrade) &&
        o !== ownOrigin(req) &&
        !(o && cors.has(o))
      )
        return send(reply, httpError('forbidden', 'cross-site request refused (CSRF)'));
    }
    if (access === 'admin' && principal.role !== 'admin')
      return send(reply, httpError('forbidden', 'this needs an admin'));
    req.principal = principal;

    // Camera scope from the path.
    if (principal.cameras !== null) {
      if (pattern?.startsWith('/api/cameras/:id') && typeof params.id === 'string') {
        if (!cameraAllowed(principal, params.id))
          return send(reply, httpError('forbidden', 'no access to this camera', 'id'));
      }
      if (pattern === SEGMENT_FILE_ROUTE) {
        const m = /^(\d{1,15})\.mp4$/.exec(String(params.file ?? ''));
        const cam = m ? opts.segmentCamera?.(Number(m[1])) : undefined;
        if (m && (cam === undefined || !cameraAllowed(principal, cam)))
          return send(reply, httpError('forbidden', 'no access to this recording', 'file'));
      }
      if (req.contractMethod && EXPORT_ID_METHODS.has(req.contractMethod)) {
        const cams =
          typeof params.id === 'string' ? await opts.exportCameras?.(params.id) : undefined;
        if (!cams || !cams.every((c) => cameraAllowed(principal, c)))
          return send(reply, httpError('forbidden', 'no access to this export', 'id'));
      }
    }
    return;
  });

  // Camera scope from bodies (parsed by now), and the RPC route's own input.
  app.addHook('preHandler', async (req, reply) => {
    const p = req.principal;
    if (!p || p.cameras === null || !req.contractMethod) return;
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (typeof body !== 'object' || Array.isArray(body)) return;
    if (req.routeOptions.url === '/api/rpc/:method' && typeof body.id === 'string') {
      const b = NVR_API_METHODS[req.contractMethod]?.http;
      if (b?.path.startsWith('/api/cameras/:id') && !cameraAllowed(p, body.id))
        return send(reply, httpError('forbidden', 'no access to this camera', 'id'));
      if (EXPORT_ID_METHODS.has(req.contractMethod)) {
        const cams = await opts.exportCameras?.(body.id);
        if (!cams || !cams.every((c) => cameraAllowed(p, c)))
          return send(reply, httpError('forbidden', 'no access to this export', 'id'));
      }
    }
    if (req.contractMethod === 'getTimeline' && body.cameraIds === undefined)
      body.cameraIds = [...p.cameras];
    if (Array.isArray(body.cameraIds)) {
      for (const c of body.cameraIds)
        if (typeof c !== 'string' || !cameraAllowed(p, c))
          return send(reply, httpError('forbidden', 'no access to a camera', 'cameraIds'));
    }
    return;
  });

  // Audit log: every successful admin-only change (camera config, ONVIF adds, PTZ presets...).
  app.addHook('onResponse', async (req, reply) => {
    if (!service || SAFE_METHODS.has(req.method) || reply.statusCode >= 400) return;
    const name = req.contractMethod;
    // Auth methods write their own, more precise entries (user.create, token.revoke...).
    if (!name || VIEWER_METHODS.has(name) || AUTH_METHODS.has(name)) return;
    service.audit(req.principal?.username ?? 'loopback', `api.${name}`, req.ip, {
      path: req.url.split('?')[0],
    });
  });

  // Results are cut to the caller's cameras (lists, system figures, saved views) and camera configs
  // never carry credentials (camera-scope.ts).
  app.addHook('preSerialization', async (req, _reply, payload: unknown) =>
    scopeResult(req.contractMethod, payload, req.principal),
  );
}
