// Structured RTSP header values: Transport (RFC 2326 §12.39), Session, RTP-Info and Public.
// Pure string <-> value helpers shared by the server and the client; no I/O.
import { NvrError } from '../../base';

export interface TransportSpec {
  /** 'RTP/AVP' (UDP), 'RTP/AVP/UDP' or 'RTP/AVP/TCP'; kept as sent. */
  protocol: string;
  lowerTransport: 'UDP' | 'TCP';
  /** unicast (default) or multicast. */
  cast?: 'unicast' | 'multicast';
  interleaved?: [number, number];
  clientPort?: [number, number];
  serverPort?: [number, number];
  /** 'PLAY' (default) or 'RECORD', upper-cased without quotes. */
  mode?: string;
  ssrc?: string;
  destination?: string;
  source?: string;
  ttl?: number;
  /** Parameters this module does not model, kept in order for round trips. */
  other?: Array<[string, string | undefined]>;
}

function parseRange(value: string | undefined, what: string, header: string): [number, number] {
  const m = value === undefined ? null : /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(value.trim());
  if (!m)
    throw new NvrError('malformed', `bad ${what} in Transport header`, {
      header: header.slice(0, 120),
    });
  const a = Number(m[1]);
  const b = m[2] === undefined ? a + 1 : Number(m[2]);
  return [a, b];
}

/** Parses one Transport header into its comma-separated alternatives, in the client's order. */
export function parseTransport(header: string): TransportSpec[] {
  const specs: TransportSpec[] = [];
  for (const alt of header.split(',')) {
    const parts = alt
      .split(';')
      .map((p) => p.trim())
      .filter((p) => p !== '');
    const protocol = parts.shift();
    if (protocol === undefined) continue;
    const upper = protocol.toUpperCase();
    if (!upper.startsWith('RTP/AVP'))
      throw new NvrError('malformed', 'unsupported transport protocol', {
        header: header.slice(0, 120),
      });
    const spec: TransportSpec = {
      protocol,
      lowerTransport: upper.endsWith('/TCP') ? 'TCP' : 'UDP',
    };
    for (const p of parts) {
      const eq = p.indexOf('=');
      const key = (eq < 0 ? p : p.slice(0, eq)).trim().toLowerCase();
      const value = eq < 0 ? undefined : p.slice(eq + 1).trim();
      switch (key) {
        case 'unicast':
        case 'multicast':
          spec.cast = key;
          break;
        case 'interleaved':
          spec.interleaved = parseRange(value, key, header);
          break;
        case 'client_port':
          spec.clientPort = parseRange(value, key, header);
          break;
        case 'server_port':
          spec.serverPort = parseRange(value, key, header);
          break;
        case 'mode':
          spec.mode = (value ?? '').replace(/"/g, '').toUpperCase();
          break;
        case 'ssrc':
          spec.ssrc = value;
          break;
        case 'destination':
          spec.destination = value;
          break;
        case 'source':
          spec.source = value;
          break;
        case 'ttl':
          spec.ttl = Number(value);
          break;
        default:
          (spec.other ??= []).push([key, value]);
      }
    }
    specs.push(spec);
  }
  if (specs.length === 0) throw new NvrError('malformed', 'empty Transport header', {});
  return specs;
}

export function formatTransport(spec: TransportSpec): string {
  const parts: string[] = [spec.protocol];
  if (spec.cast) parts.push(spec.cast);
  if (spec.destination !== undefined) parts.push(`destination=${spec.destination}`);
  if (spec.source !== undefined) parts.push(`source=${spec.source}`);
  if (spec.interleaved) parts.push(`interleaved=${spec.interleaved[0]}-${spec.interleaved[1]}`);
  if (spec.clientPort) parts.push(`client_port=${spec.clientPort[0]}-${spec.clientPort[1]}`);
  if (spec.serverPort) parts.push(`server_port=${spec.serverPort[0]}-${spec.serverPort[1]}`);
  if (spec.ttl !== undefined) parts.push(`ttl=${spec.ttl}`);
  if (spec.ssrc !== undefined) parts.push(`ssrc=${spec.ssrc}`);
  if (spec.mode !== undefined) parts.push(`mode=${spec.mode}`);
  for (const [k, v] of spec.other ?? []) parts.push(v === undefined ? k : `${k}=${v}`);
  return parts.join(';');
}

export interface SessionHeader {
  id: string;
  timeoutSec?: number;
}

export function parseSessionHeader(header: string): SessionHeader {
  const [id = '', ...params] = header.split(';').map((s) => s.trim());
  if (id === '') throw new NvrError('malformed', 'empty Session header', {});
  const out: SessionHeader = { id };
  for (const p of params) {
    const m = /^timeout\s*=\s*(\d+)$/i.exec(p);
    if (m) out.timeoutSec = Number(m[1]);
  }
  return out;
}

export function formatSessionHeader(session: SessionHeader): string {
  return session.timeoutSec === undefined
    ? session.id
    : `${session.id};timeout=${session.timeoutSec}`;
}

export interface RtpInfoEntry {
  url: string;
  seq?: number;
  rtptime?: number;
}

export function formatRtpInfo(entries: readonly RtpInfoEntry[]): string {
  return entries
    .map((e) => {
      let s = `url=${e.url}`;
      if (e.seq !== undefined) s += `;seq=${e.seq}`;
      if (e.rtptime !== undefined) s += `;rtptime=${e.rtptime}`;
      return s;
    })
    .join(',');
}

/** Parses RTP-Info; URLs may themselves contain commas only in broken servers, which we tolerate by splitting on ',url='. */
export function parseRtpInfo(header: string): RtpInfoEntry[] {
  return header
    .split(/,\s*(?=url=)/i)
    .map((item) => {
      const entry: RtpInfoEntry = { url: '' };
      for (const p of item.split(';')) {
        const eq = p.indexOf('=');
        if (eq < 0) continue;
        const key = p.slice(0, eq).trim().toLowerCase();
        const value = p.slice(eq + 1).trim();
        if (key === 'url') entry.url = value;
        else if (key === 'seq' && /^\d+$/.test(value)) entry.seq = Number(value);
        else if (key === 'rtptime' && /^\d+$/.test(value)) entry.rtptime = Number(value);
      }
      return entry;
    })
    .filter((e) => e.url !== '');
}

/** Splits a Public / Allow header into upper-case method names. */
export function parseMethodList(header: string): string[] {
  return header
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter((s) => s !== '');
}
