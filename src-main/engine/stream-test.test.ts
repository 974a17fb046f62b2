// testStream against the project's RTSP server on loopback: a picture and the format from a real clip,
// wrong password, closed port, a server that is not RTSP, an unknown path, and an ONVIF snapshot URI.
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RtspServer } from '../camera';
import { startSdpProxy } from '../camera/rtsp/testing';
import { findFfmpeg } from '../../native';
import { findProjectRoot } from './paths';
import { testStream } from './stream-test';
import type { MethodParsedInput } from '../../src-preload/contract';

const DEMO = path.join(findProjectRoot()!, 'resources', 'demo');
const ffmpegPath = findFfmpeg();
const USER = { username: 'admin', password: 'secret' };

const open = new RtspServer();
const guarded = new RtspServer({ auth: { users: [USER], scheme: 'digest' } });
let openPort = 0;
let guardedPort = 0;
let httpServer: http.Server;
let httpPort = 0;

beforeAll(async () => {
  await open.addClipStream('/door/main', { file: path.join(DEMO, 'door-main.h264') });
  await open.addClipStream('/street/main', { file: path.join(DEMO, 'street-main.h265') });
  await guarded.addClipStream('/door/main', { file: path.join(DEMO, 'door-main.h264') });
  openPort = (await open.listen({ host: '127.0.0.1', port: 0 })).port;
  guardedPort = (await guarded.listen({ host: '127.0.0.1', port: 0 })).port;
  // Answers HTTP to anything: an RTSP client talking to a web server; and a Basic-auth snapshot URI.
  httpServer = http.createServer((req, res) => {
    if (req.url === '/snap.jpg') {
      const expected = `Basic ${Buffer.from('admin:secret').toString('base64')}`;
      if (req.headers.authorization !== expected) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="cam"' }).end();
        return;
      }
      const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);
      res.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpeg);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' }).end('<html>hello</html>');
  });
  httpServer.listen(0, '127.0.0.1');
  await once(httpServer, 'listening');
  httpPort = (httpServer.address() as AddressInfo).port;
});

afterAll(async () => {
  httpServer.closeAllConnections();
  await Promise.all([
    open.close(),
    guarded.close(),
    new Promise<void>((r) => httpServer.close(() => r())),
  ]);
});

const input = (
  url: string,
  extra: Partial<MethodParsedInput<'testStream'>> = {},
): MethodParsedInput<'testStream'> => ({ url, transport: 'tcp', ...extra });

const isJpeg = (b64: string) => {
  const b = Buffer.from(b64, 'base64');
  return b.length > 100 && b[0] === 0xff && b[1] === 0xd8 && b.at(-2) === 0xff && b.at(-1) === 0xd9;
};

describe('testStream', () => {
  it.skipIf(!ffmpegPath)('answers a JPEG, codec and size for an H.264 stream', async () => {
    const r = await testStream(input(`rtsp://127.0.0.1:${openPort}/door/main`), { ffmpegPath });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.source).toBe('rtsp');
    expect(r.codec).toBe('h264');
    expect(r.width).toBeGreaterThan(0);
    expect(r.height).toBeGreaterThan(0);
    expect(isJpeg(r.snapshotJpegBase64)).toBe(true);
    expect(r.elapsedMs).toBeLessThan(8000);
  });

  it.skipIf(!ffmpegPath)(
    'a Reolink-style SDP (junk after the parameter sets) still gives a picture, and says so',
    async () => {
      const proxy = await startSdpProxy({ host: '127.0.0.1', port: openPort }, (sdp) =>
        sdp.replace(/(sprop-parameter-sets=[^;\r\n]*)/, '$1,AAAAAAAA,!#junk'),
      );
      try {
        const r = await testStream(input(proxy.url('/door/main')), { ffmpegPath });
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(isJpeg(r.snapshotJpegBase64)).toBe(true);
        expect(r.warnings).toEqual([
          expect.stringMatching(/sprop-parameter-sets item 3 dropped/),
          expect.stringMatching(/sprop-parameter-sets item 4 dropped \(not base64: "!#junk"\)/),
        ]);
      } finally {
        await proxy.close();
      }
    },
  );

  it.skipIf(!ffmpegPath)('decodes H.265 too, scaled to the asked width', async () => {
    const r = await testStream(input(`rtsp://127.0.0.1:${openPort}/street/main`, { width: 160 }), {
      ffmpegPath,
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.codec).toBe('h265');
    expect(isJpeg(r.snapshotJpegBase64)).toBe(true);
  });

  it.skipIf(!ffmpegPath)(
    'passes digest credentials; a wrong password is an auth error',
    async () => {
      const url = `rtsp://127.0.0.1:${guardedPort}/door/main`;
      const good = await testStream(input(url, { ...USER }), { ffmpegPath });
      expect(good.ok).toBe(true);
      const bad = await testStream(input(url, { username: 'admin', password: 'nope' }), {
        ffmpegPath,
      });
      expect(bad).toMatchObject({ ok: false, error: { kind: 'auth' } });
      if (!bad.ok) expect(bad.error.message).toMatch(/wrong username or password/i);
      if (!bad.ok) expect(bad.error.message).not.toContain('nope');
    },
  );

  it('a closed port is unreachable', async () => {
    const probe = net.createServer();
    probe.listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const r = await testStream(input(`rtsp://127.0.0.1:${port}/x`), { ffmpegPath });
    expect(r).toMatchObject({ ok: false, error: { kind: 'unreachable' } });
    if (!r.ok) expect(r.error.message).toMatch(/cannot reach/i);
  });

  it('an HTTP server is not an RTSP server', async () => {
    const r = await testStream(input(`rtsp://127.0.0.1:${httpPort}/x`), {
      ffmpegPath,
      timeoutMs: 3000,
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(['protocol', 'malformed', 'timeout']).toContain(r.error.kind);
      expect(r.error.message.length).toBeGreaterThan(10);
    }
  });

  it('an unknown path says so', async () => {
    const r = await testStream(input(`rtsp://127.0.0.1:${openPort}/nothing/here`), { ffmpegPath });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.message).toContain('/nothing/here');
      // An RTSP server that answers 404 is not "not an RTSP server": the path is wrong.
      expect(r.error.message).toMatch(/^No stream at this path/);
    }
  });

  it('stops at the time limit', async () => {
    // A TCP server that reads and never answers.
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => {
      sockets.add(socket);
      socket.resume();
    });
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const port = (silent.address() as AddressInfo).port;
    try {
      const r = await testStream(input(`rtsp://127.0.0.1:${port}/x`), {
        ffmpegPath,
        timeoutMs: 500,
      });
      expect(r).toMatchObject({ ok: false, error: { kind: 'timeout' } });
      expect(r.elapsedMs).toBeLessThan(3000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  it('prefers the snapshot URI (with Basic credentials) and skips the stream', async () => {
    const r = await testStream(
      input(`rtsp://127.0.0.1:${openPort}/door/main`, {
        ...USER,
        snapshotUrl: `http://127.0.0.1:${httpPort}/snap.jpg`,
      }),
      { ffmpegPath },
    );
    expect(r).toMatchObject({ ok: true, source: 'snapshot-uri' });
    if (r.ok) expect(Buffer.from(r.snapshotJpegBase64, 'base64')[0]).toBe(0xff);
  });
});
