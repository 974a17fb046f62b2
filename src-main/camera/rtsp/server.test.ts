// Integration: the RTSP server serving the demo clips to real ffprobe/ffmpeg processes on loopback
// (TCP and UDP, H.264 and H.265, Basic and Digest), ffmpeg publishing onto a path, and the
// protocol details (RTP-Info, GOP start, session timeout) checked with a raw socket client.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { h264NalType } from '../../media/h264';
import { parseRtcp, parseRtpPacket } from '../../media/rtp';
import { parseRtpInfo, parseSessionHeader } from './headers';
import {
  RtspStreamParser,
  getHeader,
  serializeRequest,
  type InterleavedFrame,
  type RtspResponse,
} from './message';
import { RtspServer } from './server';

const DEMO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../resources/demo');
const SCENES = [
  { path: '/door/main', file: 'door-main.h264', codec: 'h264', width: 1920, height: 1080 },
  { path: '/door/sub', file: 'door-sub.h264', codec: 'h264', width: 640, height: 360 },
  { path: '/yard/main', file: 'yard-main.h264', codec: 'h264', width: 1920, height: 1080 },
  { path: '/yard/sub', file: 'yard-sub.h264', codec: 'h264', width: 640, height: 360 },
  { path: '/garage/main', file: 'garage-main.h264', codec: 'h264', width: 1920, height: 1080 },
  { path: '/garage/sub', file: 'garage-sub.h264', codec: 'h264', width: 640, height: 360 },
  { path: '/street/main', file: 'street-main.h265', codec: 'hevc', width: 1920, height: 1080 },
  { path: '/street/sub', file: 'street-sub.h264', codec: 'h264', width: 640, height: 360 },
] as const;
const USER = { username: 'viewer', password: 'p@ss:w rd' };
const CREDS = `${encodeURIComponent(USER.username)}:${encodeURIComponent(USER.password)}@`;

const children = new Set<ChildProcess>();

function run(
  cmd: string,
  args: string[],
  timeoutMs = 25_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
}

function ffprobe(url: string, transport: 'tcp' | 'udp') {
  return run('/usr/bin/ffprobe', [
    '-v',
    'error',
    '-rtsp_transport',
    transport,
    '-show_entries',
    'stream=codec_name,width,height,r_frame_rate',
    '-of',
    'json',
    url,
  ]);
}

/** Reads `seconds` of media with `-c copy`; returns exit code, warnings/errors and the frame count. */
async function ffmpegRead(url: string, transport: 'tcp' | 'udp', seconds: number) {
  const r = await run(
    '/usr/bin/ffmpeg',
    [
      '-nostdin',
      '-v',
      'warning',
      '-rtsp_transport',
      transport,
      '-i',
      url,
      '-t',
      String(seconds),
      '-c',
      'copy',
      '-f',
      'null',
      '-',
      '-progress',
      'pipe:1',
      '-nostats',
    ],
    30_000,
  );
  const frames = [...r.stdout.matchAll(/^frame=(\d+)$/gm)].map((m) => Number(m[1]));
  return { ...r, frames: frames.at(-1) ?? 0 };
}

const servers = {
  open: new RtspServer(),
  basic: new RtspServer({ auth: { users: [USER], scheme: 'basic' } }),
  digest: new RtspServer({ auth: { users: [USER], scheme: 'digest' } }),
  // Session header timeout=2: ffmpeg must keep the session alive with keepalives / RTCP.
  short: new RtspServer({ sessionTimeoutMs: 2000 }),
};
const ports = { open: 0, basic: 0, digest: 0, short: 0 };

beforeAll(async () => {
  for (const [name, server] of Object.entries(servers)) {
    for (const s of SCENES) await server.addClipStream(s.path, { file: path.join(DEMO, s.file) });
    ports[name as keyof typeof ports] = (await server.listen()).port;
  }
});

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await Promise.all(Object.values(servers).map((s) => s.close()));
});

describe.concurrent('ffprobe reads every demo stream', () => {
  for (const transport of ['tcp', 'udp'] as const) {
    for (const s of SCENES) {
      it(`${s.path} over ${transport}`, async () => {
        const r = await ffprobe(`rtsp://127.0.0.1:${ports.open}${s.path}`, transport);
        expect(r.code, r.stderr).toBe(0);
        const [stream] = JSON.parse(r.stdout).streams;
        expect(stream).toEqual({
          codec_name: s.codec,
          width: s.width,
          height: s.height,
          r_frame_rate: '15/1',
        });
      });
    }
  }
});

