// SDP (RFC 8866) parsing for RTSP DESCRIBE answers. Owns the text → values step: session and media
// sections, rtpmap/fmtp/control; tolerant of CRLF/LF and unknown lines. Never does I/O or URL fetching.
import { NvrError } from '../../base';

export interface SdpAttribute {
  name: string;
  /** Text after the first ':', or undefined for a flag attribute (`a=recvonly`). */
  value?: string;
}

export interface SdpRtpmap {
  payloadType: number;
  /** Encoding name as written (compare case-insensitively), e.g. 'H264'. */
  encoding: string;
  clockRate: number;
  channels?: number;
}

export interface SdpConnection {
  netType: string;
  addrType: string;
  address: string;
}

export interface SdpOrigin extends SdpConnection {
  username: string;
  sessionId: string;
  sessionVersion: string;
}

export interface SdpMedia {
  /** 'video', 'audio', 'application', ... */
  type: string;
  port: number;
  protocol: string;
  formats: number[];
  /** a=control of this media section, unresolved (see resolveControlUrl). */
  control?: string;
  /** rtpmap of the first format (or its static RFC 3551 mapping). */
  rtpmap?: SdpRtpmap;
  /** fmtp parameters of the first format, keys lower-cased. */
  fmtp: Record<string, string>;
  /** rtpmap per payload type, for sections with several formats. */
  rtpmaps: Record<number, SdpRtpmap>;
  /** fmtp parameters per payload type. */
  fmtps: Record<number, Record<string, string>>;
  connection?: SdpConnection;
  attributes: SdpAttribute[];
}

export interface Sdp {
  version: number;
  origin?: SdpOrigin;
  sessionName: string;
  sessionInfo?: string;
  connection?: SdpConnection;
  /** Session-level a=control (often '*'). */
  control?: string;
  /** Session-level a=range value, e.g. 'npt=now-' or 'npt=0-'. */
  range?: string;
  attributes: SdpAttribute[];
  media: SdpMedia[];
}

/** RFC 3551 static payload types that may appear without an rtpmap. */
const STATIC_PAYLOAD_TYPES: Record<number, Omit<SdpRtpmap, 'payloadType'>> = {
  0: { encoding: 'PCMU', clockRate: 8000, channels: 1 },
  8: { encoding: 'PCMA', clockRate: 8000, channels: 1 },
  9: { encoding: 'G722', clockRate: 8000, channels: 1 },
  14: { encoding: 'MPA', clockRate: 90000 },
  26: { encoding: 'JPEG', clockRate: 90000 },
  32: { encoding: 'MPV', clockRate: 90000 },
  33: { encoding: 'MP2T', clockRate: 90000 },
};

function malformed(message: string, line: number, text?: string): never {
  const context: Record<string, string | number> = { line };
  if (text !== undefined) context.text = text.slice(0, 80);
  throw new NvrError('malformed', `SDP: ${message}`, context);
}

function parseConnection(value: string, line: number): SdpConnection {
  const parts = value.split(/\s+/);
  if (parts.length < 3) malformed('bad c= line', line, value);
  return { netType: parts[0]!, addrType: parts[1]!, address: parts[2]! };
}

function parseRtpmap(value: string, line: number): SdpRtpmap {
  const m = /^(\d+)\s+([^/\s]+)\/(\d+)(?:\/(\d+))?/.exec(value);
  if (!m) malformed('bad a=rtpmap', line, value);
  const map: SdpRtpmap = { payloadType: Number(m[1]), encoding: m[2]!, clockRate: Number(m[3]) };
  if (m[4] !== undefined) map.channels = Number(m[4]);
  return map;
}

/** Parses `key=value;key2=value2` (keys lower-cased; values keep any '=' they contain). */
export function parseFmtpParams(params: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of params.split(';')) {
    const p = part.trim();
    if (p === '') continue;
    const eq = p.indexOf('=');
    if (eq < 0) out[p.toLowerCase()] = '';
    else out[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim();
  }
  return out;
}

function parseAttribute(value: string): SdpAttribute {
  const colon = value.indexOf(':');
  return colon < 0
    ? { name: value }
    : { name: value.slice(0, colon), value: value.slice(colon + 1) };
}

