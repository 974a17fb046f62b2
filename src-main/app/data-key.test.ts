// Data key wrapped with safeStorage (a fake here): created once, unwrapped on later starts, an earlier
// 0600 key file adopted, the key-file fallback without a keyring, and the hand-over to the engine.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SECRET_KEY_ENV, keyFileCipher, loadOrCreateKey, takeKeyFromEnv } from '../engine';
import {
  ENGINE_SECRET_KEY_ENV,
  PLAIN_KEY_FILE,
  WRAPPED_KEY_FILE,
  engineEnv,
  loadDataKey,
  type SafeStorageLike,
} from './data-key';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nvr-datakey-'));
  dirs.push(dir);
  return path.join(dir, 'data');
};

/** A stand-in for the OS keyring: XOR with a secret byte behind a header (decrypt checks the header). */
function fakeSafeStorage(opts: { available?: boolean; backend?: string; pad?: number } = {}) {
  const pad = opts.pad ?? 0x5a;
  const s: SafeStorageLike & { calls: string[] } = {
    calls: [],
    isEncryptionAvailable: () => opts.available ?? true,
    getSelectedStorageBackend: () => opts.backend ?? 'gnome_libsecret',
    encryptString(plain) {
      s.calls.push('encrypt');
      return Buffer.concat([Buffer.from('v10'), Buffer.from(plain).map((b) => b ^ pad)]);
    },
    decryptString(sealed) {
      s.calls.push('decrypt');
      if (sealed.subarray(0, 3).toString() !== 'v10') throw new Error('not sealed by us');
      return Buffer.from(sealed.subarray(3).map((b) => b ^ pad)).toString();
    },
  };
  return s;
}

describe('loadDataKey', () => {
  it('creates a wrapped key once (0600, not in clear) and unwraps it on later starts', () => {
    const dataDir = tempDir();
    const storage = fakeSafeStorage();
    const first = loadDataKey({ dataDir, safeStorage: storage, log: () => {} });
    if (first.kind !== 'safe-storage') throw new Error('expected safeStorage');
    expect(first).toMatchObject({ created: true, adopted: false });
    expect(first.key).toHaveLength(32);
    const file = path.join(dataDir, WRAPPED_KEY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file).toString()).not.toContain(first.key.toString('base64'));
    expect(existsSync(path.join(dataDir, PLAIN_KEY_FILE))).toBe(false);

    const again = loadDataKey({ dataDir, safeStorage: storage, log: () => {} });
    expect(again).toMatchObject({ kind: 'safe-storage', created: false });
    expect(again.kind === 'safe-storage' && again.key.equals(first.key)).toBe(true);
    // Another keyring cannot open it: refuse rather than orphan the sealed passwords with a new key.
    expect(() =>
      loadDataKey({ dataDir, safeStorage: fakeSafeStorage({ pad: 1 }), log: () => {} }),
    ).toThrow(/cannot unwrap|32-byte/);
  });

  it("adopts the engine's earlier key file so passwords sealed with it stay readable", () => {
    const dataDir = tempDir();
    const oldKey = loadOrCreateKey(dataDir);
    const sealed = keyFileCipher(oldKey).encrypt('camera-password');
    const logs: string[] = [];
    const r = loadDataKey({ dataDir, safeStorage: fakeSafeStorage(), log: (m) => logs.push(m) });
    expect(r).toMatchObject({ kind: 'safe-storage', adopted: true });
    expect(existsSync(path.join(dataDir, PLAIN_KEY_FILE))).toBe(false);
    expect(logs.join('\n')).toMatch(/moved the camera-password key/);
    // The engine child gets the key through its environment and opens the old secret with it.
    const env = engineEnv({ PATH: '/bin', [ENGINE_SECRET_KEY_ENV]: 'stale' }, r);
    expect(ENGINE_SECRET_KEY_ENV).toBe(SECRET_KEY_ENV);
    expect(env.PATH).toBe('/bin');
    const key = takeKeyFromEnv(env);
    expect(env[SECRET_KEY_ENV]).toBeUndefined();
    expect(keyFileCipher(key!).decrypt(sealed)).toBe('camera-password');
  });

  it('falls back to the 0600 key file with a warning when safeStorage cannot help', () => {
    for (const storage of [
      fakeSafeStorage({ available: false }),
      ...(process.platform === 'linux' ? [fakeSafeStorage({ backend: 'basic_text' })] : []),
    ]) {
      const dataDir = tempDir();
      const logs: string[] = [];
      const r = loadDataKey({ dataDir, safeStorage: storage, log: (m) => logs.push(m) });
      expect(r.kind).toBe('key-file');
      expect(logs[0]).toMatch(/^warning: .*0600 key file/);
      expect(storage.calls).toEqual([]);
      expect(engineEnv({ [ENGINE_SECRET_KEY_ENV]: 'x' }, r)[ENGINE_SECRET_KEY_ENV]).toBeUndefined();
    }
    // A wrapped key exists but the keyring is gone: an error, not a silent new key.
    const dataDir = tempDir();
    loadDataKey({ dataDir, safeStorage: fakeSafeStorage(), log: () => {} });
    expect(() =>
      loadDataKey({ dataDir, safeStorage: fakeSafeStorage({ available: false }), log: () => {} }),
    ).toThrow(/sealed with a key/);
  });

  it('rejects a malformed key in the environment', () => {
    expect(takeKeyFromEnv({})).toBeUndefined();
    expect(() => takeKeyFromEnv({ [SECRET_KEY_ENV]: 'c2hvcnQ=' })).toThrow(/32 bytes/);
  });
});