describe.concurrent('ffmpeg reads past a whole clip loop without timestamp trouble', () => {
  const cases = [
    { name: 'H.264 over TCP', server: 'open', path: '/door/main', transport: 'tcp' },
    { name: 'H.265 over UDP', server: 'open', path: '/street/main', transport: 'udp' },
    {
      name: 'H.264 over UDP with Basic auth',
      server: 'basic',
      path: '/yard/sub',
      transport: 'udp',
    },
    {
      name: 'H.265 over TCP with Digest auth',
      server: 'digest',
      path: '/street/main',
      transport: 'tcp',
    },
    {
      name: 'H.264 over UDP kept alive past a 2 s session timeout',
      server: 'short',
      path: '/door/sub',
      transport: 'udp',
    },
    {
      name: 'H.264 over TCP kept alive past a 2 s session timeout',
      server: 'short',
      path: '/door/sub',
      transport: 'tcp',
    },
  ] as const;
  for (const c of cases) {
    it(c.name, async () => {
      const creds = c.server === 'basic' || c.server === 'digest' ? CREDS : '';
      const timeouts: unknown[] = [];
      const onClosed = (e: { reason: string }): void =>
        void (e.reason === 'timeout' && timeouts.push(e));
      servers[c.server].on('session-closed', onClosed);
      const seconds = c.server === 'short' ? 6 : 12;
      const r = await ffmpegRead(
        `rtsp://${creds}127.0.0.1:${ports[c.server]}${c.path}`,
        c.transport,
        seconds,
      );
      servers[c.server].off('session-closed', onClosed);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).not.toMatch(/non-monoton|error|missed|invalid/i);
      expect(r.frames).toBeGreaterThanOrEqual(seconds * 15 - 2);
      expect(timeouts).toEqual([]);
    });
  }
});

describe.concurrent('authentication', () => {
  for (const scheme of ['basic', 'digest'] as const) {
    it(`rejects a wrong password with 401 (${scheme})`, async () => {
      const r = await ffprobe(
        `rtsp://${USER.username}:wrong@127.0.0.1:${ports[scheme]}/door/sub`,
        'tcp',
      );
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/401/);
    });
    it(`accepts the right password (${scheme})`, async () => {
      const r = await ffprobe(`rtsp://${CREDS}127.0.0.1:${ports[scheme]}/door/sub`, 'tcp');
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).streams[0]).toMatchObject({
        codec_name: 'h264',
        width: 640,
        height: 360,
      });
    });
  }

  it('sends Digest and Basic challenges to a client without credentials', async () => {
    const c = await RawClient.open(ports.digest);
    try {
      const res = await c.request('DESCRIBE', `rtsp://127.0.0.1:${ports.digest}/door/sub`);
      expect(res.statusCode).toBe(401);
      expect(getHeader(res.headers, 'www-authenticate')).toMatch(
        /^Digest realm="NVR", qop="auth", nonce="/,
      );
    } finally {
      c.close();
    }
  });
});

