// seek: time from a seek in hls.js (Chromium) to the first frame shown, in an index of 30 days × 16
// cameras (synthetic rows of real shape) with 20 minutes of real clock video recorded into it. Hot: seeks
// inside a loaded 20-minute playlist; cold: a new playlist of the hour around T, then the frame at T
// (what clicking far away on a timeline costs). Every shown frame is checked against the drawn clock.
import http from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright-core';
import { createLogger, systemClock } from '../../src-main/base';
import { DAY_MS, PlaybackService, playbackResources } from '../../src-main/playback';
import type { PlaybackReply } from '../../src-main/playback';
import { frameAt, makeClockClip, recordClip } from '../../src-main/playback/testing';
import { CLOCK_READER_SOURCE } from '../../e2e/fixtures/clock-reader';
import type { ClockWindow } from '../../e2e/fixtures/clock-reader';
import { RecordingIndex, fillSyntheticIndex } from '../lib/synthetic-index';
import { percentile } from '../lib/percentile';
import type { BenchRow, Scenario } from '../lib/types';

const END_MS = Date.UTC(2026, 0, 31);

async function send(res: http.ServerResponse, reply: PlaybackReply): Promise<void> {
  res.writeHead(reply.status, { 'content-type': reply.contentType, ...reply.headers });
  if (typeof reply.body === 'string' || reply.body instanceof Uint8Array) res.end(reply.body);
  else await pipeline(reply.body, res).catch(() => undefined); // a seek aborts loads: close the file
}

