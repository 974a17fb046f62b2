// Playback in Chromium with hls.js: the engine records a camera filming a clock (frame numbers drawn as
// blocks), then the page loads the byte-range VOD playlist, seeks to wall-clock times through
// EXT-X-PROGRAM-DATE-TIME and reads the shown frame back from a canvas: it must be the frame recorded at T.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { ARTIFACTS, REPO_ROOT, startEngine, type EngineHandle } from './fixtures/engine-process';
import { CLOCK_READER_SOURCE } from './fixtures/clock-reader';
import type { ClockWindow } from './fixtures/clock-reader';

const FRAME_MS = 40;
let camera: ChildProcess | undefined;
let engine: EngineHandle | undefined;

test.afterAll(async () => {
  await engine?.stop();
  camera?.kill('SIGTERM');
});

async function startClockCamera(): Promise<string> {
  const tsx = path.join(REPO_ROOT, 'node_modules/.bin/tsx');
  camera = spawn(tsx, [path.join(REPO_ROOT, 'e2e/fixtures/clock-camera.ts')], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    camera!.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /CLOCK_CAMERA (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    camera!.once('exit', (code) => reject(new Error(`clock camera exited (${code})`)));
  });
}

test('seeking hls.js to a wall-clock time shows the frame recorded then', async ({ page }) => {
  test.setTimeout(120_000);
  const rtspUrl = await startClockCamera();
  engine = await startEngine({ demo: false });
  const base = engine.url;
  const added = await fetch(`${base}/api/cameras`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Clock', transport: 'tcp', streams: { main: { url: rtspUrl } } }),
  });
  expect(added.status).toBe(201);
  const { id } = (await added.json()) as { id: string };

  let range: { startMs: number; endMs: number } | undefined;
  await expect
    .poll(
      async () => {
        const r = await fetch(
          `${base}/api/cameras/${id}/recordings?from=0&to=${Date.now() + 60_000}`,
        );
        range = ((await r.json()) as { ranges: { startMs: number; endMs: number }[] }).ranges[0];
        return range ? range.endMs - range.startMs : 0;
      },
      { timeout: 40_000, intervals: [500] },
    )
    .toBeGreaterThan(12_000);
  const { startMs } = range!;

  await page.goto(`${base}/api/health`);
  await page.addScriptTag({ path: path.join(REPO_ROOT, 'node_modules/hls.js/dist/hls.min.js') });
  await page.addScriptTag({ content: CLOCK_READER_SOURCE });

  // The frame number at the start of the recording, from a snapshot (its own test checks it exactly).
  const n0 = await page.evaluate(async (url) => {
    const img = new Image();
    img.src = url;
    await img.decode();
    return (window as unknown as ClockWindow).nvrClock.readFrame(img);
  }, `${base}/api/cameras/${id}/snapshot?time=${startMs}`);

  const playlist = `${base}/api/cameras/${id}/hls/vod.m3u8?from=${startMs}&to=${startMs + 12_000}`;
  const targets = [5, 61, 140, 222, 33, 271].map((k) => ({
    k,
    ms: startMs + k * FRAME_MS + FRAME_MS / 2,
  }));
  const seen = await page.evaluate(
    async ({ playlist, targets }) => {
      const w = window as unknown as ClockWindow;
      const video = document.createElement('video');
      video.muted = true;
      video.width = 640;
      document.body.append(video);
      const hls = new w.Hls({ maxBufferLength: 4 });
      await new Promise<void>((resolve) => {
        hls.on(w.Hls.Events.MANIFEST_PARSED, () => resolve());
        hls.loadSource(playlist);
        hls.attachMedia(video);
      });
      const out: { ms: number; n: number; seekMs: number }[] = [];
      for (const t of targets) {
        const pos = w.nvrClock.positionOf(hls, t.ms);
        if (pos === undefined) throw new Error(`no fragment for ${t.ms}`);
        const seekMs = await w.nvrClock.seekTo(video, pos);
        out.push({ ms: t.ms, n: w.nvrClock.readFrame(video), seekMs });
      }
      return out;
    },
    { playlist, targets },
  );
  await page.screenshot({ path: path.join(ARTIFACTS, 'playback-seek.png') });
  for (const [i, t] of targets.entries()) {
    expect(seen[i]!.n, `seek to +${t.k} frames`).toBe(n0 + t.k);
  }
});
