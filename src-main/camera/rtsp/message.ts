// RTSP 1.0 message framing: a push-based parser for requests, responses and `$`-interleaved binary
// frames sharing one TCP stream, the serializer, and case-insensitive header helpers.
// Owns bytes <-> messages only; it never touches sockets, sessions or authentication.
import { NvrError, copyBytes } from '../../base';

export type RtspHeader = [name: string, value: string];

export interface RtspRequest {
  type: 'request';
  method: string;
  uri: string;
  version: string;
  headers: RtspHeader[];
  body: Uint8Array;
}

export interface RtspResponse {
  type: 'response';
  version: string;
  statusCode: number;
  reason: string;
  headers: RtspHeader[];
  body: Uint8Array;
}

/** An RTP or RTCP packet carried in the RTSP TCP stream (`$` channel length payload). */
export interface InterleavedFrame {
  type: 'interleaved';
  channel: number;
  payload: Uint8Array;
}

export type RtspMessage = RtspRequest | RtspResponse;
export type RtspStreamItem = RtspMessage | InterleavedFrame;

export interface RtspParserOptions {
  /** Largest start line + headers accepted before the blank line (default 16 KiB). */
  maxHeaderBytes?: number;
  /** Largest Content-Length accepted (default 1 MiB). */
  maxBodyBytes?: number;
  /** Free-form context added to every error (connection, redacted URL). */
  context?: Record<string, string | number | boolean | undefined>;
}

const EMPTY = new Uint8Array(0);
const TOKEN_RE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const VERSION_RE = /^RTSP\/\d\.\d$/;
const decoder = new TextDecoder('utf-8');
const latin1 = new TextDecoder('latin1');
const encoder = new TextEncoder();

/**
 * Push-based parser: feed it TCP chunks, get whole messages and interleaved frames back in order.
 * Throws NvrError('malformed') on bytes that are neither; after a throw the stream is unusable.
 */
export class RtspStreamParser {
  private buf: Uint8Array = EMPTY;
  /** Stream offset of buf[0], for error context. */
  private bufOffset = 0;
  private readonly maxHeaderBytes: number;
  private readonly maxBodyBytes: number;
  private readonly context: Record<string, string | number | boolean | undefined>;

  constructor(options: RtspParserOptions = {}) {
    this.maxHeaderBytes = options.maxHeaderBytes ?? 16 * 1024;
    this.maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
    this.context = options.context ?? {};
  }

  /** Bytes buffered but not yet returned as a message or frame. */
  get bufferedBytes(): number {
    return this.buf.length;
  }

  push(chunk: Uint8Array): RtspStreamItem[] {
    this.buf = this.buf.length === 0 ? chunk : concat(this.buf, chunk);
    const out: RtspStreamItem[] = [];
    let pos = 0;
    for (;;) {
      // Tolerate stray CR/LF between messages (some cameras send them).
      while (pos < this.buf.length && (this.buf[pos] === 0x0d || this.buf[pos] === 0x0a)) pos++;
      if (pos >= this.buf.length) break;
      const consumed =
        this.buf[pos] === 0x24 ? this.parseFrame(pos, out) : this.parseMessage(pos, out);
      if (consumed === 0) break;
      pos += consumed;
    }
    this.bufOffset += pos;
    // Copy the remainder so a large chunk is not pinned by a small leftover.
    this.buf = pos >= this.buf.length ? EMPTY : copyBytes(this.buf, pos);
    return out;
  }

  private parseFrame(pos: number, out: RtspStreamItem[]): number {
    if (this.buf.length - pos < 4) return 0;
    const len = (this.buf[pos + 2]! << 8) | this.buf[pos + 3]!;
    if (this.buf.length - pos < 4 + len) return 0;
    out.push({
      type: 'interleaved',
      channel: this.buf[pos + 1]!,
      // A copy: the caller's chunk may be a Buffer (a view would pin it from the GOP cache, and a
      // consumer writing into a payload would corrupt the next message).
      payload: copyBytes(this.buf, pos + 4, pos + 4 + len),
    });
    return 4 + len;
  }

