// Auth endpoints: POST /api/auth/login (session cookie + bearer token), logout, whoami, the admin's audit
// log and the static login page; users and tokens are contract methods (auth-handlers.ts). No storage.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { UserPasswordSchema, UsernameSchema } from '../../src-preload/contract';
import type { AuthService } from './auth-service';
import type { AuthMode } from './auth-hook';
import { SESSION_COOKIE } from './auth-hook';
import {
  AUTH_LOGIN_PATH,
  AUTH_LOGOUT_PATH,
  AUTH_PASSWORD_PATH,
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
const LoginSchema = z.strictObject({ username: UsernameSchema, password: UserPasswordSchema });
const PasswordChangeSchema = z.strictObject({
  currentPassword: UserPasswordSchema,
  newPassword: UserPasswordSchema,
});
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

  // Any signed-in user changes their own password; the other sessions and tokens end, this one stays.
  app.post(AUTH_PASSWORD_PATH, { bodyLimit: LOGIN_BODY_LIMIT_BYTES }, async (req, reply) => {
    const body = parse(PasswordChangeSchema, req.body, reply);
    if (!body) return reply;
    const p = req.principal;
    if (!p) {
      const e = httpError('bad_request', 'no user to change the password of (loopback-open)');
      return reply.code(e.status).send(e.body);
    }
    const r = await service.changeOwnPassword(p, body.currentPassword, body.newPassword, addr(req));
    if (!r.ok && r.reason === 'rate_limited') {
      const e = httpError(
        'unavailable',
        'too many wrong passwords: try again later',
        undefined,
        429,
      );
      return reply
        .code(429)
        .header('retry-after', String(Math.ceil((r.retryAfterMs ?? 1000) / 1000)))
        .send(e.body);
    }
    if (!r.ok) {
      const e = httpError('forbidden', 'the current password is wrong', 'currentPassword');
      return reply.code(e.status).send(e.body);
    }
    return reply.code(204).send();
  });

  // Users, API tokens and first run are contract methods (auth-handlers.ts), on IPC too.

  // Admin: the audit log.
  app.get('/api/auth/audit', async (req, reply) => {
    const q = parse(AuditQuerySchema, req.query, reply);
    if (!q) return reply;
    return service.store.listAudit(q.limit);
  });
}
