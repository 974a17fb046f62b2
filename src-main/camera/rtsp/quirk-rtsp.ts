// The RTSP side of a vendor quirk (quirks.ts) for the server's request handler: odd Content-Base
// headers, strict SETUP URLs, RTP-Info oddities and per-mount credentials. Pure helpers on request
// URIs and header values; the handler decides when to call them.
import { ServerAuthenticator } from './auth';
import type { RtpInfoEntry } from './headers';
import type { RtspHeader } from './message';
import type { RtspQuirk } from './quirks';

const authenticators = new WeakMap<RtspQuirk, ServerAuthenticator>();

/** The mount's own authenticator when its quirk asks for credentials. */
export function quirkAuthenticator(quirk: RtspQuirk | undefined): ServerAuthenticator | undefined {
  if (!quirk?.credentials) return undefined;
  let auth = authenticators.get(quirk);
  if (!auth) {
    auth = new ServerAuthenticator({ users: [quirk.credentials], scheme: 'digest' });
    authenticators.set(quirk, auth);
  }
  return auth;
}

/** The base header of a DESCRIBE answer, or undefined for the ordinary Content-Base. */
export function quirkContentBase(
  quirk: RtspQuirk | undefined,
  requestUri: string,
): RtspHeader | undefined {
  switch (quirk?.describe?.contentBase) {
    case 'query':
      return ['Content-Base', `${requestUri}/`];
    case 'schemeless':
      return ['Content-Base', `${requestUri.replace(/^rtsp:\/\//i, '').replace(/\/$/, '')}/`];
    case 'location':
      return ['Content-Location', requestUri];
    default:
      return undefined;
  }
}

/**
 * A 'query' Content-Base camera serves SETUP only at exactly Content-Base + control (its query,
 * then '/trackID=0'), as Dahua firmware does; a client resolving the control the RFC 3986 way
 * (dropping the query) gets 404.
 */
export function quirkSetupAllowed(quirk: RtspQuirk | undefined, setupUri: string): boolean {
  if (quirk?.describe?.contentBase !== 'query') return true;
  return /\?[^/]*\/trackID=0$/.test(setupUri);
}

/** The RTP-Info entries a quirky camera would send (none at all for 'none'). */
export function quirkRtpInfo(quirk: RtspQuirk | undefined, info: RtpInfoEntry[]): RtpInfoEntry[] {
  switch (quirk?.play?.rtpInfo) {
    case 'none':
      return [];
    case 'wrong':
      return info.map((e) => ({
        ...e,
        url: e.url.replace(/\/[^/]*$/, '/track9'),
        seq: 0,
        rtptime: 123456,
      }));
    default:
      return info;
  }
}
