// Live view in Chromium against the headless engine with the demo cameras: WebRTC (WHEP) frames
// really advance at the stream's size, many viewers at once, a camera restart is survived without a
// reload, closing the page frees the session, error statuses, and live HLS in hls.js.
import path from 'node:path';
import type { Page } from '@playwright/test';
import { RtspServer } from '../src-main/camera/rtsp';
import { ARTIFACTS, REPO_ROOT, expect, test } from './fixtures/engine';
import type { RunningEngine } from './fixtures/engine';
import { LIVE_CLIENT_JS } from './fixtures/live-client';

interface ViewerStats {
  status: number;
  error: string | null;
  location: string | null;
  frames: number;
  width?: number;
  height?: number;
  videoWidth: number;
  videoHeight: number;
  firstFrameMs: number | null;
  connectionState: string;
}

interface Camera {
  id: string;
  name: string;
  streams: { main: { url: string }; sub?: { url: string } };
}

interface StreamStatus {
  width?: number;
  height?: number;
  viewers?: number;
  webrtcViewers?: number;
  hlsClients?: number;
  reconnects?: number;
  state: string;
}

async function openLivePage(page: Page, engine: RunningEngine): Promise<void> {
  await page.goto(`${engine.url}/api/health`);
  await page.addScriptTag({ content: LIVE_CLIENT_JS });
}

const startWhep = (page: Page, cameraId: string, stream: string) =>
  page.evaluate(
    ([id, s]) =>
      (
        window as unknown as { nvrLive: { startWhep(p: string): Promise<number> } }
      ).nvrLive.startWhep(`/api/cameras/${id}/whep?stream=${s}`),
    [cameraId, stream] as const,
  );

const stats = (page: Page, id: number) =>
  page.evaluate(
    (i) => (window as unknown as { nvrLive: { stats(i: number): ViewerStats } }).nvrLive.stats(i),
    id,
  );

async function framesReach(
  page: Page,
  id: number,
  frames: number,
  timeout = 15_000,
): Promise<ViewerStats> {
  try {
    await expect
      .poll(async () => (await stats(page, id)).frames, { timeout, message: `viewer ${id} frames` })
      .toBeGreaterThanOrEqual(frames);
  } catch (err) {
    throw new Error(`${String(err)}\nviewer state: ${JSON.stringify(await stats(page, id))}`, {
      cause: err,
    });
  }
  return stats(page, id);
}

async function cameras(engine: RunningEngine): Promise<Camera[]> {
  return (await (await fetch(`${engine.url}/api/cameras`)).json()) as Camera[];
}

async function streamStatus(engine: RunningEngine, id: string, stream: 'main' | 'sub') {
  const status = (await (await fetch(`${engine.url}/api/cameras/${id}/status`)).json()) as {
    streams: Record<string, StreamStatus | undefined>;
  };
  return status.streams[stream];
}

async function cameraId(engine: RunningEngine, name: string): Promise<string> {
  const cam = (await cameras(engine)).find((c) => c.name === name);
  if (!cam) throw new Error(`no demo camera ${name}`);
  return cam.id;
}

async function addCamera(engine: RunningEngine, name: string, url: string): Promise<string> {
  const res = await fetch(`${engine.url}/api/cameras`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name,
      streams: { main: { url } },
      transport: 'tcp',
      recording: { mode: 'off', retentionDays: 1, recordSub: false },
    }),
  });
  expect(res.status).toBeLessThan(300);
  return ((await res.json()) as Camera).id;
}

async function deleteCamera(engine: RunningEngine, id: string): Promise<void> {
  await fetch(`${engine.url}/api/cameras/${id}`, { method: 'DELETE' });
}

