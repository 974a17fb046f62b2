// SDP (RFC 8866) parsing for RTSP DESCRIBE answers. Owns the text → values step: session and media
// sections, rtpmap/fmtp/control. Liberal like ffmpeg's and GStreamer's parsers: any line ending,
// blank and unknown lines, lines before v=, broken c=/m=/rtpmap lines and fmtp junk are skipped or
// repaired with a warning (Sdp.warnings); only text with no SDP line at all throws. No I/O.
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
  /** -1 when the description has no v= line (tolerated, with a warning). */
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
  /**
   * What was skipped or repaired, for the camera's status (at most MAX_SDP_WARNINGS, each naming
   * the line): the description was still usable.
   */
  warnings: string[];
}

/** Warnings kept per description: a hostile SDP must not fill the status. */
export const MAX_SDP_WARNINGS = 10;

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

/** A short quote of camera text for a warning or error context. */
const quote = (text: string): string =>
  JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);

function parseConnection(value: string): SdpConnection | undefined {
  const parts = value.split(/\s+/);
  if (parts.length < 3) return undefined;
  return { netType: parts[0]!, addrType: parts[1]!, address: parts[2]! };
}

/**
 * `96 H264/90000[/channels]`; a missing clock rate gives 0 (the track then assumes 90 kHz, as
 * ffmpeg does for video). Undefined when there is no payload type and encoding.
 */
function parseRtpmap(value: string): SdpRtpmap | undefined {
  const m = /^(\d+)\s+([^/\s]+)\s*(?:\/\s*(\d+))?(?:\/\s*(\d+))?/.exec(value);
  if (!m || Number(m[1]) > 127) return undefined;
  const map: SdpRtpmap = {
    payloadType: Number(m[1]),
    encoding: m[2]!,
    clockRate: m[3] === undefined ? 0 : Number(m[3]),
  };
  if (m[4] !== undefined) map.channels = Number(m[4]);
  return map;
}

/**
 * Parses `key=value;key2=value2` (keys lower-cased; values keep any '=' they contain). Liberal:
 * spaces around keys and values, empty parts, keys without a value ('') and parameters separated
 * by spaces instead of ';' (`DecoderTag=h3c-v3 RTCP=0`) are accepted. Commas never separate: they
 * separate the items of sprop-parameter-sets, whose base64 looks like `key=`.
 */
export function parseFmtpParams(params: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of params.split(/;|\s+(?=[A-Za-z][\w.-]*\s*=)/)) {
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

/** Undefined when the line has no media type, port and protocol; a bad port reads as 0. */
function parseMediaLine(value: string, warn: (message: string) => void): SdpMedia | undefined {
  const parts = value.split(/\s+/);
  if (parts.length < 3) return undefined;
  let port = Number.parseInt(parts[1]!.split('/')[0]!, 10);
  if (!Number.isFinite(port) || port < 0 || port > 65535) {
    // RTSP sets ports up in SETUP, so the m= port carries nothing we need (ffmpeg ignores it too).
    warn(`bad port ${quote(parts[1]!)} read as 0`);
    port = 0;
  }
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

/** The fmtp value `96 key=value;…`; without a payload type it applies to the first format. */
function addFmtp(media: SdpMedia, value: string, warn: (message: string) => void): void {
  const m = /^\s*(\d+)(?:\s+(.*))?$/.exec(value);
  if (m) {
    media.fmtps[Number(m[1])] = parseFmtpParams(m[2] ?? '');
    return;
  }
  const first = media.formats[0];
  if (first === undefined) return warn(`a=fmtp without a payload type ignored: ${quote(value)}`);
  warn(`a=fmtp without a payload type applied to payload type ${first}`);
  media.fmtps[first] = parseFmtpParams(value);
}

/**
 * Parses an SDP description, liberally (see the header): oddities land in `warnings`. Throws
 * NvrError('malformed') only when no line of the text is an SDP line (`x=…`).
 */
export function parseSdp(text: string): Sdp {
  const lines = text.split(/\r\n|\r|\n/);
  const sdp: Sdp = { version: -1, sessionName: '', attributes: [], media: [], warnings: [] };
  let lineNo = 0;
  const warn = (message: string): void => {
    if (sdp.warnings.length < MAX_SDP_WARNINGS)
      sdp.warnings.push(lineNo > 0 ? `SDP line ${lineNo}: ${message}` : `SDP: ${message}`);
  };
  let media: SdpMedia | undefined;
  /** A section whose m= line did not parse: its lines are skipped, not given to another section. */
  let skipping = false;
  let sawAny = false;
  let skippedBeforeV = 0;
  let firstKey = '';
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\0+$/, '').trim();
    if (raw === '') continue;
    lineNo = i + 1;
    const eq = raw.indexOf('=');
    if (eq !== 1 || !/^[a-zA-Z]$/.test(raw[0]!)) {
      if (sawAny) warn(`not an SDP line, ignored: ${quote(raw)}`);
      else skippedBeforeV++;
      continue;
    }
    const key = raw[0]!.toLowerCase();
    const value = raw.slice(2).trim();
    if (!sawAny) {
      sawAny = true;
      if (skippedBeforeV > 0) warn(`${skippedBeforeV} line(s) of text before the SDP ignored`);
      firstKey = key;
    }
    if (key === 'm') {
      if (media) finishMedia(media);
      media = parseMediaLine(value, warn);
      skipping = media === undefined;
      if (media) sdp.media.push(media);
      else warn(`bad m= line, its section is ignored: ${quote(value)}`);
      continue;
    }
    if (skipping) continue;
    if (key === 'c') {
      const connection = parseConnection(value);
      if (!connection) warn(`bad c= line ignored: ${quote(value)}`);
      else if (media) media.connection = connection;
      else sdp.connection = connection;
      continue;
    }
    if (key === 'a') {
      const attr = parseAttribute(value);
      const name = attr.name.trim().toLowerCase();
      const attrValue = attr.value?.trim();
      (media ?? sdp).attributes.push(attr);
      if (name === 'control' && attrValue !== undefined) (media ?? sdp).control = attrValue;
      else if (!media) {
        if (name === 'range' && attrValue !== undefined) sdp.range = attrValue;
      } else if (name === 'rtpmap' && attrValue !== undefined) {
        const map = parseRtpmap(attrValue);
        if (!map) warn(`bad a=rtpmap ignored: ${quote(attrValue)}`);
        else {
          if (map.clockRate === 0) warn(`a=rtpmap:${map.payloadType} has no clock rate`);
          media.rtpmaps[map.payloadType] = map;
        }
      } else if (name === 'fmtp' && attr.value !== undefined) addFmtp(media, attr.value, warn);
      continue;
    }
    if (media) continue; // other media-level lines (b=, i=, k=) are ignored
    switch (key) {
      case 'v': {
        const version = Number.parseInt(value, 10);
        if (Number.isFinite(version)) sdp.version = version;
        else warn(`bad v= line ignored: ${quote(value)}`);
        break;
      }
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
      default:
        break; // t=, b=, z=, k=, e=, p=, u=, r= and unknown keys are ignored
    }
  }
  if (media) finishMedia(media);
  if (!sawAny) malformed('no SDP line in the description', 0, text.trim());
  lineNo = 0;
  if (sdp.version < 0) warn('no v= line');
  else if (firstKey !== 'v') warn('lines before v= (read as session lines)');
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