  private parseMessage(pos: number, out: RtspStreamItem[]): number {
    const end = findHeaderEnd(this.buf, pos, this.maxHeaderBytes);
    if (end.kind === 'incomplete') {
      if (this.buf.length - pos > this.maxHeaderBytes) this.fail('RTSP header too large', pos);
      this.checkStartLinePrefix(pos);
      return 0;
    }
    const headEnd = end.index;
    const text = latin1.decode(this.buf.subarray(pos, headEnd));
    const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
    const startLine = lines[0] ?? '';
    const headers: RtspHeader[] = [];
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      if (line === '') continue;
      if ((line[0] === ' ' || line[0] === '\t') && headers.length > 0) {
        const last = headers[headers.length - 1]!;
        last[1] = `${last[1]} ${line.trim()}`; // obsolete line folding
        continue;
      }
      const colon = line.indexOf(':');
      const name = colon > 0 ? line.slice(0, colon).trim() : '';
      if (!TOKEN_RE.test(name))
        this.fail('malformed RTSP header line', pos, { line: line.slice(0, 80) });
      headers.push([name, line.slice(colon + 1).trim()]);
    }
    const lengthText = getHeader(headers, 'content-length');
    let bodyLength = 0;
    if (lengthText !== undefined) {
      if (!/^\d{1,9}$/.test(lengthText))
        this.fail('bad Content-Length', pos, { contentLength: lengthText.slice(0, 20) });
      bodyLength = Number(lengthText);
      if (bodyLength > this.maxBodyBytes)
        this.fail('RTSP body too large', pos, { contentLength: bodyLength });
    }
    const bodyStart = headEnd + end.sepLength;
    if (this.buf.length < bodyStart + bodyLength) return 0;
    const body = bodyLength === 0 ? EMPTY : copyBytes(this.buf, bodyStart, bodyStart + bodyLength);
    out.push(this.parseStartLine(startLine, headers, body, pos));
    return bodyStart + bodyLength - pos;
  }

  private parseStartLine(
    line: string,
    headers: RtspHeader[],
    body: Uint8Array,
    pos: number,
  ): RtspMessage {
    const parts = line.split(' ');
    if (line.startsWith('RTSP/')) {
      const code = parts[1] ?? '';
      if (!VERSION_RE.test(parts[0]!) || !/^\d{3}$/.test(code)) {
        this.fail('malformed RTSP status line', pos, { line: line.slice(0, 80) });
      }
      return {
        type: 'response',
        version: parts[0]!,
        statusCode: Number(code),
        reason: parts.slice(2).join(' '),
        headers,
        body,
      };
    }
    if (
      parts.length !== 3 ||
      !TOKEN_RE.test(parts[0]!) ||
      parts[1] === '' ||
      !VERSION_RE.test(parts[2]!)
    ) {
      this.fail('malformed RTSP request line', pos, { line: line.slice(0, 80) });
    }
    return {
      type: 'request',
      method: parts[0]!,
      uri: parts[1]!,
      version: parts[2]!,
      headers,
      body,
    };
  }

  /** Fails early on bytes that cannot start a message, instead of waiting for maxHeaderBytes. */
  private checkStartLinePrefix(pos: number): void {
    const n = Math.min(this.buf.length - pos, 16);
    for (let i = 0; i < n; i++) {
      const c = this.buf[pos + i]!;
      if (c === 0x20 && i > 0) return; // the method (or RTSP/x.y) ended: fine so far
      if (c < 0x21 || c > 0x7e) this.fail('garbage in RTSP stream', pos, { byte: c });
    }
  }

  private fail(message: string, pos: number, extra: Record<string, string | number> = {}): never {
    const preview = Array.from(this.buf.subarray(pos, pos + 16), (b) =>
      b.toString(16).padStart(2, '0'),
    ).join('');
    throw new NvrError('malformed', message, {
      ...this.context,
      byteOffset: this.bufOffset + pos,
      preview,
      ...extra,
    });
  }
}

type HeaderEnd = { kind: 'found'; index: number; sepLength: number } | { kind: 'incomplete' };

