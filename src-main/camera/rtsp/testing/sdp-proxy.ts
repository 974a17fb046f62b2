// Test harness: a TCP proxy on 127.0.0.1:0 in front of an RTSP server that rewrites the SDP of its
// DESCRIBE answers (to imitate cameras whose SDP is broken in ways the server's is not), then
// passes every other byte through unchanged. Tests only; never used by the product.
import net from 'node:net';

export interface SdpProxy {
  /** The proxied URL of `path` (e.g. '/door/main'). */
  url(path: string): string;
  port: number;
  /** SDP bodies as rewritten and sent to clients. */
  rewritten: string[];
  close(): Promise<void>;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * Proxies to `target` (host:port of an RTSP server). Each server→client message up to and
 * including the first DESCRIBE answer is read whole; an `application/sdp` body goes through
 * `rewrite`, which also gets the answer's start line and headers (Content-Base names the path);
 * Content-Length is adjusted. After that the connection is a plain pipe (interleaved RTP).
 */
export async function startSdpProxy(
  target: { host: string; port: number },
  rewrite: (sdp: string, head: string) => string,
): Promise<SdpProxy> {
  const sockets = new Set<net.Socket>();
  const rewritten: string[] = [];
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: target.host, port: target.port });
    sockets.add(client).add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    let pending = Buffer.alloc(0);
    let piping = false;
    upstream.on('data', (chunk: Buffer) => {
      if (piping) return void client.write(chunk);
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const headEnd = pending.indexOf(HEADER_END);
        if (headEnd < 0) return;
        const head = pending.subarray(0, headEnd).toString('latin1');
        const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
        const total = headEnd + 4 + length;
        if (pending.length < total) return;
        const message = pending.subarray(0, total);
        const rest = pending.subarray(total);
        if (/\r\ncontent-type:\s*application\/sdp/i.test(head)) {
          const sdp = rewrite(message.subarray(headEnd + 4).toString('utf8'), head);
          rewritten.push(sdp);
          const newHead = head.replace(
            /\r\ncontent-length:\s*\d+/i,
            `\r\nContent-Length: ${Buffer.byteLength(sdp)}`,
          );
          client.write(`${newHead}\r\n\r\n${sdp}`);
          piping = true;
          if (rest.length > 0) client.write(rest);
          return;
        }
        client.write(message);
        pending = rest;
        if (pending.length === 0) return;
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    rewritten,
    url: (path) => `rtsp://127.0.0.1:${port}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
