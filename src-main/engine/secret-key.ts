// The engine's SecretCipher: AES-256-GCM with a random key in `<dataDir>/secret.key` (created 0600 on
// first use), or, in the desktop app, a key the main process unwrapped with safeStorage and handed over
// in the environment (NVR_SECRET_KEY, base64). No SQLite here.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { NvrError } from '../base';

export interface SecretCipher {
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
}

export const SECRET_KEY_FILE = 'secret.key';
/** Environment variable through which the desktop app hands the engine its data key (base64, 32 bytes). */
export const SECRET_KEY_ENV = 'NVR_SECRET_KEY';

/**
 * The key handed over in the environment, removed from it at once (child processes and crash dumps
 * must not see it); undefined when absent. A malformed value throws rather than falling back silently.
 */
export function takeKeyFromEnv(env: Record<string, string | undefined>): Buffer | undefined {
  const b64 = env[SECRET_KEY_ENV];
  delete env[SECRET_KEY_ENV];
  if (b64 === undefined || b64 === '') return undefined;
  const key = Buffer.from(b64, 'base64');
  if (key.length !== 32 || !/^[A-Za-z0-9+/]+=*$/.test(b64))
    throw new NvrError('malformed', `${SECRET_KEY_ENV} must be 32 bytes in base64`, {
      sizeBytes: key.length,
    });
  return key;
}

/** Reads (or creates, 0600) the 32-byte key file in the data folder. */
export function loadOrCreateKey(dataDir: string): Buffer {
  const file = path.join(dataDir, SECRET_KEY_FILE);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, randomBytes(32), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  chmodSync(file, 0o600);
  const key = readFileSync(file);
  if (key.length !== 32)
    throw new NvrError('malformed', `${SECRET_KEY_FILE} must hold 32 bytes`, {
      sizeBytes: key.length,
    });
  return key;
}

/** `base64(iv 12 | tag 16 | ciphertext)` */
export function keyFileCipher(key: Buffer): SecretCipher {
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]).toString('base64');
    },
    decrypt(sealed) {
      const raw = Buffer.from(sealed, 'base64');
      if (raw.length < 28) throw new NvrError('malformed', 'sealed secret is too short');
      const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      d.setAuthTag(raw.subarray(12, 28));
      try {
        return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
      } catch {
        throw new NvrError(
          'malformed',
          'sealed secret does not match the key (secret.key changed?)',
        );
      }
    },
  };
}
