// Users, logins, sessions and API tokens over an injected AuthStore (SQLite in storage, memory in tests):
// login with per-address and per-username backoff, token checks with expiry, user/token admin, the audit log.
// No HTTP and no SQLite here; the hook (auth-hook.ts) decides what a principal may call.
import { NvrError } from '../base';
import {
  dummyPasswordHash,
  hashPassword,
  hashToken,
  newTokenSecret,
  verifyPassword,
} from './auth-crypto';
import { LoginLimiter } from './login-limiter';

export type AuthRole = 'admin' | 'viewer';

export interface AuthUser {
  id: number;
  username: string;
  passwordHash: string;
  role: AuthRole;
  cameras: string[] | null;
  createdMs: number;
}
export interface AuthToken {
  hash: string;
  id: string;
  userId: number;
  kind: 'session' | 'api';
  name: string;
  createdMs: number;
  expiresMs: number | null;
}
export interface AuditEntry {
  atMs: number;
  actor: string | null;
  action: string;
  address: string | null;
  detail: unknown;
}

/** What the service needs from storage (src-main/storage SqliteAuthStore implements it). */
export interface AuthStore {
  listUsers(): AuthUser[];
  getUser(id: number): AuthUser | undefined;
  getUserByName(username: string): AuthUser | undefined;
  countAdmins(): number;
  insertUser(u: Omit<AuthUser, 'id'>): AuthUser;
  updateUser(u: AuthUser): void;
  deleteUser(id: number): boolean;
  insertToken(t: AuthToken): void;
  getToken(hash: string): AuthToken | undefined;
  listTokens(kind: 'session' | 'api'): AuthToken[];
  deleteToken(id: string): boolean;
  deleteTokenByHash(hash: string): boolean;
  /** Deletes every session and API token of a user but `exceptHash`; how many went. */
  deleteUserTokens(userId: number, exceptHash?: string): number;
  deleteExpiredTokens(nowMs: number): number;
  appendAudit(e: AuditEntry): void;
  listAudit(limit: number): (AuditEntry & { id: number })[];
}

/** Who is calling, as the hook sees it. `cameras: null` = every camera. */
export interface Principal {
  userId: number;
  username: string;
  role: AuthRole;
  cameras: string[] | null;
  via: 'session' | 'api-token';
  tokenHash: string;
}

export interface AuthServiceOptions {
  store: AuthStore;
  nowMs?: () => number;
  /** Browser session lifetime; 12 h by default. */
  sessionTtlMs?: number;
  /** Failed logins per address and per username before backoff starts; 5 by default. */
  freeFailures?: number;
  /** Longest backoff; 15 min by default. */
  maxBackoffMs?: number;
  /** Whether a camera id names an existing camera (viewer scopes may name only those). */
  cameraExists?: (id: string) => boolean;
}

export type LoginResult =
  | { ok: true; token: string; expiresMs: number; user: PublicUser }
  | { ok: false; reason: 'bad_credentials' }
  | { ok: false; reason: 'rate_limited'; retryAfterMs: number };

export interface PublicUser {
  id: number;
  username: string;
  role: AuthRole;
  cameras: string[] | null;
  createdMs: number;
}

export const MIN_PASSWORD_LENGTH = 10;
const USERNAME = /^[A-Za-z0-9._-]{1,64}$/;

export function publicUser(u: AuthUser): PublicUser {
  return {
    id: u.id,
    username: u.username,
    role: u.role,
    cameras: u.cameras,
    createdMs: u.createdMs,
  };
}

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > 256)
    throw new NvrError(
      'bad_request',
      `password: must be ${MIN_PASSWORD_LENGTH} to 256 characters`,
      { field: 'password' },
    );
}

export class AuthService {
  readonly store: AuthStore;
  private readonly nowMs: () => number;
  readonly sessionTtlMs: number;
  /** Failed logins per address and per username (backoff before the password check). */
  private readonly limiter: LoginLimiter;
  /** Wrong current passwords on a password change, per address and per user (a stolen token must not guess). */
  private readonly changeLimiter: LoginLimiter;
  private readonly cameraExists: ((id: string) => boolean) | undefined;