function findHeaderEnd(buf: Uint8Array, from: number, maxBytes: number): HeaderEnd {
  const limit = Math.min(buf.length, from + maxBytes + 4);
  for (let i = from; i < limit; i++) {
    if (buf[i] !== 0x0a) continue;
    if (buf[i + 1] === 0x0a) return { kind: 'found', index: i, sepLength: 2 };
    if (buf[i + 1] === 0x0d && buf[i + 2] === 0x0a)
      return { kind: 'found', index: i, sepLength: 3 };
  }
  return { kind: 'incomplete' };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

// ---- header helpers (names compare case-insensitively) ----

export function getHeader(headers: readonly RtspHeader[], name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [n, v] of headers) if (n.toLowerCase() === lower) return v;
  return undefined;
}

export function getHeaders(headers: readonly RtspHeader[], name: string): string[] {
  const lower = name.toLowerCase();
  return headers.filter(([n]) => n.toLowerCase() === lower).map(([, v]) => v);
}

/** Replaces every header of that name with one value. */
export function setHeader(headers: RtspHeader[], name: string, value: string): void {
  const lower = name.toLowerCase();
  for (let i = headers.length - 1; i >= 0; i--)
    if (headers[i]![0].toLowerCase() === lower) headers.splice(i, 1);
  headers.push([name, value]);
}

export function bodyText(message: RtspMessage): string {
  return decoder.decode(message.body);
}

/** The CSeq of a message as a number, or undefined when absent or not a number. */
export function getCSeq(message: RtspMessage): number | undefined {
  const v = getHeader(message.headers, 'cseq');
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
}

// ---- serializer ----

function headBytes(
  startLine: string,
  headers: readonly RtspHeader[],
  body: Uint8Array,
): Uint8Array {
  let head = `${startLine}\r\n`;
  for (const [n, v] of headers) {
    if (n.toLowerCase() === 'content-length') continue;
    if (/[\r\n]/.test(v) || !TOKEN_RE.test(n))
      throw new NvrError('internal', 'bad RTSP header', { header: n });
    head += `${n}: ${v}\r\n`;
  }
  if (body.length > 0) head += `Content-Length: ${body.length}\r\n`;
  head += '\r\n';
  const headBuf = encoder.encode(head);
  return body.length === 0 ? headBuf : concat(headBuf, body);
}

export function serializeRequest(
  req: Omit<RtspRequest, 'type' | 'version' | 'body'> & {
    version?: string;
    body?: Uint8Array | string;
  },
): Uint8Array {
  const body = typeof req.body === 'string' ? encoder.encode(req.body) : (req.body ?? EMPTY);
  return headBytes(`${req.method} ${req.uri} ${req.version ?? 'RTSP/1.0'}`, req.headers, body);
}

export function serializeResponse(
  res: Omit<RtspResponse, 'type' | 'version' | 'body' | 'reason'> & {
    version?: string;
    reason?: string;
    body?: Uint8Array | string;
  },
): Uint8Array {
  const body = typeof res.body === 'string' ? encoder.encode(res.body) : (res.body ?? EMPTY);
  const reason = res.reason ?? STATUS_REASONS[res.statusCode] ?? 'Unknown';
  return headBytes(`${res.version ?? 'RTSP/1.0'} ${res.statusCode} ${reason}`, res.headers, body);
}

/** Frames an RTP/RTCP packet for the RTSP TCP stream: `$`, channel, 16-bit length, payload. */
export function encodeInterleaved(channel: number, payload: Uint8Array): Uint8Array {
  if (payload.length > 0xffff)
    throw new NvrError('internal', 'interleaved payload too large', { sizeBytes: payload.length });
  const out = new Uint8Array(4 + payload.length);
  out[0] = 0x24;
  out[1] = channel & 0xff;
  out[2] = payload.length >> 8;
  out[3] = payload.length & 0xff;
  out.set(payload, 4);
  return out;
}

export const STATUS_REASONS: Record<number, string> = {
  200: 'OK',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  415: 'Unsupported Media Type',
  453: 'Not Enough Bandwidth',
  454: 'Session Not Found',
  455: 'Method Not Valid in This State',
  459: 'Aggregate Operation Not Allowed',
  461: 'Unsupported Transport',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
  505: 'RTSP Version Not Supported',
};