describe.concurrent('publishing', () => {
  it.each(['tcp', 'udp'] as const)(
    'relays an ffmpeg publisher (%s) to ffprobe and ffmpeg readers',
    async (transport) => {
      const server = servers.open;
      const pubPath = `/live/pub-${transport}`;
      const url = `rtsp://127.0.0.1:${ports.open}${pubPath}`;
      const published = new Promise<void>((resolve) => {
        const on = (p: string): void => {
          if (p !== pubPath) return;
          server.off('publish', on);
          resolve();
        };
        server.on('publish', on);
      });
      const publisher = run('/usr/bin/ffmpeg', [
        '-nostdin',
        '-v',
        'error',
        '-re',
        '-f',
        'lavfi',
        '-i',
        'testsrc=size=320x240:rate=15',
        '-t',
        '6',
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-tune',
        'zerolatency',
        '-g',
        '15',
        '-bf',
        '0',
        '-f',
        'rtsp',
        '-rtsp_transport',
        transport,
        url,
      ]);
      await published;
      const probe = await ffprobe(url, 'udp');
      expect(probe.code, probe.stderr).toBe(0);
      expect(JSON.parse(probe.stdout).streams[0]).toMatchObject({
        codec_name: 'h264',
        width: 320,
        height: 240,
      });
      const read = await ffmpegRead(url, 'tcp', 2);
      expect(read.code, read.stderr).toBe(0);
      expect(read.frames).toBeGreaterThanOrEqual(25);
      expect(server.stats().mounts.find((m) => m.path === pubPath)).toMatchObject({
        kind: 'publish',
        active: true,
      });
      expect((await publisher).code).toBe(0);
      await vi.waitFor(() =>
        expect(server.stats().mounts.some((m) => m.path === pubPath)).toBe(false),
      );
    },
  );

  it('refuses publishing onto a clip path and onto unregistered paths when restricted', async () => {
    const restricted = new RtspServer({ publish: 'registered' });
    restricted.addPublishMount('/allowed');
    const port = (await restricted.listen()).port;
    try {
      for (const [p, status] of [
        ['/other', 403],
        ['/allowed', 200],
      ] as const) {
        const c = await RawClient.open(port);
        const res = await c.request(
          'ANNOUNCE',
          `rtsp://127.0.0.1:${port}${p}`,
          [['Content-Type', 'application/sdp']],
          'v=0\r\ns=x\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n',
        );
        expect(res.statusCode).toBe(status);
        c.close();
      }
      const c = await RawClient.open(ports.open);
      const res = await c.request(
        'ANNOUNCE',
        `rtsp://127.0.0.1:${ports.open}/door/main`,
        [['Content-Type', 'application/sdp']],
        'v=0\r\n',
      );
      expect(res.statusCode).toBe(403);
      c.close();
    } finally {
      await restricted.close();
    }
  });
});