  constructor(opts: AuthServiceOptions) {
    this.store = opts.store;
    this.nowMs = opts.nowMs ?? (() => Date.now());
    this.sessionTtlMs = opts.sessionTtlMs ?? 12 * 3600_000;
    this.limiter = new LoginLimiter({
      nowMs: this.nowMs,
      ...(opts.freeFailures !== undefined ? { freeFailures: opts.freeFailures } : {}),
      ...(opts.maxBackoffMs !== undefined ? { maxBackoffMs: opts.maxBackoffMs } : {}),
    });
    this.changeLimiter = new LoginLimiter({
      nowMs: this.nowMs,
      ...(opts.freeFailures !== undefined ? { freeFailures: opts.freeFailures } : {}),
      ...(opts.maxBackoffMs !== undefined ? { maxBackoffMs: opts.maxBackoffMs } : {}),
    });
    this.cameraExists = opts.cameraExists;
  }

  /** A viewer's scope names existing cameras only (400 naming the first unknown one). */
  private checkCameras(cameras: string[] | null | undefined): void {
    if (!cameras || !this.cameraExists) return;
    const unknown = cameras.find((id) => !this.cameraExists!(id));
    if (unknown !== undefined)
      throw new NvrError('bad_request', `cameras: no camera ${unknown}`, {
        field: 'cameras',
        camera: unknown,
      });
  }

  hasAdmin(): boolean {
    return this.store.countAdmins() > 0;
  }

  audit(actor: string | null, action: string, address: string | null, detail?: unknown): void {
    this.store.appendAudit({ atMs: this.nowMs(), actor, action, address, detail: detail ?? null });
  }

  async createUser(
    input: { username: string; password: string; role: AuthRole; cameras?: string[] | null },
    actor: string | null,
    address: string | null,
  ): Promise<PublicUser> {
    if (!USERNAME.test(input.username))
      throw new NvrError('bad_request', 'username: 1-64 letters, digits, . _ -', {
        field: 'username',
      });
    checkPassword(input.password);
    if (input.role !== 'admin') this.checkCameras(input.cameras);
    if (this.store.getUserByName(input.username))
      throw new NvrError('conflict', `user ${input.username} exists`, { field: 'username' });
    const user = this.store.insertUser({
      username: input.username,
      passwordHash: await hashPassword(input.password),
      role: input.role,
      cameras: input.role === 'admin' ? null : (input.cameras ?? null),
      createdMs: this.nowMs(),
    });
    this.audit(actor, 'user.create', address, { username: user.username, role: user.role });
    return publicUser(user);
  }

  async updateUser(
    id: number,
    patch: { password?: string; role?: AuthRole; cameras?: string[] | null },
    actor: string | null,
    address: string | null,
    /** The caller's own token when they change their own password: it stays, every other one goes. */
    keepTokenHash?: string,
  ): Promise<PublicUser> {
    const user = this.store.getUser(id);
    if (!user) throw new NvrError('not_found', `no user ${id}`, { field: 'id' });
    if (patch.role === 'viewer' && user.role === 'admin' && this.store.countAdmins() <= 1)
      throw new NvrError('conflict', 'the last admin cannot be demoted', { field: 'role' });
    if ((patch.role ?? user.role) !== 'admin') this.checkCameras(patch.cameras);
    const next = { ...user };
    if (patch.password !== undefined) {
      checkPassword(patch.password);
      next.passwordHash = await hashPassword(patch.password);
    }
    if (patch.role) next.role = patch.role;
    if (patch.cameras !== undefined) next.cameras = patch.cameras;
    if (next.role === 'admin') next.cameras = null;
    this.store.updateUser(next);
    // A new password ends every other session and API token of the user (a thief's included).
    const revoked =
      patch.password !== undefined ? this.store.deleteUserTokens(user.id, keepTokenHash) : 0;
    this.audit(actor, 'user.update', address, {
      username: user.username,
      fields: Object.keys(patch),
      ...(revoked > 0 ? { revokedTokens: revoked } : {}),
    });
    return publicUser(next);
  }

