// Test harness: several GStreamer RTSP servers in one gst-rtsp-server.py process, each with its own
// auth and many mounts that payload prepared MP4 files (filesrc ! qtdemux ! parse ! rtpXpay), so a
// conformance matrix costs one process and no live encoding. For tests only.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface GstFileMount {
  /** Mount path, e.g. '/h264-fua'. */
  path: string;
  codec: 'h264' | 'h265';
  /** An MP4 file with one video track of that codec; played once, paced by the pipeline clock. */
  file: string;
  /** rtphXXXpay aggregate-mode: 'none' (single NAL / FU), 'zero-latency' (STAP-A/AP of parameter sets), 'max'. */
  aggregateMode?: 'none' | 'zero-latency' | 'max';
  /** rtphXXXpay mtu (default 1400): small forces FU-A/FU, huge gives single NAL unit packets. */
  mtu?: number;
  /** rtphXXXpay config-interval (default -1: parameter sets with every IDR). */
  configInterval?: number;
  protocols?: ('tcp' | 'udp')[];
  /** One pipeline for every client (default: each client gets its own, from the file's start). */
  shared?: boolean;
}

export interface GstFileServerSpec {
  name: string;
  auth?: 'none' | 'basic' | 'digest';
  user?: string;
  password?: string;
  mounts: GstFileMount[];
}

export interface GstFileServers {
  /** Port of each server, by name. */
  ports: Record<string, number>;
  /** rtsp://127.0.0.1:<port><mount> of a server, without credentials. */
  url(server: string, mount: string): string;
  stop(): Promise<void>;
}

const PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'gst-rtsp-server.py');

export async function startGstFileServers(
  servers: GstFileServerSpec[],
  opts: { startTimeoutMs?: number } = {},
): Promise<GstFileServers> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nvr-gstcfg-'));
  const configFile = path.join(dir, 'config.json');
  fs.writeFileSync(configFile, JSON.stringify({ servers }));
  // stdin stays a pipe: the script exits when it closes, so a crashed test never leaks the server.
  const child = spawn(PYTHON, [SCRIPT, '--config', configFile], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr = (stderr + d).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ports: Record<string, number> = {};
  try {
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(
        () => fail(new Error('GStreamer RTSP servers did not start in time')),
        opts.startTimeoutMs ?? 20_000,
      );
      function fail(err: Error): void {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(new Error(`${err.message}\n${stderr}`));
      }
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        for (const m of out.matchAll(/^PORT (\S+) (\d+)$/gm)) ports[m[1]!] = Number(m[2]);
        if (/^READY$/m.test(out)) {
          clearTimeout(timer);
          resolve();
        } else if (/^ERROR/m.test(out)) fail(new Error(out.trim()));
      });
      child.once('exit', (code) => fail(new Error(`GStreamer RTSP servers exited with ${code}`)));
      child.once('error', (err) => fail(err));
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  let stopping: Promise<void> | undefined;
  return {
    ports,
    url(server: string, mount: string): string {
      const port = ports[server];
      if (port === undefined) throw new Error(`no GStreamer server named ${server}`);
      return `rtsp://127.0.0.1:${port}${mount}`;
    },
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
