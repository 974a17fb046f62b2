// record: CPU and memory to record N camera streams (1080p, ~4 Mbit/s, 25 fps) for T seconds, against
// one `ffmpeg -c copy -f segment` per stream reading the same RTSP server in the same run. Also the
// p99 event-loop delay of the engine's API thread while recording, and frames lost (received vs indexed).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { scanFragments } from '../../src-main/media/fmp4';
import { RecordingIndex } from '../../src-main/storage';
import { readProcStat, readTreeStats } from '../lib/proc-stats';
import type { BenchContext, BenchRow, Scenario } from '../lib/types';

const FPS = 25;

/** A 1080p ~4 Mbit/s clip with a 2 s GOP, made once and cached (bench/.cache is git-ignored). */
function makeClip(ctx: BenchContext): string {
  const dir = path.join(ctx.repoRoot, 'bench', '.cache');
  const file = path.join(dir, 'rec1080-main.h264');
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(dir, { recursive: true });
  ctx.log('making a 20 s 1080p 4 Mbit/s clip with ffmpeg (once)…');
  const tmp = `${file}.tmp.h264`;
  const r = spawnSyncChecked('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=1920x1080:rate=${FPS}`,
    '-t',
    '20',
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-bf',
    '0',
    '-g',
    String(FPS * 2),
    '-pix_fmt',
    'yuv420p',
    '-b:v',
    '4M',
    '-maxrate',
    '4M',
    '-bufsize',
    '8M',
    tmp,
  ]);
  if (!r) throw new Error('ffmpeg could not make the benchmark clip');
  fs.renameSync(tmp, file);
  return file;
}

function spawnSyncChecked(cmd: string, args: string[]): boolean {
  return spawnSync(cmd, args, { stdio: 'inherit' }).status === 0;
}

async function startRtspServer(
  ctx: BenchContext,
  clipDir: string,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'scripts/rtsp-demo-server.ts', '--port', '0', '--dir', clipDir],
    {
      cwd: ctx.repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(rtsp:\/\/\S+\/rec1080\/main)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`RTSP server exited (${code}): ${out}`)));
  });
  return { child, url };
}

interface Window {
  cpuSec: number;
  peakRssMb: number;
}

/** CPU seconds of `pids()` over `seconds`, and the peak of their summed RSS sampled every second. */
async function measureWindow(pids: () => number[], seconds: number): Promise<Window> {
  const cpu = () => pids().reduce((n, pid) => n + (readTreeStats(pid).cpuSec ?? 0), 0);
  const rss = () => pids().reduce((n, pid) => n + readTreeStats(pid).rssBytes, 0);
  const start = cpu();
  let peak = rss();
  for (let i = 0; i < seconds; i++) {
    await sleep(1000); // a measurement window, not a wait for an event
    peak = Math.max(peak, rss());
  }
  return { cpuSec: cpu() - start, peakRssMb: peak / 1e6 };
}

interface StreamStatusLite {
  state?: string;
  framesReceived?: number;
  framesWritten?: number;
  reconnects?: number;
  workerRestarts?: number;
  decode?: { packetsLost?: number; framesLostToGaps?: number };
}

/** Warnings and errors the engine logged (pino JSON lines, level ≥ 40), shortened. */
function loggedTrouble(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => /^\{"level":(4|5|6)\d/.test(line))
    .map((line) => line.slice(0, 240));
}

/** Samples in a camera's segment files, read from the files themselves (not the index). */
function framesInFiles(dataDir: string, cameraId: string): number {
  const dir = path.join(dataDir, 'recordings', cameraId);
  let n = 0;
  for (const f of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }))
    if (f.endsWith('.mp4'))
      n += scanFragments(fs.readFileSync(path.join(dir, f))).fragments.reduce(
        (a, x) => a + x.sampleCount,
        0,
      );
  return n;
}