  /**
   * A signed-in user (viewers too) changes their own password: the current one is required, and
   * repeated wrong ones back off per user like logins. Keeps the caller's token, revokes the others.
   */
  async changeOwnPassword(
    p: Principal,
    currentPassword: string,
    newPassword: string,
    address: string,
  ): Promise<
    { ok: true } | { ok: false; reason: 'bad_credentials' | 'rate_limited'; retryAfterMs?: number }
  > {
    const user = this.store.getUser(p.userId);
    if (!user) return { ok: false, reason: 'bad_credentials' };
    // Reserved before the check, like logins: concurrent guesses cannot slip past the limit.
    const admission = this.changeLimiter.admit(address, `#${user.id}`);
    if (!admission.ok)
      return { ok: false, reason: 'rate_limited', retryAfterMs: admission.retryAfterMs };
    let ok = false;
    try {
      ok = await verifyPassword(currentPassword, user.passwordHash);
    } finally {
      if (ok) admission.ticket.succeeded();
      else {
        const count = admission.ticket.failed();
        this.audit(user.username, 'password.change_failed', address, { failures: count });
      }
    }
    if (!ok) return { ok: false, reason: 'bad_credentials' };
    await this.updateUser(user.id, { password: newPassword }, user.username, address, p.tokenHash);
    return { ok: true };
  }

  deleteUser(id: number, actor: string | null, address: string | null): void {
    const user = this.store.getUser(id);
    if (!user) throw new NvrError('not_found', `no user ${id}`, { field: 'id' });
    if (user.role === 'admin' && this.store.countAdmins() <= 1)
      throw new NvrError('conflict', 'the last admin cannot be deleted', { field: 'id' });
    this.store.deleteUser(id);
    this.audit(actor, 'user.delete', address, { username: user.username });
  }

  /**
   * Reserves an attempt against the address's and the username's backoff (login-limiter.ts), then
   * checks the password; records the outcome in the audit log.
   */
  async login(username: string, password: string, address: string): Promise<LoginResult> {
    const admission = this.limiter.admit(address, username);
    if (!admission.ok) {
      this.audit(username, 'login.rate_limited', address, { by: admission.key });
      return { ok: false, reason: 'rate_limited', retryAfterMs: admission.retryAfterMs };
    }
    let user: AuthUser | undefined;
    let ok = false;
    try {
      user = this.store.getUserByName(username);
      ok = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
    } finally {
      if (!user || !ok) {
        const count = admission.ticket.failed();
        this.audit(username, 'login.failed', address, { failures: count });
      } else admission.ticket.succeeded();
    }
    if (!user || !ok) return { ok: false, reason: 'bad_credentials' };
    const t = newTokenSecret();
    const expiresMs = this.nowMs() + this.sessionTtlMs;
    this.store.deleteExpiredTokens(this.nowMs());
    this.store.insertToken({
      hash: t.hash,
      id: t.id,
      userId: user.id,
      kind: 'session',
      name: 'session',
      createdMs: this.nowMs(),
      expiresMs,
    });
    this.audit(user.username, 'login', address);
    return { ok: true, token: t.secret, expiresMs, user: publicUser(user) };
  }

  /** The principal behind a bearer/session secret, or undefined (unknown, expired, user gone). */
  authenticate(secret: string): Principal | undefined {
    if (!secret.startsWith('nvr_') || secret.length > 128) return undefined;
    const hash = hashToken(secret);
    const token = this.store.getToken(hash);
    if (!token) return undefined;
    if (token.expiresMs !== null && token.expiresMs <= this.nowMs()) {
      this.store.deleteTokenByHash(hash);
      return undefined;
    }
    const user = this.store.getUser(token.userId);
    if (!user) return undefined;
    // API tokens are viewer-scoped whoever made them.
    const role: AuthRole = token.kind === 'api' ? 'viewer' : user.role;
    return {
      userId: user.id,
      username: user.username,
      role,
      cameras: role === 'admin' ? null : user.cameras,
      via: token.kind === 'api' ? 'api-token' : 'session',
      tokenHash: hash,
    };
  }

  /**
   * The principal behind a token as it stands now (role and cameras re-read), or undefined once the
   * token was revoked (password change, logout, user deleted) or expired. Long-lived sockets use it.
   */
  refresh(p: Principal): Principal | undefined {
    const token = this.store.getToken(p.tokenHash);
    if (!token || (token.expiresMs !== null && token.expiresMs <= this.nowMs())) return undefined;
    const user = this.store.getUser(token.userId);
    if (!user) return undefined;
    const role: AuthRole = token.kind === 'api' ? 'viewer' : user.role;
    return { ...p, role, cameras: role === 'admin' ? null : user.cameras };
  }

