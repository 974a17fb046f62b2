// ui (b): the timeline's frame rate while a scripted drag scrubs across 64 cameras × 30 days seeded into
// the engine's index; the app's TimelinePanel alone on a harness page (ui-timeline-harness.tsx, bundled
// with esbuild) over the HTTP transport, every camera a row. Also the API and browser helpers of `ui`.
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { encodeFragmentIndex, segmentRelativePath } from '../../src-main/storage';
import { RecordingIndex } from '../lib/synthetic-index';
import { percentile } from '../lib/percentile';
import type { BenchContext, BenchRow } from '../lib/types';

const DAY_MS = 86_400_000;

export async function api<T>(base: string, method: string, p: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${p}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.NVR_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--autoplay-policy=no-user-gesture-required'],
  });
}

/**
 * Seeds `cameras` × `days` of recordings (one run per camera-day, cut by a 10-min outage at a
 * camera-specific time, like bench/lib/synthetic-index) with `segmentMin`-minute segments: the timeline
 * draws ranges, not segments, so coarse rows give the same picture and seed in seconds instead of minutes.
 */
function seedIndex(
  dataDir: string,
  cameras: number,
  days: number,
  endMs: number,
  segmentMin: number,
) {
  const index = RecordingIndex.open({ dataDir, clock: { nowMs: () => Date.now() } });
  const segMs = segmentMin * 60_000;
  const blob = encodeFragmentIndex([
    {
      offset: 700,
      sizeBytes: 1_000,
      startPts90k: 0,
      duration90k: segMs * 90,
      sampleCount: 1,
      isKeyframe: true,
    },
  ]);
  const insert = index.db.prepare(
    `INSERT INTO segments (stream_id, run_id, start_ms, end_ms, path, size_bytes, init_size, codec, open,
       fragment_count, fragment_index) VALUES (?, ?, ?, ?, ?, ?, 700, 'avc1.64001f', 0, 1, ?)`,
  );
  const ids = Array.from({ length: cameras }, (_, c) => `cam-${String(c).padStart(2, '0')}`);
  const streamIds = ids.map((id) => index.streamId(id, 'main'));
  const perDay = DAY_MS / segMs;
  let n = 0;
  for (let d = 0; d < days; d++) {
    const dayStart = endMs - (days - d) * DAY_MS;
    index.transaction(() => {
      for (let c = 0; c < cameras; c++) {
        const outage = (c * 37 + d * 11) % (perDay - 2);
        let run = index.createRun({ cameraId: ids[c]!, stream: 'main', startMs: dayStart });
        for (let k = 0; k < perDay; k++) {
          const startMs = dayStart + k * segMs;
          if (k === outage) continue;
          if (k === outage + 1) {
            index.closeRun(run, 0);
            run = index.createRun({ cameraId: ids[c]!, stream: 'main', startMs });
          }
          insert.run(
            streamIds[c],
            run,
            startMs,
            startMs + segMs,
            segmentRelativePath(ids[c]!, 'main', startMs),
            1_700,
            blob,
          );
          n++;
        }
        index.closeRun(run, 0);
      }
    });
  }
  index.db
    .prepare(
      "INSERT INTO meta (key, value) VALUES ('max_segment_ms', ?) ON CONFLICT (key) DO UPDATE SET value = MAX(value, excluded.value)",
    )
    .run(segMs);
  index.close();
  return { cameraIds: ids, segments: n };
}