async function json<T>(res: Response): Promise<T> {
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

async function runOurs(ctx: BenchContext, url: string, n: number, seconds: number) {
  const engine = await ctx.startEngine({ demo: false, keepData: true });
  const ids: string[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const cam = await json<{ id: string }>(
        await fetch(`${engine.url}/api/cameras`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            name: `Bench ${i}`,
            transport: 'tcp',
            streams: { main: { url } },
            recording: { mode: 'continuous', retentionDays: 1, recordSub: false },
          }),
        }),
      );
      ids.push(cam.id);
    }
    const statuses = async () =>
      Promise.all(
        ids.map(
          async (id) =>
            (
              await json<{ streams: { main?: StreamStatusLite } }>(
                await fetch(`${engine.url}/api/cameras/${id}/status`),
              )
            ).streams.main ?? {},
        ),
      );
    const deadline = Date.now() + 60_000;
    while ((await statuses()).some((s) => (s.framesWritten ?? 0) < FPS)) {
      if (Date.now() > deadline) throw new Error('streams did not start within 60 s');
      await sleep(250);
    }
    await sleep(3000); // warm-up
    await fetch(`${engine.url}/api/system`); // starts (or resets) the event-loop delay histogram
    const win = await measureWindow(() => [engine.pid], seconds);
    const system = await json<{ eventLoopDelayMs?: { p50: number; p99: number; max: number } }>(
      await fetch(`${engine.url}/api/system`),
    );
    const final = await statuses();
    const received = final.reduce((a, s) => a + (s.framesReceived ?? 0), 0);
    const reconnects = final.reduce((a, s) => a + (s.reconnects ?? 0), 0);
    const workerRestarts = final.reduce((a, s) => a + (s.workerRestarts ?? 0), 0);
    // Over TCP a loss is the server's: the demo server skips a reader that falls 512 KiB behind.
    const packetsLost = final.reduce((a, s) => a + (s.decode?.packetsLost ?? 0), 0);
    const dataDir = engine.dataDir;
    const stopStarted = performance.now();
    await engine.stop();
    const stopMs = performance.now() - stopStarted;
    const trouble = loggedTrouble(engine.output());
    for (const line of trouble.slice(0, 10)) ctx.log(`engine: ${line}`);
    const index = RecordingIndex.open({ dataDir });
    let indexed = 0;
    ids.forEach((id, i) => {
      let mine = 0;
      const all = { cameraId: id, stream: 'main', fromMs: 0, toMs: Date.now() + 3_600_000 };
      const segments = index.querySegments(all);
      for (const s of segments) mine += s.fragments.reduce((a, f) => a + f.sampleCount, 0);
      indexed += mine;
      const st = final[i]!;
      if ((st.framesReceived ?? 0) > mine)
        ctx.log(
          `stream ${i}: received ${st.framesReceived}, indexed ${mine} in ${segments.length} segments ` +
            `of ${index.queryRanges(all).length} runs ` +
            `(${framesInFiles(dataDir, id)} in the files), ` +
            `RTP packets lost ${st.decode?.packetsLost ?? '?'}, frames lost to gaps ${st.decode?.framesLostToGaps ?? '?'}`,
        );
    });
    index.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    return {
      ...win,
      loop: system.eventLoopDelayMs,
      received,
      indexed,
      reconnects,
      workerRestarts,
      packetsLost,
      stopMs,
      troubleLines: trouble.length,
    };
  } catch (e) {
    await engine.stop();
    throw e;
  }
}

async function runFfmpeg(
  ctx: BenchContext,
  url: string,
  n: number,
  seconds: number,
): Promise<Window> {
  const dir = ctx.tempDir();
  const children: ChildProcess[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const out = path.join(dir, String(i));
      fs.mkdirSync(out);
      children.push(
        spawn(
          'ffmpeg',
          [
            '-nostdin',
            '-v',
            'error',
            '-rtsp_transport',
            'tcp',
            '-i',
            url,
            '-c',
            'copy',
            '-f',
            'segment',
            '-segment_time',
            '60',
            '-reset_timestamps',
            '1',
            '-segment_format',
            'mp4',
            path.join(out, '%05d.mp4'),
          ],
          { stdio: 'ignore' },
        ),
      );
    }
    await sleep(5000); // connect and warm up
    const alive = () =>
      children.map((c) => c.pid!).filter((pid) => readProcStat(pid) !== undefined);
    if (alive().length !== n) throw new Error('an ffmpeg reference process died');
    return await measureWindow(alive, seconds);
  } finally {
    for (const c of children) c.kill('SIGINT');
    await Promise.all(
      children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))),
    );
  }
}