function parseMediaLine(value: string, line: number): SdpMedia {
  const parts = value.split(/\s+/);
  if (parts.length < 3) malformed('bad m= line', line, value);
  const port = Number.parseInt(parts[1]!.split('/')[0]!, 10);
  if (!Number.isFinite(port) || port < 0 || port > 65535) malformed('bad m= port', line, value);
  const formats: number[] = [];
  for (const f of parts.slice(3)) {
    const n = Number(f);
    // Non-numeric formats (e.g. m=application ... webrtc-datachannel) are kept out of `formats`.
    if (/^\d+$/.test(f) && n <= 127) formats.push(n);
  }
  return {
    type: parts[0]!,
    port,
    protocol: parts[2]!,
    formats,
    fmtp: {},
    rtpmaps: {},
    fmtps: {},
    attributes: [],
  };
}

function finishMedia(m: SdpMedia): void {
  const first = m.formats[0];
  if (first === undefined) return;
  const map = m.rtpmaps[first];
  const fixed = STATIC_PAYLOAD_TYPES[first];
  if (map) m.rtpmap = map;
  else if (fixed && m.protocol.toUpperCase().startsWith('RTP/'))
    m.rtpmap = { payloadType: first, ...fixed };
  m.fmtp = m.fmtps[first] ?? {};
}

/** Parses an SDP description. Throws NvrError('malformed') when the text is not SDP. */
export function parseSdp(text: string): Sdp {
  const lines = text.split(/\r\n|\r|\n/);
  const sdp: Sdp = { version: -1, sessionName: '', attributes: [], media: [] };
  let media: SdpMedia | undefined;
  let sawAny = false;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\0+$/, '').trim();
    if (raw === '') continue;
    const lineNo = i + 1;
    if (raw.length < 2 || raw[1] !== '=' || !/^[a-zA-Z]$/.test(raw[0]!))
      malformed('not an SDP line', lineNo, raw);
    const key = raw[0]!;
    const value = raw.slice(2).trim();
    if (!sawAny) {
      if (key !== 'v') malformed('SDP must start with v=', lineNo, raw);
      sawAny = true;
    }
    if (key === 'm') {
      if (media) finishMedia(media);
      media = parseMediaLine(value, lineNo);
      sdp.media.push(media);
      continue;
    }
    if (media) {
      if (key === 'c') media.connection = parseConnection(value, lineNo);
      else if (key === 'a') {
        const attr = parseAttribute(value);
        media.attributes.push(attr);
        if (attr.name === 'control' && attr.value !== undefined) media.control = attr.value.trim();
        else if (attr.name === 'rtpmap' && attr.value !== undefined) {
          const map = parseRtpmap(attr.value.trim(), lineNo);
          media.rtpmaps[map.payloadType] = map;
        } else if (attr.name === 'fmtp' && attr.value !== undefined) {
          const m = /^\s*(\d+)\s*(.*)$/.exec(attr.value);
          if (m) media.fmtps[Number(m[1])] = parseFmtpParams(m[2]!);
        }
      }
      continue; // other media-level lines (b=, i=, k=) are ignored
    }
    switch (key) {
      case 'v':
        sdp.version = Number.parseInt(value, 10);
        if (!Number.isFinite(sdp.version)) malformed('bad v= line', lineNo, raw);
        break;
      case 'o': {
        const p = value.split(/\s+/);
        if (p.length >= 6) {
          sdp.origin = {
            username: p[0]!,
            sessionId: p[1]!,
            sessionVersion: p[2]!,
            netType: p[3]!,
            addrType: p[4]!,
            address: p[5]!,
          };
        }
        break;
      }
      case 's':
        sdp.sessionName = value;
        break;
      case 'i':
        sdp.sessionInfo = value;
        break;
      case 'c':
        sdp.connection = parseConnection(value, lineNo);
        break;
      case 'a': {
        const attr = parseAttribute(value);
        sdp.attributes.push(attr);
        if (attr.name === 'control' && attr.value !== undefined) sdp.control = attr.value.trim();
        if (attr.name === 'range' && attr.value !== undefined) sdp.range = attr.value.trim();
        break;
      }
      default:
        break; // t=, b=, z=, k=, e=, p=, u=, r= and unknown keys are ignored
    }
  }
  if (media) finishMedia(media);
  if (!sawAny) malformed('empty description', 0);
  return sdp;
}

/**
 * Resolves a media control attribute against the RTSP base URL (Content-Base, Content-Location or
 * the request URL), as RFC 2326 C.1.1 and ffmpeg do: absolute controls win; '*' or none means the
 * base; a relative control is appended after a '/'.
 */
export function resolveControlUrl(baseUrl: string, control?: string): string {
  if (control === undefined || control === '' || control === '*') return baseUrl;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(control)) return control;
  return baseUrl.endsWith('/') ? baseUrl + control : `${baseUrl}/${control}`;
}
