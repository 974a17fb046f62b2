// WS-Discovery (2005/04, as ONVIF uses it) messages: the Probe we send and the ProbeMatches we read,
// plus ONVIF scope decoding. Pure: strings in, values out; no sockets (discovery.ts does the I/O).
import { randomUUID } from 'node:crypto';
import { child, children, escapeXml, parseXml, path } from './xml';

export const WS_DISCOVERY_MULTICAST_ADDRESS = '239.255.255.250';
export const WS_DISCOVERY_PORT = 3702;

const NS_SOAP = 'http://www.w3.org/2003/05/soap-envelope';
const NS_WSA = 'http://schemas.xmlsoap.org/ws/2004/08/addressing';
const NS_WSD = 'http://schemas.xmlsoap.org/ws/2005/04/discovery';
const NS_DN = 'http://www.onvif.org/ver10/network/wsdl';

export function newMessageId(): string {
  return `urn:uuid:${randomUUID()}`;
}

/** A Probe for ONVIF video transmitters (dn:NetworkVideoTransmitter). */
export function buildProbe(messageId: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<s:Envelope xmlns:s="${NS_SOAP}" xmlns:a="${NS_WSA}" xmlns:d="${NS_WSD}" xmlns:dn="${NS_DN}">` +
    `<s:Header>` +
    `<a:Action s:mustUnderstand="1">${NS_WSD}/Probe</a:Action>` +
    `<a:MessageID>${escapeXml(messageId)}</a:MessageID>` +
    `<a:ReplyTo><a:Address>${NS_WSA}/role/anonymous</a:Address></a:ReplyTo>` +
    `<a:To s:mustUnderstand="1">urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To>` +
    `</s:Header>` +
    `<s:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></s:Body>` +
    `</s:Envelope>`
  );
}

/** One ProbeMatch: who answered and where its device service is. */
export interface ProbeMatch {
  /** EndpointReference address: the device's stable id (usually `urn:uuid:…`). */
  endpoint?: string;
  types: string[];
  scopes: string[];
  /** Device service URLs (http://host[:port]/onvif/device_service). */
  xaddrs: string[];
}

export type ProbeMatchesResult =
  { ok: true; relatesTo?: string; matches: ProbeMatch[] } | { ok: false; reason: string };

const list = (s: string | undefined) => (s ?? '').split(/\s+/).filter((x) => x.length > 0);

/** Reads a ProbeMatches datagram. Anything else (garbage, other messages) is `{ ok: false }`. */
export function parseProbeMatches(source: string): ProbeMatchesResult {
  const env = parseXml(source);
  if (!env) return { ok: false, reason: 'not well-formed XML' };
  if (env.name !== 'Envelope')
    return { ok: false, reason: `root element ${env.name}, not a SOAP Envelope` };
  const pm = path(env, 'Body', 'ProbeMatches');
  if (!pm) return { ok: false, reason: 'no ProbeMatches in the SOAP body' };
  const relatesTo = child(child(env, 'Header'), 'RelatesTo')?.text;
  const matches: ProbeMatch[] = [];
  for (const m of children(pm, 'ProbeMatch')) {
    const xaddrs = list(child(m, 'XAddrs')?.text).filter((x) => /^https?:\/\//i.test(x));
    if (xaddrs.length === 0) continue;
    const endpoint = path(m, 'EndpointReference', 'Address')?.text || undefined;
    matches.push({
      ...(endpoint ? { endpoint } : {}),
      types: list(child(m, 'Types')?.text),
      scopes: list(child(m, 'Scopes')?.text),
      xaddrs,
    });
  }
  if (matches.length === 0)
    return { ok: false, reason: 'ProbeMatches without a usable ProbeMatch (no XAddrs)' };
  return { ok: true, ...(relatesTo ? { relatesTo } : {}), matches };
}

/** What ONVIF scopes say about a device (`onvif://www.onvif.org/<key>/<value>`). */
export interface ScopeInfo {
  name?: string;
  hardware?: string;
  manufacturer?: string;
  model?: string;
  location?: string;
}

const SCOPE_KEYS: Record<string, keyof ScopeInfo> = {
  name: 'name',
  hardware: 'hardware',
  mfr: 'manufacturer',
  manufacturer: 'manufacturer',
  brand: 'manufacturer',
  model: 'model',
  location: 'location',
};

function decode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

export function parseScopes(scopes: readonly string[]): ScopeInfo {
  const info: ScopeInfo = {};
  for (const scope of scopes) {
    const m = /^onvif:\/\/www\.onvif\.org\/([^/]+)\/(.+)$/i.exec(scope);
    if (!m) continue;
    const key = SCOPE_KEYS[(m[1] as string).toLowerCase()];
    if (key && info[key] === undefined) info[key] = decode(m[2] as string).trim();
  }
  // ONVIF has no model scope; `hardware` is the model name on every camera seen so far.
  if (info.model === undefined && info.hardware !== undefined) info.model = info.hardware;
  return info;
}