describe('protocol details with a raw client', () => {
  it('starts a TCP reader at a keyframe with SPS/PPS, and RTP-Info names the first packet', async () => {
    const port = ports.open;
    const c = await RawClient.open(port);
    try {
      const base = `rtsp://127.0.0.1:${port}/door/sub`;
      const desc = await c.request('DESCRIBE', base);
      expect(desc.statusCode).toBe(200);
      expect(getHeader(desc.headers, 'content-base')).toBe(`${base}/`);
      expect(new TextDecoder().decode(desc.body)).toMatch(
        /a=fmtp:96 packetization-mode=1;profile-level-id=42c0..;sprop-parameter-sets=/,
      );
      const setup = await c.request('SETUP', `${base}/trackID=0`, [
        ['Transport', 'RTP/AVP/TCP;unicast;interleaved=0-1'],
      ]);
      expect(getHeader(setup.headers, 'transport')).toBe('RTP/AVP/TCP;unicast;interleaved=0-1');
      const session = parseSessionHeader(getHeader(setup.headers, 'session')!);
      expect(session.timeoutSec).toBe(60);
      const play = await c.request('PLAY', base, [['Session', session.id]]);
      const [info] = parseRtpInfo(getHeader(play.headers, 'rtp-info')!);
      expect(info!.url).toBe(`${base}/trackID=0`);
      const first = parseRtpPacket((await c.nextFrame()).payload);
      expect(first.sequenceNumber).toBe(info!.seq);
      expect(first.timestamp).toBe(info!.rtptime);
      expect(h264NalType(first.payload)).toBe(7); // SPS opens the keyframe group
      expect(servers.open.readerCount('/door/sub')).toBeGreaterThanOrEqual(1);
      const teardown = await c.request('TEARDOWN', base, [['Session', session.id]]);
      expect(teardown.statusCode).toBe(200);
    } finally {
      c.close();
    }
  });

  it('answers unknown paths, sessions and methods with RTSP errors', async () => {
    const c = await RawClient.open(ports.open);
    try {
      expect((await c.request('DESCRIBE', `rtsp://127.0.0.1:${ports.open}/nope`)).statusCode).toBe(
        404,
      );
      expect(
        (
          await c.request('PLAY', `rtsp://127.0.0.1:${ports.open}/door/main`, [
            ['Session', 'bogus'],
          ])
        ).statusCode,
      ).toBe(454);
      expect(
        (await c.request('REDIRECT', `rtsp://127.0.0.1:${ports.open}/door/main`)).statusCode,
      ).toBe(501);
      const opts = await c.request('OPTIONS', '*');
      expect(getHeader(opts.headers, 'public')).toContain('ANNOUNCE');
    } finally {
      c.close();
    }
  });

  it('closes a UDP session that sends no keepalive', async () => {
    const server = new RtspServer({ sessionTimeoutMs: 300 });
    await server.addClipStream('/cam', { file: path.join(DEMO, 'door-sub.h264') });
    const port = (await server.listen()).port;
    const c = await RawClient.open(port);
    try {
      const setup = await c.request('SETUP', `rtsp://127.0.0.1:${port}/cam/trackID=0`, [
        ['Transport', 'RTP/AVP;unicast;client_port=9-10'],
      ]);
      expect(getHeader(setup.headers, 'transport')).toMatch(
        /^RTP\/AVP;unicast;client_port=9-10;server_port=\d+-\d+$/,
      );
      const id = parseSessionHeader(getHeader(setup.headers, 'session')!).id;
      const [closed] = await once(server, 'session-closed');
      expect(closed).toMatchObject({ id, reason: 'timeout' });
      expect(server.stats().sessions).toBe(0);
    } finally {
      c.close();
      await server.close();
    }
  });

  it('sends RTCP sender reports, pauses, and cuts readers off on restartMount and restart', async () => {
    const server = new RtspServer({ senderReportIntervalMs: 100 });
    await server.addClipStream('/cam', { file: path.join(DEMO, 'door-sub.h264') });
    const port = (await server.listen()).port;
    try {
      const url = `rtsp://127.0.0.1:${port}/cam`;
      const reader = await RawClient.open(port);
      const setup = await reader.request('SETUP', url, [['Transport', 'RTP/AVP/TCP;unicast']]);
      expect(getHeader(setup.headers, 'transport')).toBe('RTP/AVP/TCP;unicast;interleaved=0-1');
      const session = getHeader(setup.headers, 'session')!;
      await reader.request('PLAY', url, [['Session', session]]);
      // RTP on channel 0, and RTCP sender reports for the same SSRC on channel 1.
      let ssrc: number | undefined;
      for (;;) {
        const f = await reader.nextFrame();
        if (f.channel === 0) ssrc ??= parseRtpPacket(f.payload).ssrc;
        else if (ssrc !== undefined) {
          expect(parseRtcp(f.payload)[0]).toMatchObject({ type: 'sr', ssrc });
          break;
        }
      }
      expect(server.stats().mounts[0]).toMatchObject({
        path: '/cam',
        kind: 'clip',
        active: true,
        readers: 1,
      });
      expect((await reader.request('PAUSE', url, [['Session', session]])).statusCode).toBe(200);
      expect(server.readerCount('/cam')).toBe(0);
      expect((await reader.request('GET_PARAMETER', url, [['Session', session]])).statusCode).toBe(
        200,
      );
      await reader.request('PLAY', url, [['Session', session]]);
      expect(server.readerCount('/cam')).toBe(1);
      server.restartMount('/cam');
      await reader.closed;
      expect(server.readerCount('/cam')).toBe(0);
      expect(server.stats().mounts[0]!.active).toBe(true);
      await server.restart();
      const again = await RawClient.open(port);
      expect((await again.request('DESCRIBE', url)).statusCode).toBe(200);
      again.close();
    } finally {
      await server.close();
    }
  });
});

/** Just enough RTSP client to check the server's answers byte for byte. */
class RawClient {
  private cseq = 0;
  private readonly parser = new RtspStreamParser();
  private readonly responses: RtspResponse[] = [];
  private readonly frames: InterleavedFrame[] = [];
  private wake: (() => void) | undefined;
  readonly closed: Promise<void>;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      for (const item of this.parser.push(new Uint8Array(chunk))) {
        if (item.type === 'response') this.responses.push(item);
        else if (item.type === 'interleaved') this.frames.push(item);
      }
      this.wake?.();
    });
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    this.closed.then(() => this.wake?.());
  }

  static async open(port: number): Promise<RawClient> {
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    return new RawClient(socket);
  }

  private async waitFor<T>(take: () => T | undefined): Promise<T> {
    for (;;) {
      const v = take();
      if (v !== undefined) return v;
      if (this.socket.destroyed) throw new Error('connection closed');
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  async request(
    method: string,
    uri: string,
    headers: Array<[string, string]> = [],
    body?: string,
  ): Promise<RtspResponse> {
    this.socket.write(
      serializeRequest({ method, uri, headers: [['CSeq', String(++this.cseq)], ...headers], body }),
    );
    return this.waitFor(() => this.responses.shift());
  }

  nextFrame(): Promise<InterleavedFrame> {
    return this.waitFor(() => this.frames.shift());
  }

  close(): void {
    this.socket.destroy();
  }
}
