// Auth endpoints: POST /api/auth/login (session cookie + bearer token), logout, whoami, and the admin's
// users, API tokens and audit log; plus the static login page. Input validated with zod; no storage here.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AuthService } from './auth-service';
import type { AuthMode } from './auth-hook';
import { SESSION_COOKIE } from './auth-hook';
import {
  AUTH_LOGIN_PATH,
  AUTH_LOGOUT_PATH,
  AUTH_WHOAMI_PATH,
  LOGIN_PAGE_PATH,
  LOGIN_SCRIPT_PATH,
} from './auth-policy';
import { LOGIN_PAGE_HTML, LOGIN_PAGE_SCRIPT } from './login-page';
import { httpError } from './http-errors';

export interface AuthRoutesOptions {
  mode: AuthMode;
  service?: AuthService;
  /** Cookies get `Secure` when served over HTTPS. */
  secure: boolean;
  /** SHA-256 fingerprint of the TLS certificate, shown by whoami. */
  tlsFingerprint?: string;
}

const LOGIN_BODY_LIMIT_BYTES = 4096;
const ROLE = z.enum(['admin', 'viewer']);
const CAMERAS = z.array(z.string().min(1).max(64)).max(256).nullable();
const LoginSchema = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
});
const CreateUserSchema = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
  role: ROLE,
  cameras: CAMERAS.optional(),
});
const UpdateUserSchema = z.strictObject({
  password: z.string().min(1).max(256).optional(),
  role: ROLE.optional(),
  cameras: CAMERAS.optional(),
});
const UserIdSchema = z.object({
  id: z.coerce
    .number()
    .int()
    .min(1)
    .max(2 ** 31),
});
const CreateTokenSchema = z.strictObject({
  name: z.string().min(1).max(64),
  userId: z
    .number()
    .int()
    .min(1)
    .max(2 ** 31)
    .optional(),
  /** Lifetime; absent = until revoked. At most ten years. */
  ttlMs: z
    .number()
    .int()
    .min(60_000)
    .max(10 * 365 * 86_400_000)
    .optional(),
});
const TokenIdSchema = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/) });
const AuditQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) });

function parse<T>(schema: z.ZodType<T>, value: unknown, reply: FastifyReply): T | undefined {
  const r = schema.safeParse(value ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue?.path.join('.') || undefined;
  const e = httpError('bad_request', `${field ?? 'input'}: ${issue?.message ?? 'invalid'}`, field);
  void reply.code(e.status).send(e.body);
  return undefined;
}

function cookie(value: string, maxAgeS: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeS}${secure ? '; Secure' : ''}`;
}

export function registerAuthRoutes(app: FastifyInstance, opts: AuthRoutesOptions): void {
  const service = opts.service;
  const addr = (req: FastifyRequest) => req.ip;

  app.get(LOGIN_PAGE_PATH, async (_req, reply) =>
    reply
      .header(
        'content-security-policy',
        "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      )
      .header('x-frame-options', 'DENY')
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(LOGIN_PAGE_HTML),
  );
  app.get(LOGIN_SCRIPT_PATH, async (_req, reply) =>
    reply.type('text/javascript; charset=utf-8').send(LOGIN_PAGE_SCRIPT),
  );

  app.get(AUTH_WHOAMI_PATH, async (req) => {
    const p = req.principal;
    return {
      authMode: opts.mode,
      user: p ? p.username : null,
      role: p ? p.role : 'admin',
      cameras: p ? p.cameras : null,
      via: p ? p.via : 'loopback',
      ...(opts.tlsFingerprint ? { tlsFingerprint: opts.tlsFingerprint } : {}),
    };
  });

  if (!service) return;

  app.post(AUTH_LOGIN_PATH, { bodyLimit: LOGIN_BODY_LIMIT_BYTES }, async (req, reply) => {
    const body = parse(LoginSchema, req.body, reply);
    if (!body) return reply;
    const r = await service.login(body.username, body.password, addr(req));
    if (!r.ok && r.reason === 'rate_limited') {
      const e = httpError('unavailable', 'too many failed logins: try again later', undefined, 429);
      return reply
        .code(429)
        .header('retry-after', String(Math.ceil(r.retryAfterMs / 1000)))
        .send(e.body);
    }
    if (!r.ok) {
      const e = httpError('unauthorized', 'wrong username or password');
      return reply.code(e.status).send(e.body);
    }
    const maxAgeS = Math.floor((r.expiresMs - Date.now()) / 1000);
    return reply
      .header('set-cookie', cookie(r.token, Math.max(1, maxAgeS), opts.secure))
      .header('cache-control', 'no-store')
      .send({ token: r.token, expiresMs: r.expiresMs, user: r.user });
  });

  app.post(AUTH_LOGOUT_PATH, async (req, reply) => {
    if (req.principal) service.logout(req.principal, addr(req));
    return reply
      .header('set-cookie', cookie('', 0, opts.secure))
      .code(204)
      .send();
  });

  // Admin: users (the hook already refused non-admins on every /api/auth/* route below).
  const actor = (req: FastifyRequest) => req.principal?.username ?? 'loopback';
  app.get('/api/auth/users', async () =>
    service.store.listUsers().map(({ passwordHash: _h, ...u }) => u),
  );
  app.post('/api/auth/users', async (req, reply) => {
    const body = parse(CreateUserSchema, req.body, reply);
    if (!body) return reply;
    const user = await service.createUser(
      { ...body, cameras: body.cameras ?? null },
      actor(req),
      addr(req),
    );
    return reply.code(201).send(user);
  });
  app.patch('/api/auth/users/:id', async (req, reply) => {
    const id = parse(UserIdSchema, req.params, reply);
    const body = id && parse(UpdateUserSchema, req.body, reply);
    if (!id || !body) return reply;
    return service.updateUser(id.id, body, actor(req), addr(req));
  });
  app.delete('/api/auth/users/:id', async (req, reply) => {
    const id = parse(UserIdSchema, req.params, reply);
    if (!id) return reply;
    service.deleteUser(id.id, actor(req), addr(req));
    return reply.code(204).send();
  });

  // Admin: long-lived API tokens (viewer-scoped whatever the owner's role).
  app.get('/api/auth/tokens', async () => service.listApiTokens());
  app.post('/api/auth/tokens', async (req, reply) => {
    const body = parse(CreateTokenSchema, req.body, reply);
    if (!body) return reply;
    const userId = body.userId ?? req.principal?.userId;
    if (userId === undefined) {
      const e = httpError('bad_request', 'userId: required', 'userId');
      return reply.code(e.status).send(e.body);
    }
    const t = service.createApiToken(
      {
        userId,
        name: body.name,
        expiresMs: body.ttlMs ? Date.now() + body.ttlMs : null,
      },
      actor(req),
      addr(req),
    );
    return reply.code(201).send(t);
  });
  app.delete('/api/auth/tokens/:id', async (req, reply) => {
    const id = parse(TokenIdSchema, req.params, reply);
    if (!id) return reply;
    if (!service.revokeApiToken(id.id, actor(req), addr(req))) {
      const e = httpError('not_found', 'no such token', 'id');
      return reply.code(e.status).send(e.body);
    }
    return reply.code(204).send();
  });

  app.get('/api/auth/audit', async (req, reply) => {
    const q = parse(AuditQuerySchema, req.query, reply);
    if (!q) return reply;
    return service.store.listAudit(q.limit);
  });
}
