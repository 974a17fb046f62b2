import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NvrError, copyBytes } from '../../base';
import {
  RtspStreamParser,
  encodeInterleaved,
  getHeader,
  getHeaders,
  serializeRequest,
  serializeResponse,
  setHeader,
  type RtspStreamItem,
} from './message';

const enc = new TextEncoder();

// A DESCRIBE answer in the shape Hikvision cameras send (trimmed), followed by interleaved RTP.
const DESCRIBE_REPLY =
  'RTSP/1.0 200 OK\r\nCSeq: 3\r\nContent-Type: application/sdp\r\nContent-Base: rtsp://10.0.0.5:554/Streaming/Channels/101/\r\n' +
  'Content-Length: 39\r\n\r\nv=0\r\no=- 1 1 IN IP4 10.0.0.5\r\ns=Media\r\n\r\n';

/**
 * Pushes `bytes` in chunks. `asSocket`: each chunk is a Node Buffer (a view into a shared pool, as
 * sockets deliver), overwritten after push the way a reused buffer would be: what the parser
 * returned must not change.
 */
function pushAll(
  parser: RtspStreamParser,
  bytes: Uint8Array,
  chunkSizes: number[],
  asSocket = false,
): RtspStreamItem[] {
  const out: RtspStreamItem[] = [];
  let pos = 0;
  let i = 0;
  while (pos < bytes.length) {
    const n = Math.max(1, chunkSizes[i++ % chunkSizes.length]!);
    const chunk = asSocket
      ? Buffer.from(bytes.subarray(pos, pos + n))
      : bytes.subarray(pos, pos + n);
    out.push(...parser.push(chunk));
    if (asSocket) chunk.fill(0xaa);
    pos += n;
  }
  return out;
}