  logout(p: Principal, address: string): void {
    this.store.deleteTokenByHash(p.tokenHash);
    this.audit(p.username, 'logout', address);
  }

  /** A long-lived, viewer-scoped API token for the given user; the secret is returned once. */
  createApiToken(
    input: { userId: number; name: string; expiresMs?: number | null },
    actor: string,
    address: string | null,
  ): { id: string; token: string; name: string; expiresMs: number | null } {
    const user = this.store.getUser(input.userId);
    if (!user) throw new NvrError('not_found', `no user ${input.userId}`, { field: 'userId' });
    const t = newTokenSecret();
    const expiresMs = input.expiresMs ?? null;
    this.store.insertToken({
      hash: t.hash,
      id: t.id,
      userId: user.id,
      kind: 'api',
      name: input.name,
      createdMs: this.nowMs(),
      expiresMs,
    });
    this.audit(actor, 'token.create', address, { id: t.id, name: input.name, user: user.username });
    return { id: t.id, token: t.secret, name: input.name, expiresMs };
  }

  listApiTokens(): {
    id: string;
    name: string;
    username: string;
    createdMs: number;
    expiresMs: number | null;
  }[] {
    return this.store.listTokens('api').map((t) => ({
      id: t.id,
      name: t.name,
      username: this.store.getUser(t.userId)?.username ?? '?',
      createdMs: t.createdMs,
      expiresMs: t.expiresMs,
    }));
  }

  revokeApiToken(id: string, actor: string, address: string | null): boolean {
    const ok = this.store.deleteToken(id);
    if (ok) this.audit(actor, 'token.revoke', address, { id });
    return ok;
  }
}

/** In-memory AuthStore for tests and engines without a database. */
export class MemoryAuthStore implements AuthStore {
  private users = new Map<number, AuthUser>();
  private tokens = new Map<string, AuthToken>();
  private auditLog: (AuditEntry & { id: number })[] = [];
  private nextId = 1;

  listUsers(): AuthUser[] {
    return [...this.users.values()];
  }
  getUser(id: number): AuthUser | undefined {
    return this.users.get(id);
  }
  getUserByName(username: string): AuthUser | undefined {
    return [...this.users.values()].find((u) => u.username === username);
  }
  countAdmins(): number {
    return [...this.users.values()].filter((u) => u.role === 'admin').length;
  }
  insertUser(u: Omit<AuthUser, 'id'>): AuthUser {
    const user = { ...u, id: this.nextId++ };
    this.users.set(user.id, user);
    return user;
  }
  updateUser(u: AuthUser): void {
    this.users.set(u.id, { ...u });
  }
  deleteUser(id: number): boolean {
    for (const [h, t] of this.tokens) if (t.userId === id) this.tokens.delete(h);
    return this.users.delete(id);
  }
  insertToken(t: AuthToken): void {
    this.tokens.set(t.hash, t);
  }
  getToken(hash: string): AuthToken | undefined {
    return this.tokens.get(hash);
  }
  listTokens(kind: 'session' | 'api'): AuthToken[] {
    return [...this.tokens.values()].filter((t) => t.kind === kind);
  }
  deleteToken(id: string): boolean {
    for (const [h, t] of this.tokens) if (t.id === id) return this.tokens.delete(h);
    return false;
  }
  deleteTokenByHash(hash: string): boolean {
    return this.tokens.delete(hash);
  }
  deleteUserTokens(userId: number, exceptHash?: string): number {
    let n = 0;
    for (const [h, t] of this.tokens)
      if (t.userId === userId && h !== exceptHash) n += this.tokens.delete(h) ? 1 : 0;
    return n;
  }
  deleteExpiredTokens(nowMs: number): number {
    let n = 0;
    for (const [h, t] of this.tokens)
      if (t.expiresMs !== null && t.expiresMs <= nowMs) n += this.tokens.delete(h) ? 1 : 0;
    return n;
  }
  appendAudit(e: AuditEntry): void {
    this.auditLog.push({ ...e, id: this.auditLog.length + 1 });
  }
  listAudit(limit: number): (AuditEntry & { id: number })[] {
    return this.auditLog.slice(-limit).reverse();
  }
}
