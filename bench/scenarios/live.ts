// live: glass-to-glass latency and time to first frame over WHEP in Chromium, and the engine's CPU per
// WebRTC viewer. The source is ffmpeg drawing the wall clock (ms, 32 bits as 32×32 px blocks) into each
// frame as it is generated, encoding zero-latency x264 (1280×720, 25 fps, 2 Mbit/s, 4 s GOP) and
// publishing to the project's RTSP server; the engine records nothing and serves the stream live.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright-core';
import { RtspServer } from '../../src-main/camera/rtsp';
import { createWhepClient } from '../../src-main/live/testing';
import type { WhepTestClient } from '../../src-main/live/testing';
import { LIVE_CLIENT_JS } from '../../e2e/fixtures/live-client';
import { readThreadCpu, readTreeStats } from '../lib/proc-stats';
import { percentile } from '../lib/percentile';
import type { BenchRow, Scenario } from '../lib/types';

const FFMPEG = process.env.NVR_FFMPEG ?? '/usr/bin/ffmpeg';

/** Bit b of the frame's wall-clock ms (mod 2^32) as a 32×32 block: 16 per row, 2 rows, top left. */
const CLOCK_FILTER =
  "settb=1/1000000,setpts=RTCTIME,split[a][b];[b]crop=512:64:0:0,geq=lum='255*mod(floor(floor(T*1000)/pow(2,floor(Y/32)*16+floor(X/32))),2)':cb=128:cr=128[c];[a][c]overlay=0:0,settb=1/25,setpts=N";

function clockSourceArgs(url: string, kbps: number, gopFrames: number): string[] {
  return [
    '-v',
    'error',
    '-re',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=1280x720:rate=25',
    '-filter_complex',
    `[0:v]noise=alls=8:allf=t,${CLOCK_FILTER}`,
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-tune',
    'zerolatency',
    '-bf',
    '0',
    '-g',
    String(gopFrames),
    '-keyint_min',
    String(gopFrames),
    '-sc_threshold',
    '0',
    '-b:v',
    `${kbps}k`,
    '-maxrate',
    `${kbps}k`,
    '-bufsize',
    `${Math.round(kbps / 2)}k`,
    '-pix_fmt',
    'yuv420p',
    '-f',
    'rtsp',
    '-rtsp_transport',
    'tcp',
    url,
  ];
}

/** Page side: reads the clock of every presented frame of a viewer (after nvrLive is installed). */
const LATENCY_READER_JS = String.raw`
window.nvrLatency = {
  attach(id) {
    const v = window.nvrLive.viewers.get(id);
    const canvas = document.createElement('canvas');
    canvas.width = 512; canvas.height = 64;
    const g = canvas.getContext('2d', { willReadFrequently: true });
    v.state.samples = [];
    v.state.onFrame = (_now, meta) => {
      g.drawImage(v.video, 0, 0, 512, 64, 0, 0, 512, 64);
      const px = g.getImageData(0, 0, 512, 64).data;
      let n = 0;
      for (let b = 0; b < 32; b++) {
        const x = (b % 16) * 32 + 16, y = Math.floor(b / 16) * 32 + 16;
        if (px[(y * 512 + x) * 4] > 128) n += 2 ** b;
      }
      const shown = performance.timeOrigin + meta.expectedDisplayTime;
      let d = (shown % 2 ** 32) - n;
      if (d > 2 ** 31) d -= 2 ** 32;
      if (d < -(2 ** 31)) d += 2 ** 32;
      v.state.samples.push({ at: performance.now(), latencyMs: d });
    };
  },
  result(id) {
    const s = window.nvrLive.viewers.get(id).state;
    return { firstFrameAt: s.firstFrameAt ?? null, startedAt: s.startedAt, answerAt: s.answerAt ?? null,
      offerAt: s.offerAt ?? null, iceConnectedAt: s.iceConnectedAt ?? null, connectedAt: s.connectedAt ?? null,
      status: s.status, error: s.error, samples: s.samples ?? [], width: s.width ?? 0 };
  },
};
`;

