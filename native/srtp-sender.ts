// Loads the optional N-API addon in native/srtp-sender/ (built by `npm install` where a C compiler is
// present; see scripts/build-native.mjs): SRTP AEAD_AES_128_GCM sealing and sendmmsg(2) of a whole
// batch of RTP packets in one call. The live module uses it when it loads and falls back to JS
// (werift's SRTP and dgram) when it does not: Windows, no compiler, NVR_NATIVE_SRTP=0.
import { createRequire } from 'node:module';
import path from 'node:path';
import { defaultNativeDir } from './ffmpeg';

/** An AES-128-GCM SRTP context (the session key and salt of one direction). */
export type SrtpSenderSession = { readonly __brand: 'SrtpSenderSession' };

export interface SrtpSender {
  /** `key`: the 16-byte SRTP session key; `salt`: the 12-byte session salt (RFC 7714). */
  createSession(key: Uint8Array, salt: Uint8Array): SrtpSenderSession;
  /**
   * Seals packet i (AAD = `headers[i*headerBytes ..]`, plaintext = `payloads[i]`, rollover counter
   * `rocs[i]`) and sends all of them from socket `fd` to ip:port. Returns how many were sent: the
   * first ones, fewer than given when the socket would block or fails. At most 256 packets of at
   * most 1500 bytes each.
   */
  send(
    session: SrtpSenderSession,
    fd: number,
    ip: string,
    port: number,
    headers: Uint8Array,
    headerBytes: number,
    payloads: readonly Uint8Array[],
    rocs: Uint32Array,
  ): number;
}

/** Packets per `send` call. */
export const SRTP_SENDER_MAX_BATCH = 256;

const ADDON = path.join('srtp-sender', 'build', 'Release', 'srtp_sender.node');

let loaded: { sender: SrtpSender | undefined; error?: string } | undefined;

/**
 * The addon, or undefined with the reason (not built, disabled by NVR_NATIVE_SRTP=0, or it failed to
 * load, e.g. a missing symbol in another runtime). Loaded once.
 */
export function loadSrtpSender(env: Record<string, string | undefined> = process.env): {
  sender: SrtpSender | undefined;
  error?: string;
} {
  if (env.NVR_NATIVE_SRTP === '0')
    return { sender: undefined, error: 'disabled by NVR_NATIVE_SRTP=0' };
  if (loaded) return loaded;
  const dir = defaultNativeDir();
  if (!dir) return (loaded = { sender: undefined, error: 'no native/ folder' });
  try {
    const sender = createRequire(import.meta.url)(path.join(dir, ADDON)) as SrtpSender;
    loaded = { sender };
  } catch (err) {
    loaded = { sender: undefined, error: err instanceof Error ? err.message : String(err) };
  }
  return loaded;
}
