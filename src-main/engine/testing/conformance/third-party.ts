// Conformance harness: RTSP servers nobody on the team wrote, besides GStreamer's. rtsp-server-perl
// (RTSP::Server) fed by `ffmpeg -re … -f rtsp` publishing (ANNOUNCE/RECORD, ffmpeg's packetizer),
// and VLC's `#rtp{sdp=rtsp://…}` stream output (VLC's packetizer). Both serve UDP only, bind
// 127.0.0.1 and need fixed ports, so free ones are picked first. Tests only.
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export interface ThirdPartyServer {
  url: string;
  stop(): Promise<void>;
}

async function freeTcpPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** An even UDP port whose odd neighbour is free too (an RTP/RTCP pair). */
async function freeUdpPair(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + 2 * Math.floor(Math.random() * 15_000);
    const sockets = [dgram.createSocket('udp4'), dgram.createSocket('udp4')];
    const ok = await Promise.all(
      sockets.map(
        (s, i) =>
          new Promise<boolean>((resolve) => {
            s.once('error', () => resolve(false));
            s.bind(base + i, '127.0.0.1', () => resolve(true));
          }),
      ),
    );
    await Promise.all(sockets.map((s) => new Promise<void>((r) => s.close(() => r()))));
    if (ok.every(Boolean)) return base;
  }
  throw new Error('no free UDP port pair');
}

async function waitForTcp(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const start = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    const up = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (up) return;
    if (Date.now() - start > timeoutMs) throw new Error(`nothing listens on ${port} in time`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function stopper(children: ChildProcess[]): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () =>
    (stopping ??= Promise.all(
      children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
        await exited;
        clearTimeout(timer);
      }),
    ).then(() => undefined));
}

function logTail(child: ChildProcess): () => string {
  let tail = '';
  const keep = (d: Buffer) => {
    tail = (tail + d.toString('utf8')).slice(-2000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => tail;
}

/** rtsp-server-perl with `ffmpeg -re -i file -c copy -f rtsp` publishing one stream into it. */
export async function startPerlServer(file: string, mount = '/cam'): Promise<ThirdPartyServer> {
  const [clientPort, sourcePort, rtpPort] = [
    await freeTcpPort(),
    await freeTcpPort(),
    await freeUdpPair(),
  ];
  const server = spawn(
    '/usr/bin/rtsp-server-perl',
    [
      ...['--clientport', String(clientPort), '--serverport', String(sourcePort)],
      ...['--client_listen_address', '127.0.0.1', '--source_listen_address', '127.0.0.1'],
      ...['--rtp_start_port', String(rtpPort), '--loglevel', '1'],
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const serverLog = logTail(server);
  const stop = stopper([server]);
  try {
    await waitForTcp(sourcePort, server, 20_000);
    await waitForTcp(clientPort, server, 5000);
  } catch (e) {
    await stop();
    throw new Error(`rtsp-server-perl: ${(e as Error).message}\n${serverLog()}`, { cause: e });
  }
  // RTP over UDP into the server: it cannot take interleaved RTP from a publisher.
  const publisher = spawn(
    'ffmpeg',
    [
      ...['-nostdin', '-v', 'error', '-re', '-i', file, '-c', 'copy'],
      ...['-f', 'rtsp', `rtsp://127.0.0.1:${sourcePort}${mount}`],
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  logTail(publisher);
  return { url: `rtsp://127.0.0.1:${clientPort}${mount}`, stop: stopper([publisher, server]) };
}

/**
 * VLC streaming a file through its RTSP/RTP output, from its start, once. VLC refuses to run as
 * root, so as root it is started as nobody (setpriv): the clip's folder is opened to it.
 */
export async function startVlcServer(file: string, mount = '/cam'): Promise<ThirdPartyServer> {
  const port = await freeTcpPort();
  const vlcArgs = [
    ...['-I', 'dummy', '-q', '--no-audio', '--no-sout-audio', file],
    ...['--sout', `#rtp{sdp=rtsp://127.0.0.1:${port}${mount}}`, '--play-and-exit'],
  ];
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    // The clip's own folder (a mkdtemp folder, 0700) and the clip; nothing above them.
    fs.chmodSync(path.dirname(file), 0o755);
    fs.chmodSync(file, 0o644);
  }
  const child = asRoot
    ? spawn(
        'setpriv',
        [
          ...['--reuid=65534', '--regid=65534', '--clear-groups'],
          ...['env', 'HOME=/tmp', '/usr/bin/vlc', ...vlcArgs],
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      )
    : spawn('/usr/bin/vlc', vlcArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = logTail(child);
  const stop = stopper([child]);
  try {
    await waitForTcp(port, child, 20_000);
  } catch (e) {
    await stop();
    throw new Error(`vlc: ${(e as Error).message}\n${log()}`, { cause: e });
  }
  return { url: `rtsp://127.0.0.1:${port}${mount}`, stop };
}
