// Users, tokens and the audit log in SQLite (migration 2), and camera passwords sealed at rest.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RecordingIndex } from './recording-index';
import type { SecretCipher } from './camera-store';
import { makeTempDir } from './test-support';
import type { TempDir } from './test-support';

let tmp: TempDir;
let index: RecordingIndex;
beforeEach(() => {
  tmp = makeTempDir('nvr-auth-store-');
  index = RecordingIndex.open({ dataDir: tmp.dir });
});
afterEach(() => {
  index.close();
  tmp.cleanup();
});

/** A reversible test cipher (the real ones live in the engine and the app). */
const rot: SecretCipher = {
  encrypt: (s) => Buffer.from(s).toString('base64').split('').reverse().join(''),
  decrypt: (s) => Buffer.from(s.split('').reverse().join(''), 'base64').toString(),
};

describe('SqliteAuthStore', () => {
  it('stores users with camera scope, tokens by hash with expiry, and the audit log', () => {
    const auth = index.auth;
    const admin = auth.insertUser({
      username: 'admin',
      passwordHash: 'scrypt$x',
      role: 'admin',
      cameras: null,
      createdMs: 1,
    });
    const viewer = auth.insertUser({
      username: 'v',
      passwordHash: 'scrypt$y',
      role: 'viewer',
      cameras: ['yard'],
      createdMs: 2,
    });
    expect(auth.countAdmins()).toBe(1);
    expect(auth.getUserByName('v')).toEqual(viewer);
    auth.updateUser({ ...viewer, cameras: ['yard', 'door'] });
    expect(auth.getUser(viewer.id)?.cameras).toEqual(['yard', 'door']);

    auth.insertToken({
      hash: 'h1',
      id: 'i1',
      userId: viewer.id,
      kind: 'session',
      name: 's',
      createdMs: 1,
      expiresMs: 100,
    });
    auth.insertToken({
      hash: 'h2',
      id: 'i2',
      userId: admin.id,
      kind: 'api',
      name: 'embed',
      createdMs: 1,
      expiresMs: null,
    });
    expect(auth.getToken('h1')?.userId).toBe(viewer.id);
    expect(auth.listTokens('api').map((t) => t.id)).toEqual(['i2']);
    expect(auth.deleteExpiredTokens(100)).toBe(1);
    expect(auth.getToken('h1')).toBeUndefined();
    // deleting a user deletes its tokens
    expect(auth.deleteUser(admin.id)).toBe(true);
    expect(auth.getToken('h2')).toBeUndefined();

    auth.appendAudit({
      atMs: 5,
      actor: 'admin',
      action: 'login',
      address: '127.0.0.1',
      detail: { a: 1 },
    });
    auth.appendAudit({
      atMs: 6,
      actor: null,
      action: 'login.failed',
      address: '10.0.0.9',
      detail: null,
    });
    expect(auth.listAudit(10).map((e) => [e.action, e.detail])).toEqual([
      ['login.failed', null],
      ['login', { a: 1 }],
    ]);
  });
});

describe('camera passwords at rest', () => {
  it('seals passwords with the cipher, re-seals clear ones, and reads them back', () => {
    const cameras = index.cameras;
    cameras.insert({
      id: 'old',
      config: { name: 'Old', password: 'clear-secret' },
      createdMs: 1,
      updatedMs: 1,
    });
    cameras.useCipher(rot);
    cameras.insert({
      id: 'new',
      config: { name: 'New', password: 'new-secret' },
      createdMs: 2,
      updatedMs: 2,
    });
    const raw = index.db
      .prepare('SELECT config FROM cameras ORDER BY id')
      .pluck()
      .all() as string[];
    expect(raw.join()).not.toContain('secret');
    expect(raw.every((r) => r.includes('"password":"enc:v1:'))).toBe(true);
    expect(cameras.get('old')?.config).toEqual({ name: 'Old', password: 'clear-secret' });
    expect(
      cameras
        .list()
        .map((c) => (c.config as { password: string }).password)
        .sort(),
    ).toEqual(['clear-secret', 'new-secret']);
    // without the key, sealed passwords cannot be read
    const other = RecordingIndex.open({ dataDir: tmp.dir, dbPath: `${tmp.dir}/index.db` });
    try {
      expect(() => other.cameras.get('new')).toThrow(/no key/);
    } finally {
      other.close();
    }
  });
});
