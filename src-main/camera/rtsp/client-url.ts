// RTSP URL handling for the client: splits rtsp://user:pass@host:port/path into the request URL
// (never carrying credentials) and the credentials. Pure string work.
import { NvrError, redactUrl } from '../../base';

export interface ParsedUrl {
  /** Request URL without credentials. */
  url: string;
  host: string;
  port: number;
  username?: string;
  password?: string;
}

/** Splits an rtsp:// URL; throws NvrError('bad_request') when it is not one. */
export function parseRtspUrl(raw: string): ParsedUrl {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new NvrError('bad_request', 'not a valid RTSP URL', { url: redactUrl(raw) });
  }
  if (u.protocol !== 'rtsp:' || u.hostname === '')
    throw new NvrError('bad_request', 'not an rtsp:// URL', { url: redactUrl(raw) });
  const port = u.port === '' ? 554 : Number(u.port);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  const out: ParsedUrl = { url: `rtsp://${u.host}${u.pathname}${u.search}`, host, port };
  if (u.username !== '') out.username = decodeURIComponent(u.username);
  if (u.password !== '') out.password = decodeURIComponent(u.password);
  return out;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