describe('RtspStreamParser', () => {
  it('parses a request with headers and no body', () => {
    const p = new RtspStreamParser();
    const items = p.push(
      enc.encode(
        'OPTIONS rtsp://127.0.0.1:554/door RTSP/1.0\r\nCSeq: 1\r\nUser-Agent: test\r\n\r\n',
      ),
    );
    expect(items).toHaveLength(1);
    const req = items[0]!;
    expect(req.type).toBe('request');
    if (req.type !== 'request') return;
    expect(req.method).toBe('OPTIONS');
    expect(req.uri).toBe('rtsp://127.0.0.1:554/door');
    expect(getHeader(req.headers, 'cseq')).toBe('1');
    expect(getHeader(req.headers, 'USER-AGENT')).toBe('test');
    expect(req.body.length).toBe(0);
  });

  it('parses a response with a body split across many chunks, then interleaved frames', () => {
    const rtp = new Uint8Array([0x80, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xaa]);
    const bytes = new Uint8Array([
      ...enc.encode(DESCRIBE_REPLY),
      ...encodeInterleaved(0, rtp),
      ...encodeInterleaved(1, new Uint8Array(0)),
    ]);
    for (const sizes of [[1], [3, 7], [bytes.length]]) {
      const items = pushAll(new RtspStreamParser(), bytes, sizes);
      expect(items.map((i) => i.type)).toEqual(['response', 'interleaved', 'interleaved']);
      const res = items[0]!;
      if (res.type !== 'response') throw new Error('expected a response');
      expect(res.statusCode).toBe(200);
      expect(res.reason).toBe('OK');
      expect(new TextDecoder().decode(res.body)).toBe(
        'v=0\r\no=- 1 1 IN IP4 10.0.0.5\r\ns=Media\r\n',
      );
      const frame = items[1]!;
      if (frame.type !== 'interleaved') throw new Error('expected a frame');
      expect(frame.channel).toBe(0);
      expect([...frame.payload]).toEqual([...rtp]);
    }
  });

  it('accepts LF-only line ends and stray CRLF between messages', () => {
    const p = new RtspStreamParser();
    const items = p.push(
      enc.encode(
        '\r\nRTSP/1.0 401 Unauthorized\nCSeq: 2\nWWW-Authenticate: Basic realm="x"\nWWW-Authenticate: Digest realm="x", nonce="n"\n\n',
      ),
    );
    expect(items).toHaveLength(1);
    const res = items[0]!;
    if (res.type !== 'response') throw new Error('expected a response');
    expect(res.statusCode).toBe(401);
    expect(getHeaders(res.headers, 'www-authenticate')).toHaveLength(2);
  });

  it('waits for the whole body', () => {
    const p = new RtspStreamParser();
    expect(
      p.push(
        enc.encode('ANNOUNCE rtsp://h/pub RTSP/1.0\r\nCSeq: 1\r\nContent-Length: 5\r\n\r\nab'),
      ),
    ).toEqual([]);
    const items = p.push(enc.encode('cde'));
    expect(items).toHaveLength(1);
    expect(p.bufferedBytes).toBe(0);
  });

  it('rejects garbage with NvrError(malformed) and context', () => {
    const p = new RtspStreamParser({ context: { connection: 7 } });
    let err: unknown;
    try {
      p.push(new Uint8Array([0x00, 0x01, 0x02, 0x03]));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NvrError);
    expect((err as NvrError).kind).toBe('malformed');
    expect((err as NvrError).context.connection).toBe(7);
    expect((err as NvrError).context.byteOffset).toBe(0);
  });

  it('bounds the header size', () => {
    const p = new RtspStreamParser({ maxHeaderBytes: 256 });
    expect(() => p.push(enc.encode(`OPTIONS * RTSP/1.0\r\nX-Long: ${'a'.repeat(400)}`))).toThrow(
      /too large/,
    );
  });

  it('rejects a bad Content-Length and a bad status line', () => {
    expect(() =>
      new RtspStreamParser().push(enc.encode('RTSP/1.0 200 OK\r\nContent-Length: -1\r\n\r\n')),
    ).toThrow(NvrError);
    expect(() => new RtspStreamParser().push(enc.encode('RTSP/1.0 2x0 OK\r\n\r\n'))).toThrow(
      NvrError,
    );
    expect(() =>
      new RtspStreamParser().push(
        enc.encode('RTSP/1.0 200 OK\r\nContent-Length: 99999999\r\n\r\n'),
      ),
    ).toThrow(/too large/);
  });

  it('round-trips serialized requests and responses', () => {
    const bytes = serializeRequest({
      method: 'SETUP',
      uri: 'rtsp://127.0.0.1/door/main/trackID=0',
      headers: [
        ['CSeq', '4'],
        ['Transport', 'RTP/AVP/TCP;unicast;interleaved=0-1'],
      ],
    });
    const [req] = new RtspStreamParser().push(bytes);
    expect(req).toMatchObject({ type: 'request', method: 'SETUP', version: 'RTSP/1.0' });
    const res = serializeResponse({ statusCode: 200, headers: [['CSeq', '4']], body: 'hello' });
    const [parsed] = new RtspStreamParser().push(res);
    if (parsed?.type !== 'response') throw new Error('expected a response');
    expect(getHeader(parsed.headers, 'content-length')).toBe('5');
    expect(new TextDecoder().decode(parsed.body)).toBe('hello');
  });

  it('setHeader replaces all headers of a name, case-insensitively', () => {
    const h: Array<[string, string]> = [
      ['cseq', '1'],
      ['CSeq', '2'],
      ['Other', 'x'],
    ];
    setHeader(h, 'CSEQ', '3');
    expect(getHeaders(h, 'cseq')).toEqual(['3']);
    expect(getHeader(h, 'other')).toBe('x');
  });

  it('property: arbitrary chunking of valid traffic gives the same items, from Buffers reused after push too', () => {
    const item = fc.oneof(
      fc.record({
        kind: fc.constant('frame' as const),
        channel: fc.integer({ min: 0, max: 255 }),
        payload: fc.uint8Array({ maxLength: 300 }),
      }),
      fc.record({
        kind: fc.constant('req' as const),
        cseq: fc.nat(),
        body: fc.string({ maxLength: 50 }),
      }),
    );
    fc.assert(
      fc.property(
        fc.array(item, { maxLength: 10 }),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        (items, sizes, asSocket) => {
          const parts = items.map((i) =>
            i.kind === 'frame'
              ? encodeInterleaved(i.channel, i.payload)
              : serializeRequest({
                  method: 'SET_PARAMETER',
                  uri: 'rtsp://h/x',
                  headers: [['CSeq', String(i.cseq)]],
                  body: i.body,
                }),
          );
          const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
          let off = 0;
          for (const p of parts) {
            all.set(p, off);
            off += p.length;
          }
          const out = pushAll(new RtspStreamParser(), all, sizes, asSocket);
          expect(out).toHaveLength(items.length);
          out.forEach((o, k) => {
            const src = items[k]!;
            if (src.kind === 'frame')
              expect(o).toMatchObject({
                type: 'interleaved',
                channel: src.channel,
                payload: src.payload,
              });
            else {
              expect(o.type === 'request' && getHeader(o.headers, 'cseq')).toBe(String(src.cseq));
              expect(o.type === 'request' && new TextDecoder().decode(o.body)).toBe(src.body);
            }
          });
        },
      ),
    );
  });

  it('property: random and mutated input throws nothing but NvrError', () => {
    const valid = enc.encode(DESCRIBE_REPLY + 'OPTIONS * RTSP/1.0\r\nCSeq: 9\r\n\r\n');
    const mutated = fc
      .array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), { maxLength: 6 })
      .map((muts) => {
        const b = copyBytes(valid);
        for (const m of muts) b[m.at % b.length] = m.byte;
        return b;
      });
    fc.assert(
      fc.property(
        fc.oneof(fc.uint8Array({ maxLength: 2000 }), mutated),
        fc.integer({ min: 1, max: 500 }),
        fc.boolean(),
        (bytes, chunk, asSocket) => {
          const p = new RtspStreamParser({ maxHeaderBytes: 1024, maxBodyBytes: 4096 });
          try {
            pushAll(p, bytes, [chunk], asSocket);
          } catch (e) {
            if (!(e instanceof NvrError)) throw e;
            expect(e.kind).toBe('malformed');
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
