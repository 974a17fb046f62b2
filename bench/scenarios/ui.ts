// ui: the renderer in Debian's Chromium against the headless engine. (a) 16 live tiles (4 demo scenes
// added 4× each through the API, sub streams over WebRTC): decoded frames vs the source frame rate and
// dropped frames over --seconds (getVideoPlaybackQuality); (c) navigation start → the first tile's first
// frame (requestVideoFrameCallback) over --loads fresh loads; (b) the timeline's frame rate while a
// scripted drag scrubs across 64 cameras × 30 days seeded into the engine's index (the app's
// TimelinePanel alone on a harness page, every camera a row).
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { api, launch, timelineScrub } from './ui-timeline';
import { percentile } from '../lib/percentile';
import type { BenchContext, BenchRow, Scenario } from '../lib/types';

/** Layout key per tile count (4×4 by default; `--tiles 4` for a 2×2 comparison). */
const LAYOUT_KEY: Record<number, string> = { 1: '1', 4: '2', 9: '3', 16: '4', 25: '5' };

interface CameraLite {
  id: string;
  name: string;
  streams: { main: { url: string }; sub?: { url: string } };
}

/** Records the time (ms since navigation start) of every <video>'s first frame. */
const FIRST_FRAME_JS = `
window.nvrFirstFrames = [];
(() => {
  const seen = new WeakSet();
  const hook = () => {
    for (const v of document.querySelectorAll('video')) {
      if (seen.has(v)) continue;
      seen.add(v);
      v.requestVideoFrameCallback((now) => window.nvrFirstFrames.push(now));
    }
  };
  new MutationObserver(hook).observe(document, { subtree: true, childList: true });
  // Peer connection milestones: ICE connected, DTLS connected (the first of every tile's).
  window.nvrPeer = {};
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = function (...args) {
    const pc = new Native(...args);
    const mark = (k) => (window.nvrPeer[k] ??= performance.now());
    pc.addEventListener('iceconnectionstatechange', () => {
      if (pc.iceConnectionState === 'connected') mark('ice');
    });
    pc.addEventListener('connectionstatechange', () => {
      if (pc.connectionState === 'connected') mark('dtls');
    });
    pc.addEventListener('track', () => mark('track'));
    return pc;
  };
  window.RTCPeerConnection.prototype = Native.prototype;
})();`;

