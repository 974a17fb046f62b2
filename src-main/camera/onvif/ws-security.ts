// WS-Security UsernameToken (OASIS Username Token Profile 1.0) as ONVIF uses it: the header we send
// (PasswordDigest or PasswordText) and the check a device makes. Pure apart from random nonces.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { escapeXml } from './xml';

export type PasswordMode = 'digest' | 'text';

const NS_WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
const NS_WSU = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
const TOKEN_PROFILE =
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0';
export const PASSWORD_DIGEST_TYPE = `${TOKEN_PROFILE}#PasswordDigest`;
export const PASSWORD_TEXT_TYPE = `${TOKEN_PROFILE}#PasswordText`;
const BASE64_ENCODING =
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary';

/** Base64(SHA-1(nonce + created + password)), the PasswordDigest of the Username Token Profile. */
export function passwordDigest(nonce: Uint8Array, created: string, password: string): string {
  return createHash('sha1')
    .update(Buffer.concat([nonce, Buffer.from(created, 'utf8'), Buffer.from(password, 'utf8')]))
    .digest('base64');
}

export interface UsernameTokenInput {
  username: string;
  password: string;
  mode: PasswordMode;
  /** Creation time in the camera's clock (ours plus the measured skew): ms since the epoch. */
  createdMs: number;
  nonce?: Uint8Array;
}

/** The `<Security>` header element carrying a UsernameToken. */
export function buildSecurityHeader(input: UsernameTokenInput): string {
  const created = new Date(input.createdMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const user = `<wsse:Username>${escapeXml(input.username)}</wsse:Username>`;
  let body: string;
  if (input.mode === 'text') {
    body = `${user}<wsse:Password Type="${PASSWORD_TEXT_TYPE}">${escapeXml(input.password)}</wsse:Password>`;
  } else {
    const nonce = input.nonce ?? randomBytes(16);
    body =
      `${user}<wsse:Password Type="${PASSWORD_DIGEST_TYPE}">${passwordDigest(nonce, created, input.password)}</wsse:Password>` +
      `<wsse:Nonce EncodingType="${BASE64_ENCODING}">${Buffer.from(nonce).toString('base64')}</wsse:Nonce>`;
  }
  return (
    `<wsse:Security s:mustUnderstand="1" xmlns:wsse="${NS_WSSE}" xmlns:wsu="${NS_WSU}">` +
    `<wsse:UsernameToken>${body}<wsu:Created>${created}</wsu:Created></wsse:UsernameToken>` +
    `</wsse:Security>`
  );
}

/** A UsernameToken as read from a request (device side). */
export interface ReceivedUsernameToken {
  username: string;
  password: string;
  passwordType?: string;
  nonceBase64?: string;
  created?: string;
}

export type TokenVerdict = { ok: true; mode: PasswordMode } | { ok: false; reason: string };

export interface VerifyOptions {
  username: string;
  password: string;
  /** The device's current time, ms since the epoch. */
  nowMs: number;
  /** How far Created may be from the device's clock (digest only). */
  maxSkewMs: number;
  accept: readonly PasswordMode[];
}

/** Checks a UsernameToken the way a device does: user, digest (or text) and the Created window. */
export function verifyUsernameToken(
  token: ReceivedUsernameToken,
  opts: VerifyOptions,
): TokenVerdict {
  if (token.username !== opts.username) return { ok: false, reason: 'unknown user' };
  const isText = token.passwordType === PASSWORD_TEXT_TYPE;
  if (isText) {
    if (!opts.accept.includes('text')) return { ok: false, reason: 'PasswordText not accepted' };
    return safeEqual(token.password, opts.password)
      ? { ok: true, mode: 'text' }
      : { ok: false, reason: 'wrong password' };
  }
  if (!opts.accept.includes('digest')) return { ok: false, reason: 'PasswordDigest not accepted' };
  if (!token.nonceBase64 || !token.created)
    return { ok: false, reason: 'digest without Nonce or Created' };
  const createdMs = Date.parse(token.created);
  if (!Number.isFinite(createdMs)) return { ok: false, reason: 'unreadable Created' };
  if (Math.abs(createdMs - opts.nowMs) > opts.maxSkewMs)
    return { ok: false, reason: 'Created outside the clock window' };
  const expected = passwordDigest(
    Buffer.from(token.nonceBase64, 'base64'),
    token.created,
    opts.password,
  );
  return safeEqual(token.password, expected)
    ? { ok: true, mode: 'digest' }
    : { ok: false, reason: 'wrong password' };
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