export const record: Scenario = {
  name: 'record',
  description:
    'CPU s per stream-minute and peak RSS recording N 1080p 4 Mbit/s streams for T s vs ffmpeg -c copy -f segment per stream; API event-loop p99; frames lost',
  async run(ctx) {
    const seconds = Number(ctx.option('seconds', '60'));
    const counts = ctx.option('streams', '1,16,64').split(',').map(Number);
    const clip = makeClip(ctx);
    const clipDir = path.dirname(clip);
    const server = await startRtspServer(ctx, clipDir);
    const rows: BenchRow[] = [];
    const summary: Record<string, number | string | boolean | null> = { seconds };
    try {
      for (const n of counts) {
        ctx.log(`recording ${n} stream(s) for ${seconds} s…`);
        const ours = await runOurs(ctx, server.url, n, seconds);
        ctx.log(`ffmpeg -c copy × ${n} for ${seconds} s…`);
        const ref = await runFfmpeg(ctx, server.url, n, seconds);
        const perStreamMinute = (cpuSec: number) => cpuSec / n / (seconds / 60);
        const lost = Math.max(0, ours.received - ours.indexed);
        rows.push(
          {
            case: `${n} streams`,
            metric: 'CPU per stream-minute',
            value: perStreamMinute(ours.cpuSec),
            unit: 's',
            reference: perStreamMinute(ref.cpuSec),
            referenceName: 'ffmpeg -c copy -f segment',
          },
          {
            case: `${n} streams`,
            metric: 'peak RSS',
            value: ours.peakRssMb,
            unit: 'MB',
            reference: ref.peakRssMb,
            referenceName: 'ffmpeg -c copy (sum)',
          },
          {
            case: `${n} streams`,
            metric: 'RSS budget (150 MB + 3 MB/stream)',
            value: 150 + 3 * n,
            unit: 'MB',
          },
          {
            case: `${n} streams`,
            metric: 'API event loop p99',
            value: ours.loop?.p99 ?? NaN,
            unit: 'ms',
          },
          { case: `${n} streams`, metric: 'frames received', value: ours.received, unit: '' },
          {
            case: `${n} streams`,
            metric: 'frames lost (received − indexed)',
            value: lost,
            unit: '',
          },
          { case: `${n} streams`, metric: 'reconnects', value: ours.reconnects, unit: '' },
          { case: `${n} streams`, metric: 'worker restarts', value: ours.workerRestarts, unit: '' },
          { case: `${n} streams`, metric: 'RTP packets lost', value: ours.packetsLost, unit: '' },
          {
            case: `${n} streams`,
            metric: 'warnings/errors logged',
            value: ours.troubleLines,
            unit: '',
          },
          { case: `${n} streams`, metric: 'graceful stop', value: ours.stopMs, unit: 'ms' },
        );
        summary[`cpuRatio_${n}`] = perStreamMinute(ours.cpuSec) / perStreamMinute(ref.cpuSec);
        summary[`rssMb_${n}`] = ours.peakRssMb;
        summary[`loopP99Ms_${n}`] = ours.loop?.p99 ?? null;
        summary[`framesLost_${n}`] = lost;
        summary[`reconnects_${n}`] = ours.reconnects;
        summary[`workerRestarts_${n}`] = ours.workerRestarts;
      }
    } finally {
      server.child.kill('SIGTERM');
    }
    return { rows, summary };
  },
};
