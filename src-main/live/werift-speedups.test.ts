// werift-speedups: Node's X25519 in tweetnacl's shape (RFC 7748 vectors, agreement with tweetnacl's own
// code), and the patches applied to the copies werift loads (a WebRTC handshake through them is in
// whep.test.ts and the Playwright live tests).
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { applyWeriftSpeedups, x25519, x25519KeyPair } from './werift-speedups';

const hex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const BASE = hex('09'.padEnd(64, '0'));

// RFC 7748 §6.1
const ALICE_PRIV = '77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a';
const ALICE_PUB = '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a';
const BOB_PRIV = '5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb';
const BOB_PUB = 'de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f';
const SHARED = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';

const fromWerift = createRequire(createRequire(import.meta.url).resolve('werift'));

describe('werift speedups', () => {
  it('X25519 gives the RFC 7748 public keys and shared secret', () => {
    expect(toHex(x25519(hex(ALICE_PRIV), BASE))).toBe(ALICE_PUB);
    expect(toHex(x25519(hex(BOB_PRIV), BASE))).toBe(BOB_PUB);
    expect(toHex(x25519(hex(ALICE_PRIV), hex(BOB_PUB)))).toBe(SHARED);
    expect(toHex(x25519(hex(BOB_PRIV), hex(ALICE_PUB)))).toBe(SHARED);
  });

  it('key pairs are 32-byte keys in their own buffers that agree with tweetnacl', () => {
    const nacl = fromWerift('tweetnacl') as {
      scalarMult(n: Uint8Array, p: Uint8Array): Uint8Array;
    };
    const a = x25519KeyPair();
    const b = x25519KeyPair();
    for (const k of [a.publicKey, a.secretKey]) expect(k.buffer.byteLength).toBe(32);
    expect(toHex(x25519(a.secretKey, BASE))).toBe(toHex(a.publicKey));
    const shared = toHex(x25519(a.secretKey, b.publicKey));
    expect(toHex(x25519(b.secretKey, a.publicKey))).toBe(shared);
    expect(toHex(nacl.scalarMult(a.secretKey, b.publicKey))).toBe(shared);
  });

  it('a small-order point gives zeros instead of throwing', () => {
    expect(toHex(x25519(hex(ALICE_PRIV), new Uint8Array(32)))).toBe('0'.repeat(64));
  });

  it('patches the copies werift loads, once', async () => {
    expect(applyWeriftSpeedups()).toEqual(['x25519', 'pem-cache']);
    const nacl = fromWerift('tweetnacl') as { scalarMult: unknown; box: { keyPair: unknown } };
    expect(nacl.scalarMult).toBe(x25519);
    expect(nacl.box.keyPair).toBe(x25519KeyPair);
    const { Certificate } = fromWerift('@fidm/x509') as {
      Certificate: { fromPEM(pem: Buffer): { raw: Buffer } };
    };
    expect(applyWeriftSpeedups()).toEqual(['x25519', 'pem-cache']);
    // The memo is keyed by content: werift's certificate parses once.
    const { RTCDtlsTransport } = await import('werift');
    const { certPem } = await RTCDtlsTransport.SetupCertificate();
    const first = Certificate.fromPEM(Buffer.from(certPem));
    expect(Certificate.fromPEM(Buffer.from(certPem))).toBe(first);
    expect(first.raw.length).toBeGreaterThan(100);
  });
});