interface PageResult {
  firstFrameAt: number | null;
  startedAt: number;
  answerAt: number | null;
  offerAt: number | null;
  iceConnectedAt: number | null;
  connectedAt: number | null;
  status: number;
  error: string | null;
  samples: { at: number; latencyMs: number }[];
  width: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(
  pred: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const t0 = performance.now();
  while (!(await pred())) {
    if (performance.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

export const live: Scenario = {
  name: 'live',
  description:
    'WHEP in Chromium: glass-to-glass latency (a ms clock drawn into the frames, read back from a canvas) and time to first frame over 20 connections with a 4 s GOP; engine CPU per WebRTC viewer at 1, 8 and 32 viewers of a 2 Mbit/s stream. Targets: latency p50 < 150 ms, first frame p50 < 300 ms, ≤ 2 % of a core per viewer.',
  async run(ctx) {
    const connections = Number(ctx.option('connections', '20'));
    const kbps = Number(ctx.option('kbps', '2000'));
    const gopFrames = Number(ctx.option('gop', '100'));
    const cpuWindowMs = Number(ctx.option('cpu-window-ms', '15000'));
    const warmupMs = Number(ctx.option('warmup-ms', '20000'));
    const viewerCounts = ctx.option('viewers', '1,8,32').split(',').map(Number);
    const rows: BenchRow[] = [];
    const summary: Record<string, number | string | boolean | null> = {};

    // The clock camera: the project's RTSP server and ffmpeg publishing to it.
    const rtsp = new RtspServer();
    const { port } = await rtsp.listen({ host: '127.0.0.1', port: 0 });
    const sourceUrl = `rtsp://127.0.0.1:${port}/clock/main`;
    const published = new Promise<void>((resolve) => rtsp.once('publish', () => resolve()));
    const ffmpeg: ChildProcess = spawn(FFMPEG, clockSourceArgs(sourceUrl, kbps, gopFrames), {
      stdio: 'ignore',
    });
    const clients: WhepTestClient[] = [];
    try {
      await published;
      process.env.NVR_LIVE_MAX_PER_STREAM = String(Math.max(64, ...viewerCounts));
      process.env.NVR_LIVE_MAX_TOTAL = String(Math.max(64, ...viewerCounts));
      // The werift clients share this process (and 2 cores): when they lag, the engine must keep
      // sending rather than drop them as silent; what is measured is the engine's sending cost.
      process.env.NVR_LIVE_SILENCE_MS = '120000';
      const engine = await ctx.startEngine({ demo: false });
      const res = await fetch(`${engine.url}/api/cameras`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'Clock',
          streams: { main: { url: sourceUrl } },
          transport: 'tcp',
          recording: { mode: 'off', retentionDays: 1, recordSub: false },
        }),
      });
      const cameraId = ((await res.json()) as { id: string }).id;
      const status = async () =>
        (
          (await (await fetch(`${engine.url}/api/cameras/${cameraId}/status`)).json()) as {
            streams: {
              main?: { state: string; bitrateKbps?: number; width?: number; gopFrames?: number };
            };
          }
        ).streams.main;
      await waitFor(async () => (await status())?.state === 'streaming', 20_000, 'the camera');
      // A whole GOP in the cache, as for a camera that has been running for a while.
      await sleep((gopFrames / 25) * 1000 + 1000);
      const st = await status();
      summary.streamBitrateKbps = st?.bitrateKbps ?? null;
      summary.gopFrames = gopFrames;
      ctx.log(`camera streaming at ${st?.bitrateKbps ?? '?'} kbit/s, ${st?.width ?? '?'} px wide`);

      // --- Latency and time to first frame in Chromium --------------------------------------
      const browser = await chromium.launch({
        executablePath: process.env.NVR_CHROMIUM ?? '/usr/bin/chromium',
        args: ['--no-sandbox', '--disable-gpu', '--autoplay-policy=no-user-gesture-required'],
      });
      const ttff: number[] = [];
      const ttffAfterAnswer: number[] = [];
      const latency: number[] = [];
      const perConnection: number[] = [];
      try {
        const page = await browser.newPage();
        await page.goto(`${engine.url}/api/health`);
        await page.addScriptTag({ content: LIVE_CLIENT_JS });
        await page.addScriptTag({ content: LATENCY_READER_JS });
        for (let i = 0; i < connections; i++) {
          const id = await page.evaluate(async (path) => {
            const w = window as unknown as {
              nvrLive: { startWhep(p: string): Promise<number> };
              nvrLatency: { attach(id: number): void };
            };
            const p = w.nvrLive.startWhep(path);
            // attach as soon as the viewer exists (its id is the next one)
            const id = await p;
            w.nvrLatency.attach(id);
            return id;
          }, `/api/cameras/${cameraId}/whep?stream=main`);
          const result = async () =>
            page.evaluate(
              (i) =>
                (
                  window as unknown as { nvrLatency: { result(i: number): PageResult } }
                ).nvrLatency.result(i),
              id,
            );
          await waitFor(
            async () => (await result()).firstFrameAt !== null,
            15_000,
            `first frame #${i + 1}`,
          );
          await sleep(3000);
          const r = await result();
          if (r.status !== 201) throw new Error(`WHEP answered ${r.status}: ${r.error}`);
          ttff.push(r.firstFrameAt! - r.startedAt);
          ttffAfterAnswer.push(r.firstFrameAt! - (r.answerAt ?? r.startedAt));
          // Steady state: from 1 s after the first frame (the cached group has been run through).
          const steady = r.samples
            .filter((s) => s.at > r.firstFrameAt! + 1000)
            .map((s) => s.latencyMs);
          latency.push(...steady);
          perConnection.push(percentile(steady, 50));
          const rel = (t: number | null) =>
            t === null ? '?' : String(Math.round(t - r.startedAt));
          ctx.log(
            `connection ${i + 1}: first frame ${Math.round(ttff.at(-1)!)} ms (offer ${rel(r.offerAt)}, answer ${rel(r.answerAt)}, ICE ${rel(r.iceConnectedAt)}, DTLS ${rel(r.connectedAt)}), latency p50 ${Math.round(perConnection.at(-1)!)} ms (${steady.length} frames)`,
          );
          await page.evaluate(
            (i) =>
              (window as unknown as { nvrLive: { stop(i: number): Promise<void> } }).nvrLive.stop(
                i,
              ),
            id,
          );
        }
      } finally {
        await browser.close();
      }
      const latCase = `${connections} WHEP connections, Chromium`;
      rows.push(
        {
          case: latCase,
          metric: 'glass-to-glass latency p50',
          value: Math.round(percentile(latency, 50)),
          unit: 'ms',
        },
        {
          case: latCase,
          metric: 'glass-to-glass latency p95',
          value: Math.round(percentile(latency, 95)),
          unit: 'ms',
        },
        {
          case: latCase,
          metric: 'time to first frame p50',
          value: Math.round(percentile(ttff, 50)),
          unit: 'ms',
        },
        {
          case: latCase,
          metric: 'time to first frame p95',
          value: Math.round(percentile(ttff, 95)),
          unit: 'ms',
        },
        {
          case: latCase,
          metric: 'answer → first frame p50',
          value: Math.round(percentile(ttffAfterAnswer, 50)),
          unit: 'ms',
        },
      );
      summary.latencySamples = latency.length;

      // --- Engine CPU per viewer (werift clients in this process: they receive, never decode) --
      await sleep(6000); // the closed browser sessions time out
      // The engine is still settling from the browser phase (its mark-compacts, the werift clients'
      // set-up): a first idle window would read high and flatter the first count.
      await sleep(cpuWindowMs);
      // Also logs the busiest threads of the engine (the main thread is "main"; the recording
      // worker is the other steady one) to show where a window's CPU went.
      const cpuOver = async (ms: number, label: string): Promise<number> => {
        const a = readTreeStats(engine.pid).cpuSec;
        const ta = readThreadCpu(engine.pid);
        const t = performance.now();
        await sleep(ms);
        const b = readTreeStats(engine.pid).cpuSec;
        const tb = readThreadCpu(engine.pid);
        const seconds = (performance.now() - t) / 1000;
        const threads = [...tb]
          .map(([tid, sec]) => ({ tid, pct: ((sec - (ta.get(tid) ?? 0)) / seconds) * 100 }))
          .filter((x) => x.pct >= 0.05)
          .sort((x, y) => y.pct - x.pct)
          .map((x) => `${x.tid === engine.pid ? 'main' : x.tid} ${x.pct.toFixed(2)}`);
        ctx.log(`  ${label}: threads (% of a core) ${threads.join(', ')}`);
        return (b - a) / seconds;
      };
      // The no-viewer CPU drifts by a few tenths of a percent between windows (GC, index flushes,
      // sessions of the browser phase ending): each count is compared with the mean of the idle
      // windows right before and right after it.
      let idleBefore = await cpuOver(cpuWindowMs, 'idle');
      summary.engineCpuNoViewers = Number((idleBefore * 100).toFixed(1));
      ctx.log(`engine with no viewers: ${(idleBefore * 100).toFixed(1)} % of a core`);
      for (const n of viewerCounts) {
        const locations: string[] = [];
        // One at a time, each receiving before the next starts: many werift DTLS handshakes at once
        // in this (busy) process sometimes fail on the client side; such a client is replaced.
        for (let i = 0; i < n; i++) {
          for (let attempt = 1; ; attempt++) {
            const client = await createWhepClient({ countOnly: true });
            const r = await fetch(`${engine.url}/api/cameras/${cameraId}/whep?stream=main`, {
              method: 'POST',
              headers: { 'content-type': 'application/sdp' },
              body: client.offerSdp,
            });
            if (r.status !== 201) throw new Error(`WHEP answered ${r.status}: ${await r.text()}`);
            const location = r.headers.get('location')!;
            await client.applyAnswer(await r.text());
            const ok = await client.waitForPackets(20, 10_000).then(
              () => true,
              () => false,
            );
            if (ok || attempt === 3) {
              clients.push(client);
              locations.push(location);
              break;
            }
            ctx.log(`viewer ${i + 1}: client ${client.pc.connectionState}, retrying`);
            await fetch(`${engine.url}${location}`, { method: 'DELETE' });
            await client.close();
          }
        }
        try {
          await Promise.all(clients.map((c) => c.waitForPackets(50, 30_000)));
        } catch (err) {
          const st = await (await fetch(`${engine.url}/api/cameras/${cameraId}/status`)).json();
          const states = clients.map((c) => `${c.pc.connectionState}:${c.received.packets}`);
          throw new Error(
            `${String(err)}\nclients: ${states.join(' ')}\nstatus: ${JSON.stringify(st)}\nengine: ${engine.output().slice(-3000)}`,
            { cause: err },
          );
        }
        // The window opens after the viewers have played a while (`--warmup-ms`): V8 compiles the
        // viewer path over the first ~20 s of the first viewer (a one-off cost, not a per-viewer one).
        await sleep(warmupMs);
        const sentBytes = async (): Promise<{ bytes: number; stalls: number }> => {
          const r = (await (
            await fetch(`${engine.url}/api/cameras/${cameraId}/status`)
          ).json()) as {
            streams: { main?: { liveViewers?: { bytesSent: number; stalls: number }[] } };
          };
          const v = r.streams.main?.liveViewers ?? [];
          return {
            bytes: v.reduce((a, x) => a + x.bytesSent, 0),
            stalls: v.reduce((a, x) => a + x.stalls, 0),
          };
        };
        const received = () => clients.reduce((s, c) => s + c.received.bytes, 0);
        const bytes0 = received();
        const sent0 = await sentBytes();
        const t0 = performance.now();
        const cpu = await cpuOver(cpuWindowMs, `${n} viewers`);
        const seconds = (performance.now() - t0) / 1000;
        const sent1 = await sentBytes();
        const perViewerKbps = ((received() - bytes0) * 8) / 1000 / seconds / n;
        const sentKbps = ((sent1.bytes - sent0.bytes) * 8) / 1000 / seconds / n;
        for (const loc of locations) await fetch(`${engine.url}${loc}`, { method: 'DELETE' });
        await Promise.all(clients.splice(0).map((c) => c.close()));
        await sleep(3000);
        const idleAfter = await cpuOver(cpuWindowMs, 'idle');
        const idle = (idleBefore + idleAfter) / 2;
        const perViewer = ((cpu - idle) / n) * 100;
        ctx.log(
          `${n} viewers: engine ${(cpu * 100).toFixed(1)} % of a core (idle before ${(idleBefore * 100).toFixed(1)} %, after ${(idleAfter * 100).toFixed(1)} %), ${perViewer.toFixed(2)} % per viewer, sent ${sentKbps.toFixed(0)} / received ${perViewerKbps.toFixed(0)} kbit/s each, ${sent1.stalls} stalls`,
        );
        idleBefore = idleAfter;
        const closes =
          engine.output().match(/"reason":"[a-z-]+"[^\n]*"msg":"viewer closed"/g) ?? [];
        if (closes.length > 0)
          ctx.log(
            `viewer closes so far: ${closes.map((c) => /"reason":"([a-z-]+)"/.exec(c)![1]).join(', ')}`,
          );
        const label = `${n} viewer${n > 1 ? 's' : ''}`;
        rows.push(
          {
            case: label,
            metric: 'engine CPU per viewer',
            value: Number(perViewer.toFixed(2)),
            unit: '% core',
          },
          {
            case: label,
            metric: 'engine CPU total',
            value: Number((cpu * 100).toFixed(1)),
            unit: '% core',
          },
          {
            case: label,
            metric: 'sent per viewer (engine)',
            value: Math.round(sentKbps),
            unit: 'kbit/s',
          },
          {
            case: label,
            metric: 'received per viewer',
            value: Math.round(perViewerKbps),
            unit: 'kbit/s',
          },
        );
      }
      return { rows, summary };
    } finally {
      await Promise.all(clients.map((c) => c.close()));
      ffmpeg.kill('SIGKILL');
      await rtsp.close();
    }
  },
};