export const seek: Scenario = {
  name: 'seek',
  description:
    'hls.js seek → first frame shown (Chromium), 30 days × 16 cameras in the index, 20 min of real video: hot seeks in a loaded playlist and cold seeks with a new playlist. Target p50 < 300 ms, p95 < 600 ms.',
  async run(ctx) {
    const cameras = Number(ctx.option('cameras', '16'));
    const days = Number(ctx.option('days', '30'));
    const minutes = Number(ctx.option('minutes', '20'));
    const hotSeeks = Number(ctx.option('seeks', '60'));
    const coldSeeks = Number(ctx.option('cold', '20'));
    const dir = ctx.tempDir();
    const realFrom = END_MS - 60 * 60_000;
    const realTo = realFrom + minutes * 60_000;

    ctx.log(`index: ${cameras} cameras × ${days} days …`);
    const index = RecordingIndex.open({ dataDir: dir, clock: { nowMs: () => END_MS } });
    fillSyntheticIndex(index, {
      cameras,
      days,
      endMs: END_MS,
      holeFor0: { fromMs: realFrom - 120_000, toMs: realTo + 120_000 },
    });
    ctx.log(`recording ${minutes} min of clock video …`);
    const clip = await makeClockClip(dir, { seconds: 60, fps: 25, gop: 25 });
    const frames = await recordClip({
      index,
      cameraId: 'cam-00',
      clip,
      startMs: realFrom,
      runs: [{ frames: minutes * 60 * 25 }],
    });
    const logger = createLogger({ level: 'error' });
    const service = new PlaybackService({
      index,
      dataDir: dir,
      ffmpegPath: undefined,
      clock: systemClock,
      logger,
    });
    const resources = playbackResources(service);
    const hlsJs = path.join(ctx.repoRoot, 'node_modules/hls.js/dist/hls.min.js');

    const server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const fail = (e: unknown) => {
        res.writeHead(500);
        res.end(String(e));
      };
      if (url.pathname === '/') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(
          `<!doctype html><script src="/hls.js"></script><script>${CLOCK_READER_SOURCE}</script><body></body>`,
        );
      } else if (url.pathname === '/hls.js') {
        void import('node:fs').then((fs) => {
          res.writeHead(200, { 'content-type': 'text/javascript' });
          fs.createReadStream(hlsJs).pipe(res);
        });
      } else if (url.pathname === '/vod.m3u8') {
        const from = Number(url.searchParams.get('from'));
        const to = Number(url.searchParams.get('to'));
        service
          .playlistReply({ cameraId: 'cam-00', stream: 'main', fromMs: from, toMs: to })
          .then((r) => send(res, r), fail);
      } else {
        const m = /^\/api\/segments\/(\d+)\.mp4$/.exec(url.pathname);
        if (!m) return fail('no route');
        const abort = new AbortController();
        resources
          .segmentFile(Number(m[1]), {
            signal: abort.signal,
            ...(req.headers.range ? { range: req.headers.range } : {}),
          })
          .then((r) => send(res, r), fail);
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const browser = await chromium.launch({
      executablePath: process.env.NVR_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--autoplay-policy=no-user-gesture-required'],
    });
    let seed = 12345;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = () => Math.round(realFrom + 2_000 + rnd() * (realTo - realFrom - 6_000));
    try {
      const page = await browser.newPage();
      await page.goto(`${base}/`);
      ctx.log(`hot: ${hotSeeks} seeks in one playlist …`);
      const hotTargets = Array.from({ length: hotSeeks }, pick);
      const hot = await page.evaluate(
        async ({ playlist, targets }) => {
          const w = window as unknown as ClockWindow;
          const video = document.createElement('video');
          video.muted = true;
          document.body.append(video);
          const hls = new w.Hls({ maxBufferLength: 4, backBufferLength: 10 });
          await new Promise<void>((resolve) => {
            hls.on(w.Hls.Events.MANIFEST_PARSED, () => resolve());
            hls.loadSource(playlist);
            hls.attachMedia(video);
          });
          const out: { ms: number; n: number; seekMs: number }[] = [];
          for (const ms of targets) {
            const pos = w.nvrClock.positionOf(hls, ms);
            if (pos === undefined) throw new Error(`no fragment holds ${ms}`);
            const seekMs: number = await w.nvrClock.seekTo(video, pos);
            out.push({ ms, n: w.nvrClock.readFrame(video), seekMs });
          }
          hls.destroy();
          video.remove();
          return out;
        },
        { playlist: `${base}/vod.m3u8?from=${realFrom}&to=${realTo}`, targets: hotTargets },
      );

      ctx.log(`cold: ${coldSeeks} new playlists …`);
      const cold: { ms: number; n: number; seekMs: number; playlistMs: number }[] = [];
      for (let i = 0; i < coldSeeks; i++) {
        const ms = pick();
        const from = Math.max(realFrom, ms - 30 * 60_000);
        const to = Math.min(realTo, ms + 30 * 60_000);
        const t0 = performance.now();
        const r = await page.evaluate(
          async ({ playlist, ms }) => {
            const w = window as unknown as ClockWindow;
            const t0 = performance.now();
            const video = document.createElement('video');
            video.muted = true;
            document.body.append(video);
            const hls = new w.Hls({ maxBufferLength: 4, autoStartLoad: false });
            await new Promise<void>((resolve) => {
              hls.on(w.Hls.Events.MANIFEST_PARSED, () => resolve());
              hls.loadSource(playlist);
              hls.attachMedia(video);
            });
            const playlistMs = performance.now() - t0;
            const pos = w.nvrClock.positionOf(hls, ms);
            if (pos === undefined) throw new Error(`no fragment holds ${ms}`);
            hls.startLoad(pos); // load where the user clicked, not at the start
            await w.nvrClock.seekTo(video, pos);
            const seekMs = performance.now() - t0;
            const n: number = w.nvrClock.readFrame(video);
            hls.destroy();
            video.remove();
            return { n, seekMs, playlistMs };
          },
          { playlist: `${base}/vod.m3u8?from=${from}&to=${to}`, ms },
        );
        void t0;
        cold.push({ ms, ...r });
      }
      const wrongHot = hot.filter((s) => s.n !== frameAt(frames, s.ms)!.n).length;
      const wrongCold = cold.filter((s) => s.n !== frameAt(frames, s.ms)!.n).length;
      const hotMs = hot.map((s) => s.seekMs);
      const coldMs = cold.map((s) => s.seekMs);
      const rows: BenchRow[] = [
        {
          case: `hot (${hotSeeks} seeks, loaded playlist)`,
          metric: 'seek → first frame p50',
          value: percentile(hotMs, 50),
          unit: 'ms',
        },
        {
          case: `hot (${hotSeeks} seeks, loaded playlist)`,
          metric: 'seek → first frame p95',
          value: percentile(hotMs, 95),
          unit: 'ms',
        },
        {
          case: `hot (${hotSeeks} seeks, loaded playlist)`,
          metric: 'frames not the one recorded at T',
          value: wrongHot,
          unit: '',
        },
        {
          case: `cold (${coldSeeks} new 1-h playlists)`,
          metric: 'new playlist → first frame p50',
          value: percentile(coldMs, 50),
          unit: 'ms',
        },
        {
          case: `cold (${coldSeeks} new 1-h playlists)`,
          metric: 'new playlist → first frame p95',
          value: percentile(coldMs, 95),
          unit: 'ms',
        },
        {
          case: `cold (${coldSeeks} new 1-h playlists)`,
          metric: 'of which playlist loaded p50',
          value: percentile(
            cold.map((c) => c.playlistMs),
            50,
          ),
          unit: 'ms',
        },
        {
          case: `cold (${coldSeeks} new 1-h playlists)`,
          metric: 'frames not the one recorded at T',
          value: wrongCold,
          unit: '',
        },
      ];
      return {
        rows,
        summary: {
          cameras,
          days,
          minutes,
          indexDays: (days * DAY_MS) / DAY_MS,
          hotP50: percentile(hotMs, 50),
          hotP95: percentile(hotMs, 95),
          coldP50: percentile(coldMs, 50),
          coldP95: percentile(coldMs, 95),
          wrongHot,
          wrongCold,
        },
      };
    } finally {
      await browser.close();
      await new Promise((r) => server.close(r));
      await service.dispose();
      index.close();
    }
  },
};