test.describe('live view over WebRTC', () => {
  test('frames advance and the picture has the stream size (sub and main)', async ({
    page,
    engine,
  }) => {
    await openLivePage(page, engine);
    const door = await cameraId(engine, 'Door');
    await expect.poll(async () => (await streamStatus(engine, door, 'main'))?.width).toBeTruthy();
    const sub = await startWhep(page, door, 'sub');
    const main = await startWhep(page, door, 'main');
    for (const [id, stream] of [
      [sub, 'sub'],
      [main, 'main'],
    ] as const) {
      const s = await framesReach(page, id, 20);
      expect(s.status).toBe(201);
      expect(s.location).toMatch(new RegExp(`^/api/cameras/${door}/whep/`));
      const st = await streamStatus(engine, door, stream);
      expect(s.videoWidth).toBe(st?.width);
      expect(s.videoHeight).toBe(st?.height);
      expect(s.firstFrameMs).not.toBeNull();
      expect(s.firstFrameMs!).toBeLessThan(3000);
    }
    await page.evaluate(async () => {
      const live = (
        window as unknown as {
          nvrLive: { viewers: Map<number, unknown>; stop(i: number): Promise<void> };
        }
      ).nvrLive;
      for (const id of [...live.viewers.keys()]) await live.stop(id);
    });
    await expect.poll(async () => (await streamStatus(engine, door, 'sub'))?.viewers ?? 0).toBe(0);
  });

  test('eight viewers of one camera all play', async ({ page, engine }) => {
    await openLivePage(page, engine);
    const yard = await cameraId(engine, 'Yard');
    const ids: number[] = [];
    for (let i = 0; i < 8; i++) ids.push(await startWhep(page, yard, 'sub'));
    for (const id of ids) {
      const s = await framesReach(page, id, 15);
      expect(s.status).toBe(201);
    }
    await expect.poll(async () => (await streamStatus(engine, yard, 'sub'))?.viewers).toBe(8);
    expect((await streamStatus(engine, yard, 'sub'))?.webrtcViewers).toBe(8);
    await page.screenshot({ path: path.join(ARTIFACTS, 'live-8-viewers.png') });
    await page.close();
    await expect
      .poll(async () => (await streamStatus(engine, yard, 'sub'))?.viewers ?? 0, {
        timeout: 30_000,
      })
      .toBe(0);
  });

  test('sixteen viewers of sixteen cameras all play', async ({ page, engine }) => {
    test.setTimeout(120_000);
    const demo = await cameras(engine);
    const subUrls = demo.map((c) => c.streams.sub?.url).filter((u): u is string => !!u);
    const added: string[] = [];
    try {
      for (let i = 0; i < 12; i++)
        added.push(await addCamera(engine, `Extra ${i + 1}`, subUrls[i % subUrls.length]!));
      await openLivePage(page, engine);
      const targets: [string, string][] = [
        ...demo.map((c) => [c.id, 'sub'] as [string, string]),
        ...added.map((id) => [id, 'main'] as [string, string]),
      ];
      expect(targets).toHaveLength(16);
      const ids: number[] = [];
      for (const [id, stream] of targets) ids.push(await startWhep(page, id, stream));
      for (const id of ids) {
        const s = await framesReach(page, id, 15, 30_000);
        expect(s.status).toBe(201);
        expect(s.videoWidth).toBeGreaterThan(0);
      }
      await page.screenshot({ path: path.join(ARTIFACTS, 'live-16-cameras.png') });
    } finally {
      await page.close();
      for (const id of added) await deleteCamera(engine, id);
    }
  });

  test('an RTSP server restart is survived without a reload', async ({ page, engine }) => {
    const server = new RtspServer();
    await server.addClipStream('/cam/main', {
      file: path.join(REPO_ROOT, 'resources/demo/garage-sub.h264'),
    });
    const { port } = await server.listen({ host: '127.0.0.1', port: 0 });
    const id = await addCamera(engine, 'Restarting', `rtsp://127.0.0.1:${port}/cam/main`);
    try {
      await openLivePage(page, engine);
      await expect
        .poll(async () => (await streamStatus(engine, id, 'main'))?.state, { timeout: 15_000 })
        .toBe('streaming');
      const viewer = await startWhep(page, id, 'main');
      const before = await framesReach(page, viewer, 15);
      const reconnectsBefore = (await streamStatus(engine, id, 'main'))?.reconnects ?? 0;
      await server.restart();
      await expect
        .poll(async () => (await streamStatus(engine, id, 'main'))?.reconnects ?? 0, {
          timeout: 15_000,
        })
        .toBeGreaterThan(reconnectsBefore);
      const atReconnect = (await stats(page, viewer)).frames;
      expect(atReconnect).toBeGreaterThanOrEqual(before.frames);
      const after = await framesReach(page, viewer, atReconnect + 20, 20_000);
      expect(after.connectionState).toBe('connected');
      expect(after.videoWidth).toBe(before.videoWidth);
    } finally {
      await page.close();
      await deleteCamera(engine, id);
      await server.close();
    }
  });

  test('closing the page frees the session on the server', async ({ browser, engine }) => {
    const page = await browser.newPage();
    await openLivePage(page, engine);
    const garage = await cameraId(engine, 'Garage');
    const viewer = await startWhep(page, garage, 'sub');
    await framesReach(page, viewer, 10);
    await expect.poll(async () => (await streamStatus(engine, garage, 'sub'))?.viewers).toBe(1);
    await page.close();
    await expect
      .poll(async () => (await streamStatus(engine, garage, 'sub'))?.viewers ?? 0, {
        timeout: 30_000,
      })
      .toBe(0);
  });

  test('a malformed offer gets 400 and an unknown camera 404', async ({ page, engine }) => {
    const door = await cameraId(engine, 'Door');
    const bad = await page.request.post(`${engine.url}/api/cameras/${door}/whep?stream=sub`, {
      headers: { 'content-type': 'application/sdp' },
      data: 'v=0\r\nthis is not an offer\r\n',
    });
    expect(bad.status()).toBe(400);
    expect(((await bad.json()) as { error: { kind: string } }).error.kind).toBe('bad_request');
    await openLivePage(page, engine);
    const missing = await startWhep(page, 'no-such-camera', 'sub');
    const s = await stats(page, missing);
    expect(s.status).toBe(404);
    expect(s.error).toMatch(/not_found/);
  });
});

test.describe('live HLS', () => {
  test('plays in hls.js', async ({ page, engine }) => {
    await openLivePage(page, engine);
    await page.addScriptTag({ path: path.join(REPO_ROOT, 'node_modules/hls.js/dist/hls.min.js') });
    const door = await cameraId(engine, 'Door');
    const id = await page.evaluate(
      (u) =>
        (window as unknown as { nvrLive: { startHls(u: string): number } }).nvrLive.startHls(u),
      `/api/cameras/${door}/hls/live.m3u8?stream=sub`,
    );
    const s = await framesReach(page, id, 20, 30_000);
    expect(s.error).toBeNull();
    const st = await streamStatus(engine, door, 'sub');
    expect(s.videoWidth).toBe(st?.width);
    expect(st?.hlsClients).toBe(1); // hls.js fetched the newest segments
  });
});
