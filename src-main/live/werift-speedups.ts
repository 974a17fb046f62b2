// Two costs of werift's DTLS handshake moved to native code, measured at ~25 ms of engine CPU per
// viewer (of ~40 ms), paid while a grid's first frames wait: werift parses its own certificate and key
// from PEM (pure-JS ASN.1) on every handshake, and does X25519 in pure JS (tweetnacl). This memoizes the
// PEM parses (the certificate is the process-wide one) and gives tweetnacl's `box.keyPair` and
// `scalarMult` Node's X25519. Both are patched on the copies werift itself loads; anything not shaped as
// expected is left alone (werift then works as before, only slower).
import { createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync } from 'node:crypto';
import { createRequire } from 'node:module';

interface Nacl {
  box: { keyPair(): { publicKey: Uint8Array; secretKey: Uint8Array } };
  scalarMult(n: Uint8Array, p: Uint8Array): Uint8Array;
}
interface PemClass {
  fromPEM(pem: Buffer): unknown;
}

// DER wrappers of raw X25519 keys (RFC 8410): PKCS#8 private key, SubjectPublicKeyInfo public key.
const PKCS8_X25519 = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI_X25519 = Buffer.from('302a300506032b656e032100', 'hex');

const privateKeyOf = (raw: Uint8Array) =>
  createPrivateKey({ key: Buffer.concat([PKCS8_X25519, raw]), format: 'der', type: 'pkcs8' });
const publicKeyOf = (raw: Uint8Array) =>
  createPublicKey({ key: Buffer.concat([SPKI_X25519, raw]), format: 'der', type: 'spki' });

/** A raw 32-byte key in its own ArrayBuffer (werift reads `.buffer`). */
const own = (b: Buffer) => new Uint8Array(b);

/** X25519 key pair, tweetnacl's shape: 32-byte public key and 32-byte secret scalar. */
export function x25519KeyPair(): { publicKey: Uint8Array; secretKey: Uint8Array } {
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  return {
    secretKey: own(pkcs8.subarray(PKCS8_X25519.length)),
    publicKey: own(spki.subarray(SPKI_X25519.length)),
  };
}

/**
 * X25519(n, p): the shared secret of secret scalar `n` and public key `p`. A peer's small-order point
 * gives all zeros, as in tweetnacl (OpenSSL refuses it; the handshake then fails its Finished check).
 */
export function x25519(n: Uint8Array, p: Uint8Array): Uint8Array {
  try {
    return own(diffieHellman({ privateKey: privateKeyOf(n), publicKey: publicKeyOf(p) }));
  } catch {
    return new Uint8Array(32);
  }
}

function memoizeFromPem(cls: PemClass, limit = 8): void {
  const parse = cls.fromPEM.bind(cls);
  const cache = new Map<string, unknown>();
  cls.fromPEM = (pem: Buffer) => {
    const key = pem.toString('latin1');
    let parsed = cache.get(key);
    if (parsed === undefined) {
      parsed = parse(pem);
      if (cache.size >= limit) cache.delete(cache.keys().next().value!);
      cache.set(key, parsed);
    }
    return parsed;
  };
}

let applied: string[] | undefined;

/** Applies the patches once; returns the ones that took (for the log). */
export function applyWeriftSpeedups(): string[] {
  if (applied) return applied;
  applied = [];
  let fromWerift: NodeJS.Require;
  try {
    const here = createRequire(import.meta.url);
    fromWerift = createRequire(here.resolve('werift'));
  } catch {
    return applied;
  }
  try {
    const nacl = fromWerift('tweetnacl') as Nacl;
    if (typeof nacl.box?.keyPair === 'function' && typeof nacl.scalarMult === 'function') {
      nacl.box.keyPair = x25519KeyPair;
      nacl.scalarMult = x25519;
      applied.push('x25519');
    }
  } catch {
    /* werift without tweetnacl: nothing to speed up */
  }
  try {
    const x509 = fromWerift('@fidm/x509') as { Certificate?: PemClass; PrivateKey?: PemClass };
    if (
      typeof x509.Certificate?.fromPEM === 'function' &&
      typeof x509.PrivateKey?.fromPEM === 'function'
    ) {
      memoizeFromPem(x509.Certificate);
      memoizeFromPem(x509.PrivateKey);
      applied.push('pem-cache');
    }
  } catch {
    /* werift without @fidm/x509 */
  }
  return applied;
}
