// Users, session/API tokens (by SHA-256 of the secret) and the audit log in SQLite: the storage side of
// the server's AuthStore interface. Stores hashes only; never hashes, verifies or generates secrets itself.
import type Database from 'better-sqlite3';

export type AuthRole = 'admin' | 'viewer';

export interface AuthUserRecord {
  id: number;
  username: string;
  passwordHash: string;
  role: AuthRole;
  /** Camera ids the user may see; null = all cameras. */
  cameras: string[] | null;
  createdMs: number;
}

export interface AuthTokenRecord {
  hash: string;
  id: string;
  userId: number;
  kind: 'session' | 'api';
  name: string;
  createdMs: number;
  expiresMs: number | null;
}

export interface AuditRecord {
  id: number;
  atMs: number;
  actor: string | null;
  action: string;
  address: string | null;
  detail: unknown;
}

interface UserRow {
  id: number;
  username: string;
  password_hash: string;
  role: string;
  cameras: string | null;
  created_ms: number;
}
interface TokenRow {
  hash: string;
  id: string;
  user_id: number;
  kind: string;
  name: string;
  created_ms: number;
  expires_ms: number | null;
}
interface AuditRow {
  id: number;
  at_ms: number;
  actor: string | null;
  action: string;
  address: string | null;
  detail: string | null;
}

const toUser = (r: UserRow): AuthUserRecord => ({
  id: r.id,
  username: r.username,
  passwordHash: r.password_hash,
  role: r.role === 'admin' ? 'admin' : 'viewer',
  cameras: r.cameras === null ? null : (JSON.parse(r.cameras) as string[]),
  createdMs: r.created_ms,
});
const toToken = (r: TokenRow): AuthTokenRecord => ({
  hash: r.hash,
  id: r.id,
  userId: r.user_id,
  kind: r.kind === 'api' ? 'api' : 'session',
  name: r.name,
  createdMs: r.created_ms,
  expiresMs: r.expires_ms,
});

export class SqliteAuthStore {
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      users: db.prepare<[], UserRow>('SELECT * FROM users ORDER BY id'),
      user: db.prepare<[number], UserRow>('SELECT * FROM users WHERE id = ?'),
      byName: db.prepare<[string], UserRow>('SELECT * FROM users WHERE username = ?'),
      admins: db.prepare<[], number>("SELECT COUNT(*) FROM users WHERE role = 'admin'").pluck(),
      insertUser: db.prepare(
        'INSERT INTO users (username, password_hash, role, cameras, created_ms) VALUES (?, ?, ?, ?, ?)',
      ),
      updateUser: db.prepare(
        'UPDATE users SET password_hash = ?, role = ?, cameras = ? WHERE id = ?',
      ),
      deleteUser: db.prepare('DELETE FROM users WHERE id = ?'),
      deleteUserTokens: db.prepare('DELETE FROM auth_tokens WHERE user_id = ?'),
      deleteUserTokensExcept: db.prepare('DELETE FROM auth_tokens WHERE user_id = ? AND hash != ?'),
      insertToken: db.prepare(
        'INSERT INTO auth_tokens (hash, id, user_id, kind, name, created_ms, expires_ms) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      token: db.prepare<[string], TokenRow>('SELECT * FROM auth_tokens WHERE hash = ?'),
      tokens: db.prepare<[string], TokenRow>(
        'SELECT * FROM auth_tokens WHERE kind = ? ORDER BY created_ms, id',
      ),
      deleteToken: db.prepare('DELETE FROM auth_tokens WHERE id = ?'),
      deleteTokenHash: db.prepare('DELETE FROM auth_tokens WHERE hash = ?'),
      deleteExpired: db.prepare(
        'DELETE FROM auth_tokens WHERE expires_ms IS NOT NULL AND expires_ms <= ?',
      ),
      audit: db.prepare(
        'INSERT INTO audit_log (at_ms, actor, action, address, detail) VALUES (?, ?, ?, ?, ?)',
      ),
      listAudit: db.prepare<[number], AuditRow>('SELECT * FROM audit_log ORDER BY id DESC LIMIT ?'),
    };
    this.deleteUser = db.transaction((id: number) => {
      this.s.deleteUserTokens.run(id);
      return this.s.deleteUser.run(id).changes > 0;
    });
  }

  listUsers(): AuthUserRecord[] {
    return this.s.users.all().map(toUser);
  }
  getUser(id: number): AuthUserRecord | undefined {
    const r = this.s.user.get(id);
    return r ? toUser(r) : undefined;
  }
  getUserByName(username: string): AuthUserRecord | undefined {
    const r = this.s.byName.get(username);
    return r ? toUser(r) : undefined;
  }
  countAdmins(): number {
    return this.s.admins.get() as number;
  }
  insertUser(u: Omit<AuthUserRecord, 'id'>): AuthUserRecord {
    const info = this.s.insertUser.run(
      u.username,
      u.passwordHash,
      u.role,
      u.cameras === null ? null : JSON.stringify(u.cameras),
      u.createdMs,
    );
    return { ...u, id: Number(info.lastInsertRowid) };
  }
  updateUser(u: AuthUserRecord): void {
    this.s.updateUser.run(
      u.passwordHash,
      u.role,
      u.cameras === null ? null : JSON.stringify(u.cameras),
      u.id,
    );
  }
  /** Deletes the user and all of its tokens. */
  readonly deleteUser: (id: number) => boolean;

  insertToken(t: AuthTokenRecord): void {
    this.s.insertToken.run(t.hash, t.id, t.userId, t.kind, t.name, t.createdMs, t.expiresMs);
  }
  getToken(hash: string): AuthTokenRecord | undefined {
    const r = this.s.token.get(hash);
    return r ? toToken(r) : undefined;
  }
  listTokens(kind: 'session' | 'api'): AuthTokenRecord[] {
    return this.s.tokens.all(kind).map(toToken);
  }
  deleteToken(id: string): boolean {
    return this.s.deleteToken.run(id).changes > 0;
  }
  deleteTokenByHash(hash: string): boolean {
    return this.s.deleteTokenHash.run(hash).changes > 0;
  }
  /** Every token of a user but `exceptHash` (a password change keeps the caller's own). */
  deleteUserTokens(userId: number, exceptHash?: string): number {
    return this.s.deleteUserTokensExcept.run(userId, exceptHash ?? '').changes;
  }
  deleteExpiredTokens(nowMs: number): number {
    return this.s.deleteExpired.run(nowMs).changes;
  }

  appendAudit(e: Omit<AuditRecord, 'id'>): void {
    this.s.audit.run(
      e.atMs,
      e.actor,
      e.action,
      e.address,
      e.detail === undefined ? null : JSON.stringify(e.detail),
    );
  }
  listAudit(limit: number): AuditRecord[] {
    return this.s.listAudit.all(limit).map((r) => ({
      id: r.id,
      atMs: r.at_ms,
      actor: r.actor,
      action: r.action,
      address: r.address,
      detail: r.detail === null ? null : (JSON.parse(r.detail) as unknown),
    }));
  }
}
