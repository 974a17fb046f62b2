// The engine's data key (seals camera passwords) wrapped with Electron safeStorage in the data folder:
// created on first start (adopting an existing 0600 key file), unwrapped at each start and handed to the
// engine child in its environment. safeStorage is injected (fakes in tests); no electron import here.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The part of Electron's safeStorage used here. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(sealed: Buffer): string;
  /** Linux only: 'basic_text' means no keyring (a hard-coded password): no better than a 0600 file. */
  getSelectedStorageBackend?(): string;
}

/** Same names as src-main/engine/secret-key.ts (the app does not load the engine's code). */
export const ENGINE_SECRET_KEY_ENV = 'NVR_SECRET_KEY';
export const PLAIN_KEY_FILE = 'secret.key';
export const WRAPPED_KEY_FILE = 'secret.key.safe';

export interface DataKeyOptions {
  dataDir: string;
  safeStorage: SafeStorageLike;
  log: (message: string) => void;
}

export type DataKeyResult =
  | { kind: 'safe-storage'; key: Buffer; created: boolean; adopted: boolean }
  | { kind: 'key-file'; reason: string };

function safeStorageUsable(s: SafeStorageLike): string | undefined {
  if (!s.isEncryptionAvailable()) return 'safeStorage is not available';
  if (process.platform === 'linux' && s.getSelectedStorageBackend?.() === 'basic_text')
    return 'no system keyring (safeStorage would use a fixed password)';
  return undefined;
}

/**
 * The data key from `<dataDir>/secret.key.safe`, creating it when missing. Without a usable safeStorage
 * the engine keeps its 0600 key file (a warning is logged). A wrapped key that no longer unwraps (the
 * keyring was reset) throws: a fresh key would silently orphan every stored camera password.
 */
export function loadDataKey({ dataDir, safeStorage, log }: DataKeyOptions): DataKeyResult {
  const wrappedFile = path.join(dataDir, WRAPPED_KEY_FILE);
  const plainFile = path.join(dataDir, PLAIN_KEY_FILE);
  const unusable = safeStorageUsable(safeStorage);
  if (unusable) {
    if (existsSync(wrappedFile))
      throw new Error(`${unusable}, but camera passwords are sealed with a key in ${wrappedFile}`);
    log(`warning: ${unusable}; camera passwords use the 0600 key file ${plainFile}`);
    return { kind: 'key-file', reason: unusable };
  }
  if (existsSync(wrappedFile)) {
    let key: Buffer;
    try {
      key = Buffer.from(safeStorage.decryptString(readFileSync(wrappedFile)), 'base64');
    } catch (err) {
      throw new Error(`cannot unwrap ${wrappedFile} with safeStorage: ${String(err)}`, {
        cause: err,
      });
    }
    if (key.length !== 32) throw new Error(`${wrappedFile} does not hold a 32-byte key`);
    return { kind: 'safe-storage', key, created: false, adopted: false };
  }
  // First start with safeStorage: adopt the key file of an earlier (headless or keyring-less) run so
  // the passwords it sealed stay readable, else make a new key.
  mkdirSync(dataDir, { recursive: true });
  const existing = existsSync(plainFile) ? readFileSync(plainFile) : undefined;
  const adopted = existing?.length === 32;
  const key = adopted ? existing : randomBytes(32);
  writeFileSync(wrappedFile, safeStorage.encryptString(key.toString('base64')), {
    mode: 0o600,
    flag: 'wx',
  });
  if (adopted) {
    rmSync(plainFile, { force: true });
    log(`moved the camera-password key from ${plainFile} into safeStorage`);
  }
  return { kind: 'safe-storage', key, created: true, adopted };
}

/** Environment for the engine child: the parent's plus the data key (when safeStorage holds it). */
export function engineEnv(
  base: NodeJS.ProcessEnv,
  result: DataKeyResult | undefined,
): NodeJS.ProcessEnv {
  const env = { ...base };
  delete env[ENGINE_SECRET_KEY_ENV];
  if (result?.kind === 'safe-storage') env[ENGINE_SECRET_KEY_ENV] = result.key.toString('base64');
  return env;
}
