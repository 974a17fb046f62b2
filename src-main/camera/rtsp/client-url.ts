// RTSP URL handling for the client: splits rtsp[s]://user:pass@host:port/path into the request URL
// (never carrying credentials) and the credentials; follows redirects. Pure string work.
import { NvrError, redactUrl } from '../../base';

export interface ParsedUrl {
  /** Request URL without credentials. */
  url: string;
  host: string;
  port: number;
  /** rtsps://: the control connection runs over TLS (RTP interleaved in it). */
  tls: boolean;
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
  if ((u.protocol !== 'rtsp:' && u.protocol !== 'rtsps:') || u.hostname === '')
    throw new NvrError('bad_request', 'not an rtsp:// or rtsps:// URL', { url: redactUrl(raw) });
  const tls = u.protocol === 'rtsps:';
  const port = u.port === '' ? (tls ? 322 : 554) : Number(u.port);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  const out: ParsedUrl = {
    url: `${u.protocol}//${u.host}${u.pathname}${u.search}`,
    host,
    port,
    tls,
  };
  if (u.username !== '') out.username = decodeLenient(u.username);
  if (u.password !== '') out.password = decodeLenient(u.password);
  return out;
}

/**
 * Percent-decoding that keeps a '%' not followed by two hex digits as it is: users paste
 * passwords like `50%off` unencoded, and the URL parser leaves them that way.
 */
function decodeLenient(s: string): string {
  return s.replace(/(%[0-9a-f]{2})+/gi, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run; // not UTF-8: leave the escapes
    }
  });
}

export function isRedirect(statusCode: number): boolean {
  return statusCode >= 300 && statusCode < 400;
}

export interface Credentials {
  username?: string;
  password?: string;
}

/**
 * Where a 3xx Location sends the client. Credentials in the Location win; otherwise the current
 * ones follow only to the same host (another port is fine), so a redirect cannot collect them.
 */
export function redirectTarget(
  current: ParsedUrl,
  credentials: Credentials,
  location: string,
): { target: ParsedUrl; credentials: Credentials } {
  let absolute: string;
  try {
    absolute = new URL(location, current.url).href;
  } catch {
    throw new NvrError('protocol', 'bad Location in a redirect', { url: redactUrl(location) });
  }
  const target = parseRtspUrl(absolute);
  if (target.username !== undefined)
    return { target, credentials: { username: target.username, password: target.password } };
  return { target, credentials: target.host === current.host ? credentials : {} };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
