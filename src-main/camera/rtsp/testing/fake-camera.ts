// Test harness: a scriptable fake RTSP camera on 127.0.0.1:0 for the client's bad-input tests
// (garbage answers, hang-ups, odd SDPs, ignored keepalives). Tests only; never used by the product.
import net from 'node:net';
import { RtspStreamParser, encodeInterleaved, getHeader, serializeResponse } from '../message';
import type { RtspHeader, RtspRequest } from '../message';

export interface FakeConnection {
  socket: net.Socket;
  /** Answers `req` with its CSeq added. */
  reply(req: RtspRequest, status: number, headers?: RtspHeader[], body?: string): void;
  write(bytes: Uint8Array | string): void;
  sendInterleaved(channel: number, payload: Uint8Array): void;
  close(): void;
}

export interface FakeCameraHandlers {
  onConnection?(conn: FakeConnection): void;
  /** Return nothing to leave the request unanswered. */
  onRequest?(req: RtspRequest, conn: FakeConnection): void;
}

export interface FakeCamera {
  url: string;
  port: number;
  requests: RtspRequest[];
  /** `$` frames the client sent (RTCP receiver reports over TCP). */
  interleaved: { channel: number; payload: Uint8Array }[];
  connections: FakeConnection[];
  close(): Promise<void>;
}

export async function startFakeCamera(
  handlers: FakeCameraHandlers,
  path = '/stream',
): Promise<FakeCamera> {
  const requests: RtspRequest[] = [];
  const interleaved: { channel: number; payload: Uint8Array }[] = [];
  const connections: FakeConnection[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const conn: FakeConnection = {
      socket,
      reply(req, status, headers = [], body) {
        const all: RtspHeader[] = [['CSeq', getHeader(req.headers, 'cseq') ?? '0'], ...headers];
        if (body !== undefined) all.push(['Content-Type', 'application/sdp']);
        if (!socket.destroyed)
          socket.write(
            serializeResponse({
              statusCode: status,
              headers: all,
              ...(body !== undefined ? { body } : {}),
            }),
          );
      },
      write(bytes) {
        if (!socket.destroyed) socket.write(bytes);
      },
      sendInterleaved(channel, payload) {
        if (!socket.destroyed) socket.write(encodeInterleaved(channel, payload));
      },
      close() {
        socket.destroy();
      },
    };
    connections.push(conn);
    handlers.onConnection?.(conn);
    const parser = new RtspStreamParser();
    socket.on('data', (chunk: Buffer) => {
      let items;
      try {
        items = parser.push(new Uint8Array(chunk));
      } catch {
        socket.destroy();
        return;
      }
      for (const item of items) {
        if (item.type === 'interleaved')
          interleaved.push({ channel: item.channel, payload: item.payload });
        if (item.type !== 'request') continue;
        requests.push(item);
        handlers.onRequest?.(item, conn);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `rtsp://127.0.0.1:${port}${path}`,
    port,
    requests,
    interleaved,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** An SDP with one H.264 video track (parameter sets from a 320x240 baseline stream). */
export const H264_SDP = [
  'v=0',
  'o=- 0 0 IN IP4 127.0.0.1',
  's=Fake',
  't=0 0',
  'a=control:*',
  'm=video 0 RTP/AVP 96',
  'a=rtpmap:96 H264/90000',
  'a=fmtp:96 packetization-mode=1;sprop-parameter-sets=Z0LADNoFB+wFqDAwNSgAAAMACAAAAwD0eKFV,aM48gA==',
  'a=control:track1',
  '',
].join('\r\n');

/**
 * Answers OPTIONS, DESCRIBE (with `sdp`), SETUP (TCP interleaved 0-1) and PLAY like a camera;
 * `onPlay` runs after the PLAY answer. Other requests go to `other` (default: 200 OK).
 */
export function cameraScript(opts: {
  sdp?: string;
  sessionTimeoutSec?: number;
  publicMethods?: string;
  onPlay?(conn: FakeConnection): void;
  other?(req: RtspRequest, conn: FakeConnection): void;
}): FakeCameraHandlers {
  return {
    onRequest(req, conn) {
      const session: RtspHeader = ['Session', `12345678;timeout=${opts.sessionTimeoutSec ?? 60}`];
      switch (req.method) {
        case 'OPTIONS':
          if (!getHeader(req.headers, 'session')) {
            conn.reply(req, 200, [
              [
                'Public',
                opts.publicMethods ?? 'OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN, GET_PARAMETER',
              ],
            ]);
            return;
          }
          break;
        case 'DESCRIBE':
          conn.reply(req, 200, [['Content-Base', `${req.uri}/`]], opts.sdp ?? H264_SDP);
          return;
        case 'SETUP': {
          const transport = getHeader(req.headers, 'transport') ?? '';
          if (!transport.includes('TCP')) {
            conn.reply(req, 461);
            return;
          }
          conn.reply(req, 200, [session, ['Transport', 'RTP/AVP/TCP;unicast;interleaved=0-1']]);
          return;
        }
        case 'PLAY':
          conn.reply(req, 200, [session]);
          opts.onPlay?.(conn);
          return;
        default:
          break;
      }
      if (opts.other) opts.other(req, conn);
      else conn.reply(req, 200, [session]);
    },
  };
}
