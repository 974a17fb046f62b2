// Bad input for RtspClient, each against a scripted fake camera on loopback: refused and silent
// hosts, garbage and hang-ups, SDPs without video or with an unsupported codec, ignored keepalives,
// and RTP with truncated or malformed NAL units.
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { copyBytes, isNvrError } from '../../base';
import type { AccessUnit } from '../../media';
import { H264Packetizer } from '../../media/rtp';
import { buildSdp } from '../../media/sdp';
import { RtspClient } from './client';
import { loadClip } from './clip-source';
import { collectAccessUnits, H264_SDP, cameraScript, startFakeCamera } from './testing';
import type { FakeCamera } from './testing';

const DEMO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../resources/demo');

let camera: FakeCamera | undefined;
const clients: RtspClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await camera?.close();
  camera = undefined;
});

function client(
  url: string,
  extra: Partial<ConstructorParameters<typeof RtspClient>[0]> = {},
): RtspClient {
  const c = new RtspClient({ url, transport: 'tcp', timeoutMs: 2000, ...extra });
  clients.push(c);
  return c;
}

async function connectError(c: RtspClient): Promise<unknown> {
  return c.connect().then(
    () => new Error('connect() resolved'),
    (e: unknown) => e,
  );
}

describe('RtspClient bad input', () => {
  it('a port nobody listens on → unreachable', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const err = await connectError(client(`rtsp://u:pw@127.0.0.1:${port}/x`));
    expect(isNvrError(err, 'unreachable')).toBe(true);
    expect(isNvrError(err) && err.context.url).toBe(`rtsp://127.0.0.1:${port}/x`);
  });

  it('a server that accepts and never answers → timeout on OPTIONS, CSeq 1', async () => {
    camera = await startFakeCamera({});
    const started = Date.now();
    const err = await connectError(client(camera.url, { timeoutMs: 300 }));
    expect(isNvrError(err, 'timeout')).toBe(true);
    expect(isNvrError(err) && err.context).toMatchObject({
      method: 'OPTIONS',
      cseq: 1,
      url: camera.url,
    });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a TCP connect that never completes → timeout on connect', async () => {
    const err = await connectError(
      client('rtsp://10.255.255.1/x', { timeoutMs: 200, openSocket: () => new net.Socket() }),
    );
    expect(isNvrError(err, 'timeout')).toBe(true);
    expect(isNvrError(err) && err.context.method).toBe('connect');
  });

  it('an AbortSignal cancels a connect that hangs', async () => {
    camera = await startFakeCamera({});
    const controller = new AbortController();
    const c = client(camera.url, { timeoutMs: 10_000, signal: controller.signal });
    const pending = connectError(c);
    await expect.poll(() => camera!.requests.length).toBe(1);
    controller.abort();
    const err = await pending;
    expect(isNvrError(err, 'cancelled')).toBe(true);
  });

  it.each([
    ['binary garbage', '\u0000\u00ff\u0013GARBAGE\r\n\r\n'],
    ['an HTTP answer', 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'],
    ['a broken header line', 'RTSP/1.0 200 OK\r\nCSeq 1\r\n\r\n'],
  ])('%s → protocol', async (_name, text) => {
    camera = await startFakeCamera({ onRequest: (_req, conn) => conn.write(text) });
    const err = await connectError(client(camera.url));
    expect(isNvrError(err, 'protocol')).toBe(true);
    expect(isNvrError(err) && err.context.method).toBe('OPTIONS');
  });

  it('a server that closes mid-DESCRIBE → protocol error at once, no hang', async () => {
    camera = await startFakeCamera({
      onRequest(req, conn) {
        if (req.method === 'OPTIONS') conn.reply(req, 200, [['Public', 'DESCRIBE, SETUP, PLAY']]);
        else {
          conn.write(
            'RTSP/1.0 200 OK\r\nCSeq: 2\r\nContent-Type: application/sdp\r\nContent-Length: 400\r\n\r\nv=0\r\no=- 0 0 IN',
          );
          setTimeout(() => conn.close(), 20);
        }
      },
    });
    const started = Date.now();
    const err = await connectError(client(camera.url, { timeoutMs: 10_000 }));
    expect(isNvrError(err, 'protocol')).toBe(true);
    expect(isNvrError(err) && err.context).toMatchObject({ method: 'DESCRIBE', cseq: 2 });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('DESCRIBE answered 404 → protocol with the status', async () => {
    camera = await startFakeCamera({
      onRequest: (req, conn) => conn.reply(req, req.method === 'OPTIONS' ? 200 : 404),
    });
    const err = await connectError(client(camera.url));
    expect(isNvrError(err, 'protocol')).toBe(true);
    expect(isNvrError(err) && err.context).toMatchObject({ method: 'DESCRIBE', statusCode: 404 });
  });

  it('an SDP with only audio → protocol "no video"', async () => {
    const sdp =
      'v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=A\r\nt=0 0\r\nm=audio 0 RTP/AVP 0\r\na=control:audio\r\n';
    camera = await startFakeCamera(cameraScript({ sdp }));
    const err = await connectError(client(camera.url));
    expect(isNvrError(err, 'protocol')).toBe(true);
    expect((err as Error).message).toMatch(/no video/);
  });

  it.each([
    ['MP4V-ES', 'm=video 0 RTP/AVP 96\r\na=rtpmap:96 MP4V-ES/90000\r\na=control:v'],
    ['JPEG', 'm=video 0 RTP/AVP 26\r\na=control:v'],
  ])('an SDP with %s video → unsupported_codec', async (_name, media) => {
    camera = await startFakeCamera(
      cameraScript({ sdp: `v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=V\r\nt=0 0\r\n${media}\r\n` }),
    );
    const err = await connectError(client(camera.url));
    expect(isNvrError(err, 'unsupported_codec')).toBe(true);
    expect(isNvrError(err) && err.context).toMatchObject({ method: 'DESCRIBE', url: camera.url });
  });

  it('an SDP that is not SDP → protocol', async () => {
    camera = await startFakeCamera(cameraScript({ sdp: '<html>nope</html>' }));
    await expect(client(camera.url).connect()).rejects.toMatchObject({ kind: 'protocol' });
  });

  it('a keepalive left unanswered fails the session with timeout', async () => {
    camera = await startFakeCamera(cameraScript({ sessionTimeoutSec: 1, other: () => undefined }));
    const c = client(camera.url, { timeoutMs: 400 });
    const closed = new Promise<unknown>((resolve) => c.on('close', resolve));
    await c.connect();
    const err = await closed;
    expect(isNvrError(err, 'timeout')).toBe(true);
    // An unanswered GET_PARAMETER switches to OPTIONS (Hipcam); an unanswered OPTIONS ends it.
    expect(isNvrError(err) && err.context.method).toBe('OPTIONS');
    expect(camera.requests.map((r) => r.method)).toContain('GET_PARAMETER');
    expect(camera.requests.map((r) => r.method).at(-1)).toBe('OPTIONS');
  });

  it('keepalive uses OPTIONS (with the session) when GET_PARAMETER is not offered', async () => {
    let answered = 0;
    camera = await startFakeCamera(
      cameraScript({
        sessionTimeoutSec: 1,
        publicMethods: 'OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN',
        other: (req, conn) => {
          if (req.method === 'OPTIONS') answered++;
          conn.reply(req, 200);
        },
      }),
    );
    const c = client(camera.url, { timeoutMs: 400 });
    await c.connect();
    await expect.poll(() => answered, { timeout: 3000 }).toBeGreaterThanOrEqual(2);
    const keepalive = camera.requests.filter((r) => r.method === 'OPTIONS').at(-1)!;
    expect(keepalive.headers.some(([n, v]) => n === 'Session' && v === '12345678')).toBe(true);
    expect(camera.requests.some((r) => r.method === 'GET_PARAMETER')).toBe(false);
  });

  it('RTP with truncated and malformed NAL units: bad frames dropped, good ones intact, no crash', async () => {
    const clip = await loadClip(path.join(DEMO, 'door-sub.h264'));
    const sdp = buildSdp({
      sessionName: 'x',
      tracks: [
        { codec: 'h264', payloadType: 96, control: 'track1', parameterSets: clip.parameterSets },
      ],
    });
    const packetizer = new H264Packetizer({
      payloadType: 96,
      ssrc: 0x1234,
      mtu: 600,
      aggregate: true,
    });
    const step = 90000 / clip.fps;
    const packetsOf = (i: number): Uint8Array[] =>
      packetizer.packetize({ nalus: clip.accessUnits[i]!.nalus, rtpTimestamp: 1000 + i * step });
    const gop = clip.accessUnits.findIndex((au, i) => i > 0 && au.isKeyframe);
    expect(gop).toBeGreaterThan(3);

    camera = await startFakeCamera(
      cameraScript({
        sdp,
        onPlay(conn) {
          const send = (p: Uint8Array): void => conn.sendInterleaved(0, p);
          for (let i = 0; i < gop; i++) packetsOf(i).forEach(send); // first GOP: whole
          send(new Uint8Array([0x80, 0x60, 0, 1])); // shorter than an RTP header
          send(new Uint8Array(20).fill(0x40)); // RTP version 1
          const cut = packetsOf(gop); // keyframe of GOP 2 loses its last fragment
          cut.slice(0, -1).forEach(send);
          const bad = copyBytes(packetsOf(gop + 1)[0]!, 0, 14);
          bad[12] = 24; // STAP-A header then a size that runs past the end
          bad[13] = 0xff;
          send(bad);
          for (let i = gop + 2; i < 2 * gop; i++) {
            const ps = packetsOf(i);
            ps.forEach((p, k) => send(k === 0 && p.length > 20 ? p.subarray(0, 20) : p)); // truncated payloads
          }
          for (let i = 2 * gop; i < 3 * gop; i++) packetsOf(i).forEach(send); // third GOP: whole
        },
      }),
    );
    const c = client(camera.url);
    const collecting = collectAccessUnits(c, 2 * gop, 10_000);
    await c.connect();
    const { aus } = await collecting;
    const index = (au: AccessUnit): number => Math.round((au.pts90k - aus[0]!.pts90k) / step);
    const indexes = aus.map(index);
    expect(indexes.slice(0, gop)).toEqual([...Array(gop).keys()]);
    expect(indexes.slice(gop)).toEqual([...Array(gop).keys()].map((k) => 2 * gop + k));
    for (const au of aus) {
      const original = clip.accessUnits[index(au)]!;
      const vcl = au.nalus.filter((n) => (n[0]! & 0x1f) >= 1 && (n[0]! & 0x1f) <= 5);
      expect(vcl).toEqual(original.nalus.filter((n) => (n[0]! & 0x1f) >= 1 && (n[0]! & 0x1f) <= 5));
    }
    expect(c.stats.droppedPackets).toBeGreaterThanOrEqual(2);
  });

  it('a TCP SETUP answered without a Session header → protocol', async () => {
    camera = await startFakeCamera({
      onRequest(req, conn) {
        if (req.method === 'DESCRIBE') conn.reply(req, 200, [], H264_SDP);
        else if (req.method === 'SETUP')
          conn.reply(req, 200, [['Transport', 'RTP/AVP/TCP;unicast;interleaved=0-1']]);
        else conn.reply(req, 200);
      },
    });
    const err = await connectError(client(camera.url));
    expect(isNvrError(err, 'protocol')).toBe(true);
    expect(isNvrError(err) && err.context.method).toBe('SETUP');
  });

  it('transport auto: UDP SETUP accepted but no RTP arrives → falls back to TCP', async () => {
    const clip = await loadClip(path.join(DEMO, 'door-sub.h264'));
    const sdp = buildSdp({
      sessionName: 'x',
      tracks: [
        { codec: 'h264', payloadType: 96, control: 'track1', parameterSets: clip.parameterSets },
      ],
    });
    const packetizer = new H264Packetizer({ payloadType: 96, ssrc: 7, aggregate: true });
    camera = await startFakeCamera({
      onRequest(req, conn) {
        const transport = req.headers.find(([n]) => n === 'Transport')?.[1] ?? '';
        if (req.method === 'DESCRIBE') conn.reply(req, 200, [], sdp);
        else if (req.method === 'SETUP' && transport.includes('TCP'))
          conn.reply(req, 200, [
            ['Session', 's2'],
            ['Transport', 'RTP/AVP/TCP;unicast;interleaved=0-1'],
          ]);
        else if (req.method === 'SETUP')
          conn.reply(req, 200, [
            ['Session', 's1'],
            ['Transport', `${transport};server_port=${camera!.port}-${camera!.port + 1}`],
          ]);
        else if (
          req.method === 'PLAY' &&
          req.headers.some(([n, v]) => n === 'Session' && v === 's2')
        ) {
          conn.reply(req, 200, [['Session', 's2']]);
          for (let i = 0; i < 3; i++)
            packetizer
              .packetize({ nalus: clip.accessUnits[i]!.nalus, rtpTimestamp: i * 6000 })
              .forEach((p) => conn.sendInterleaved(0, p));
        } else conn.reply(req, 200);
      },
    });
    const c = client(camera.url, { transport: 'auto', udpFirstPacketTimeoutMs: 300 });
    const collecting = collectAccessUnits(c, 3);
    const info = await c.connect();
    expect(info.transport).toBe('tcp');
    expect((await collecting).aus[0]!.isKeyframe).toBe(true);
    const methods = camera.requests.map((r) => r.method);
    expect(methods.filter((m) => m === 'SETUP')).toHaveLength(2);
    expect(methods).toContain('TEARDOWN'); // the silent UDP session was torn down
  });
});