async function liveTiles(ctx: BenchContext, rows: BenchRow[], summary: Record<string, number>) {
  const seconds = Number(ctx.option('seconds', '60'));
  const TILES = Number(ctx.option('tiles', '16'));
  if (!LAYOUT_KEY[TILES]) throw new Error('--tiles must be 1, 4, 9, 16 or 25');
  const loads = Number(ctx.option('loads', '3'));
  const engine = await ctx.startEngine({ demo: true });
  const demo = await api<CameraLite[]>(engine.url, 'GET', '/api/cameras');
  for (let i = demo.length; i < TILES; i++) {
    const src = demo[i % demo.length]!;
    await api(engine.url, 'POST', '/api/cameras', {
      name: `${src.name} ${Math.floor(i / demo.length) + 1}`,
      streams: src.streams,
      recording: { mode: 'off' },
    });
  }
  const cams = await api<CameraLite[]>(engine.url, 'GET', '/api/cameras');
  // Measure against a warm engine: every camera streaming (a cold start adds RTSP set-up and the wait
  // for the cameras' first keyframes, which is the engine's start-up, not the page's).
  const tw = performance.now();
  for (;;) {
    const states = await Promise.all(
      cams.map((c) => api<{ state: string }>(engine.url, 'GET', `/api/cameras/${c.id}/status`)),
    );
    if (states.every((st) => st.state === 'streaming')) break;
    if (performance.now() - tw > 60_000) throw new Error('cameras did not all start streaming');
    await sleep(500);
  }
  await sleep(3_000);
  ctx.log(`${cams.length} cameras streaming (${demo.length} demo scenes); loading the app …`);
  const browser = await launch();
  try {
    // (c) fresh loads: navigation start → first frame of the first tile, and of every tile shown.
    const first: number[] = [];
    const all: number[] = [];
    const whepSent: number[] = [];
    const whepAnswered: number[] = [];
    const iceConnected: number[] = [];
    const dtlsConnected: number[] = [];
    let shown = 0;
    for (let i = 0; i < loads; i++) {
      const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
      await page.addInitScript(FIRST_FRAME_JS);
      await page.goto(engine.url);
      await page.locator('[data-testid=tile][data-camera-id]').first().waitFor({ timeout: 30_000 });
      shown = await page.locator('[data-testid=tile][data-camera-id]').count();
      await page.waitForFunction(
        (n) => (window as unknown as { nvrFirstFrames: number[] }).nvrFirstFrames.length >= n,
        Math.max(1, shown),
        { timeout: 30_000 },
      );
      const t = await page.evaluate(() =>
        (window as unknown as { nvrFirstFrames: number[] }).nvrFirstFrames
          .slice()
          .sort((a, b) => a - b),
      );
      const whep = await page.evaluate(() =>
        performance
          .getEntriesByType('resource')
          .filter((e) => e.name.includes('/whep'))
          .map((e) => [e.startTime, (e as PerformanceResourceTiming).responseEnd]),
      );
      const peer = await page.evaluate(
        () => (window as unknown as { nvrPeer: Record<string, number> }).nvrPeer,
      );
      iceConnected.push(peer.ice ?? NaN);
      dtlsConnected.push(peer.dtls ?? NaN);
      whepSent.push(Math.min(...whep.map((w) => w[0]!)));
      whepAnswered.push(Math.min(...whep.map((w) => w[1]!)));
      first.push(t[0]!);
      all.push(t[Math.max(0, shown - 1)]!);
      await page.close();
      await sleep(1_500);
    }
    summary.firstPaintLoads = loads;
    const loadCase = `first load, ${shown} tiles shown`;
    const median = (metric: string, values: number[]): BenchRow => ({
      case: loadCase,
      metric: `nav start → ${metric} (median)`,
      value: Math.round(percentile(values, 50)),
      unit: 'ms',
    });
    rows.push(
      { ...median('first tile frame', first), reference: 1500, referenceName: 'target' },
      {
        case: loadCase,
        metric: `nav start → first tile frame (slowest of ${loads})`,
        value: Math.round(Math.max(...first)),
        unit: 'ms',
      },
      median('every shown tile has a frame', all),
      median('first WHEP offer sent', whepSent),
      median('first WHEP answer', whepAnswered),
      median('first ICE connected', iceConnected),
      median('first DTLS connected', dtlsConnected),
    );

    // (a) 4×4: every tile live, then frames decoded / dropped over `seconds`.
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(engine.url);
    await page.locator('[data-testid=tile][data-camera-id]').first().waitFor({ timeout: 30_000 });
    await page.keyboard.press(LAYOUT_KEY[TILES]!);
    // "All cameras" fills the 4×4 grid with every camera (a 2×2 start leaves 12 tiles empty).
    await page
      .getByTestId('sidebar-views')
      .getByRole('button', { name: /All cameras/ })
      .click();
    const videos = page.locator('[data-testid=tile] video[data-testid=live-video]');
    const t0 = performance.now();
    while ((await videos.count()) < TILES) {
      if (performance.now() - t0 > 30_000) {
        const states = await page
          .locator('[data-testid=tile]')
          .evaluateAll((els) =>
            els.map((e) => `${e.getAttribute('data-camera-id')}:${e.getAttribute('data-player')}`),
          );
        await page.screenshot({
          path: path.join(ctx.option('shots', '/tmp'), 'ui-bench-fail.png'),
        });
        throw new Error(`only ${await videos.count()} live tiles: ${states.join(' ')}`);
      }
      await sleep(250);
    }
    await page.waitForFunction(
      (n) =>
        [...document.querySelectorAll('video')].filter(
          (v) => v.getVideoPlaybackQuality().totalVideoFrames > 0,
        ).length >= n,
      TILES,
      { timeout: 40_000 },
    );
    await sleep(5_000); // settle (keyframe waits, jitter buffers)
    const sample = () =>
      page.evaluate(() =>
        [...document.querySelectorAll<HTMLVideoElement>('[data-testid=tile] video')].map((v) => {
          const q = v.getVideoPlaybackQuality();
          const tile = v.closest('[data-camera-id]');
          return {
            id: tile?.getAttribute('data-camera-id') ?? '',
            total: q.totalVideoFrames,
            dropped: q.droppedVideoFrames,
            at: performance.now(),
          };
        }),
      );
    const fpsOf = async (id: string) => {
      const st = await api<{ streams: { main?: { fps?: number }; sub?: { fps?: number } } }>(
        engine.url,
        'GET',
        `/api/cameras/${id}/status`,
      );
      return st.streams.sub?.fps ?? st.streams.main?.fps ?? 0;
    };
    const before = await sample();
    ctx.log(`${before.length} live tiles; measuring ${seconds} s …`);
    await sleep(seconds * 1000);
    const after = await sample();
    let decoded = 0;
    let dropped = 0;
    let expected = 0;
    let worstDropPct = 0;
    let worstRatio = Infinity;
    for (const a of after) {
      const b = before.find((x) => x.id === a.id);
      if (!b) continue;
      const sec = (a.at - b.at) / 1000;
      const d = a.total - b.total;
      const x = a.dropped - b.dropped;
      const exp = (await fpsOf(a.id)) * sec;
      decoded += d;
      dropped += x;
      expected += exp;
      worstDropPct = Math.max(worstDropPct, d > 0 ? (100 * x) / d : 100);
      if (exp > 0) worstRatio = Math.min(worstRatio, d / exp);
    }
    const shots = ctx.option('shots', '');
    if (shots) await page.screenshot({ path: path.join(shots, 'ui-bench-live.png') });
    await page.close();
    summary.liveSeconds = seconds;
    summary.liveTiles = after.length;
    rows.push(
      {
        case: `${after.length} live tiles, ${seconds} s`,
        metric: 'dropped frames (all tiles)',
        value: +((100 * dropped) / Math.max(1, decoded)).toFixed(2),
        unit: '%',
        reference: 1,
        referenceName: 'target',
      },
      {
        case: `${after.length} live tiles, ${seconds} s`,
        metric: 'dropped frames (worst tile)',
        value: +worstDropPct.toFixed(2),
        unit: '%',
      },
      {
        case: `${after.length} live tiles, ${seconds} s`,
        metric: 'decoded / source fps × time (all tiles)',
        value: +(decoded / Math.max(1, expected)).toFixed(3),
        unit: '×',
        reference: 1,
        referenceName: 'source',
      },
      {
        case: `${after.length} live tiles, ${seconds} s`,
        metric: 'decoded / source fps × time (worst tile)',
        value: +(Number.isFinite(worstRatio) ? worstRatio : 0).toFixed(3),
        unit: '×',
      },
    );
  } finally {
    await browser.close();
    await engine.stop();
  }
}

export const ui: Scenario = {
  name: 'ui',
  description:
    'Renderer in Chromium: 16 live tiles (dropped frames < 1 %, decoded = source fps), first grid paint < 1.5 s, timeline ≥ 50 fps while scrubbing 64 cameras × 30 days.',
  async run(ctx) {
    const rows: BenchRow[] = [];
    const summary: Record<string, number> = {};
    const only = ctx.option('only', 'all');
    if (only === 'all' || only === 'timeline') await timelineScrub(ctx, rows, summary);
    if (only === 'all' || only === 'live') await liveTiles(ctx, rows, summary);
    return { rows, summary };
  },
};
