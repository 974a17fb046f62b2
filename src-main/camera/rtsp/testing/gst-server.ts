// Test harness: starts GStreamer's RTSP server (gst-rtsp-server.py under /usr/bin/python3) on
// 127.0.0.1 and a port the OS picks, and stops it. For tests only; the product never runs it.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface GstServerOptions {
  codec?: 'h264' | 'h265';
  path?: string;
  width?: number;
  height?: number;
  fps?: number;
  gop?: number;
  bitrateKbps?: number;
  protocols?: ('tcp' | 'udp')[];
  auth?: 'none' | 'basic' | 'digest';
  user?: string;
  password?: string;
  /** 'aggregate' (default): STAP-A/AP + in-band parameter sets; 'sdp-only': parameter sets only in the SDP. */
  packetization?: 'aggregate' | 'sdp-only';
  /** One pipeline for every client (default: one per client, so keyframe spacing stays exact). */
  shared?: boolean;
  /** Milliseconds to wait for the server to report its port (default 15 s). */
  startTimeoutMs?: number;
}

export interface GstServer {
  /** rtsp://127.0.0.1:<port><path>, without credentials. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

const PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'gst-rtsp-server.py');

/** True when /usr/bin/python3 with GstRtspServer looks usable (tests skip GStreamer cases otherwise). */
export function gstAvailable(): boolean {
  return existsSync(PYTHON) && existsSync(SCRIPT);
}

export async function startGstServer(opts: GstServerOptions = {}): Promise<GstServer> {
  const mount = opts.path ?? '/test';
  const args = [SCRIPT, '--port', '0', '--path', mount];
  const add = (flag: string, v: string | number | undefined): void => {
    if (v !== undefined) args.push(flag, String(v));
  };
  add('--codec', opts.codec);
  add('--width', opts.width);
  add('--height', opts.height);
  add('--fps', opts.fps);
  add('--gop', opts.gop);
  add('--bitrate-kbps', opts.bitrateKbps);
  add('--protocols', opts.protocols?.join(','));
  add('--auth', opts.auth);
  add('--user', opts.user);
  add('--password', opts.password);
  add('--packetization', opts.packetization);
  if (opts.shared) args.push('--shared');

  // stdin stays a pipe: the script exits when it closes, so a crashed test never leaks the server.
  const child = spawn(PYTHON, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr = (stderr + d).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(
      () => fail(new Error('GStreamer RTSP server did not start in time')),
      opts.startTimeoutMs ?? 15_000,
    );
    function fail(err: Error): void {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${err.message}\n${stderr}`));
    }
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /^PORT (\d+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      } else if (/^ERROR/m.test(out)) fail(new Error(out.trim()));
    });
    child.once('exit', (code) => fail(new Error(`GStreamer RTSP server exited with code ${code}`)));
    child.once('error', (err) => fail(err));
  });

  let stopping: Promise<void> | undefined;
  return {
    url: `rtsp://127.0.0.1:${port}${mount}`,
    port,
    stop(): Promise<void> {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.stdin.end();
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}