/** Serves the bundled harness and proxies /api to the engine (same origin for the HTTP transport). */
async function harnessServer(
  dir: string,
  engineUrl: string,
): Promise<{ url: string; close(): void }> {
  const { readFileSync } = await import('node:fs');
  const target = new URL(engineUrl);
  const server = http.createServer((req, res) => {
    const p = (req.url ?? '/').split('?')[0]!;
    if (p.startsWith('/api/')) {
      const up = http.request(
        {
          host: target.hostname,
          port: target.port,
          path: req.url,
          method: req.method,
          headers: req.headers,
        },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      up.on('error', () => res.writeHead(502).end());
      req.pipe(up);
      return;
    }
    const files: Record<string, [string, string]> = {
      '/': ['index.html', 'text/html'],
      '/h.js': ['ui-timeline-harness.js', 'text/javascript'],
      '/h.css': ['ui-timeline-harness.css', 'text/css'],
      '/s.css': ['styles.css', 'text/css'],
    };
    const f = files[p];
    if (!f) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': f[1] });
    res.end(readFileSync(path.join(dir, f[0])));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() };
}

export async function timelineScrub(
  ctx: BenchContext,
  rows: BenchRow[],
  summary: Record<string, number>,
) {
  const cameras = Number(ctx.option('cameras', '64'));
  const days = Number(ctx.option('days', '30'));
  const scrubSeconds = Number(ctx.option('scrub-seconds', '10'));
  const dataDir = ctx.tempDir();
  const endMs = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;
  const segmentMin = Number(ctx.option('segment-min', '10'));
  // The engine learns its streams when it opens the index and drops rows without files at start-up
  // (recovery): create the streams first, start the engine, then write runs and segments beside it.
  const cameraIds = Array.from({ length: cameras }, (_, c) => `cam-${String(c).padStart(2, '0')}`);
  const pre = RecordingIndex.open({ dataDir, clock: { nowMs: () => Date.now() } });
  for (const id of cameraIds) pre.streamId(id, 'main');
  pre.close();
  const engine = await ctx.startEngine({ demo: false, extraArgs: ['--data', dataDir] });
  ctx.log(`seeding the index: ${cameras} cameras × ${days} days …`);
  const { segments } = seedIndex(dataDir, cameras, days, endMs, segmentMin);
  ctx.log(`${segments} segments of ${segmentMin} min; loading the timeline …`);
  const outDir = ctx.tempDir();
  const server = await (async () => {
    for (const id of cameraIds) {
      const cam = await api<{ id: string }>(engine.url, 'POST', '/api/cameras', {
        name: id,
        enabled: false,
        streams: { main: { url: 'rtsp://127.0.0.1:9/none' } },
        recording: { mode: 'off', retentionDays: 3650 },
      });
      if (cam.id !== id) throw new Error(`camera ${id} got id ${cam.id}`);
    }
    await build({
      entryPoints: [
        path.join(ctx.repoRoot, 'bench/scenarios/ui-timeline-harness.tsx'),
        path.join(ctx.repoRoot, 'src-renderer/styles.css'),
      ],
      bundle: true,
      entryNames: '[name]',
      format: 'esm',
      jsx: 'automatic',
      minify: true,
      outdir: outDir,
      loader: { '.css': 'css' },
      define: { 'process.env.NODE_ENV': '"production"' },
      logLevel: 'error',
    });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      path.join(outDir, 'index.html'),
      '<!doctype html><html><head><link rel="stylesheet" href="/s.css"><link rel="stylesheet" href="/h.css"></head><body><div id="root"></div><script type="module" src="/h.js"></script></body></html>',
    );
    return harnessServer(outDir, engine.url);
  })();
  const browser = await launch();
  try {
    const page: Page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(server.url);
    const canvas = page.getByTestId('timeline-canvas');
    await page.waitForFunction(
      (n) =>
        document.querySelector('[data-testid=timeline-canvas]')?.getAttribute('data-rows') ===
        String(n),
      cameras,
      { timeout: 30_000 },
    );
    // Ranges of every row arrive with one getTimeline; give them a moment and time it.
    const tq = performance.now();
    const tl = await api<{ streams: { ranges: unknown[] }[] }>(
      engine.url,
      'POST',
      '/api/timeline',
      {
        cameraIds,
        from: endMs - 7 * DAY_MS,
        to: endMs,
      },
    );
    const rangesShown = tl.streams.reduce((n, st) => n + st.ranges.length, 0);
    if (rangesShown < cameras)
      throw new Error(`the engine sees ${rangesShown} ranges: seeding failed`);
    summary.timelineRanges7d = rangesShown;
    const timelineQueryMs = performance.now() - tq;
    await sleep(2_000);
    const box = (await canvas.boundingBox())!;
    // A string: tsx would wrap a named function passed to evaluate in a helper the page lacks.
    await page.evaluate(`(() => {
      window.nvrFrames = [];
      window.nvrRun = true;
      const loop = (t) => {
        window.nvrFrames.push(t);
        if (window.nvrRun) requestAnimationFrame(loop);
      };
      requestAnimationFrame(loop);
    })()`);
    // Scripted scrub: press in the ruler and sweep back and forth; halfway, scroll the rows.
    const y = box.y + 10;
    const x0 = box.x + box.width * 0.05;
    const x1 = box.x + box.width * 0.85;
    await page.mouse.move(x0, y);
    await page.mouse.down();
    const t0 = performance.now();
    let dir = 1;
    let x = x0;
    let scrolled = false;
    while (performance.now() - t0 < scrubSeconds * 1000) {
      x += dir * box.width * 0.01;
      if (x > x1 || x < x0) dir = -dir;
      await page.mouse.move(x, y);
      if (!scrolled && performance.now() - t0 > (scrubSeconds * 1000) / 2) {
        scrolled = true;
        await page.evaluate(() => document.querySelector('.tl-body')?.scrollBy(0, 600));
      }
    }
    await page.mouse.up();
    const shots = ctx.option('shots', '');
    if (shots) await page.screenshot({ path: path.join(shots, 'ui-bench-timeline.png') });
    const frames = await page.evaluate(() => {
      const w = window as unknown as { nvrFrames: number[]; nvrRun: boolean };
      w.nvrRun = false;
      return w.nvrFrames;
    });
    const dts = frames.slice(1).map((t, i) => t - frames[i]!);
    const elapsed = (frames.at(-1)! - frames[0]!) / 1000;
    const fps = dts.length / elapsed;
    const c = `${cameras} cameras × ${days} d (${segments} segments), scrub ${scrubSeconds} s`;
    summary.timelineCameras = cameras;
    summary.timelineDays = days;
    summary.timelineSegments = segments;
    rows.push(
      {
        case: c,
        metric: 'timeline frame rate while scrubbing',
        value: +fps.toFixed(1),
        unit: 'fps',
        reference: 50,
        referenceName: 'target',
      },
      { case: c, metric: 'frame time p50', value: +percentile(dts, 50).toFixed(1), unit: 'ms' },
      { case: c, metric: 'frame time p95', value: +percentile(dts, 95).toFixed(1), unit: 'ms' },
      { case: c, metric: 'frame time max', value: +Math.max(...dts).toFixed(1), unit: 'ms' },
      {
        case: `${cameras} cameras × 7 d window`,
        metric: 'POST /api/timeline (all rows)',
        value: Math.round(timelineQueryMs),
        unit: 'ms',
      },
    );
  } finally {
    await browser.close();
    server.close();
    await engine.stop();
  }
}
