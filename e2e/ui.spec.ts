// The renderer against the demo engine: tiles play live video over WebRTC, clicking the timeline switches
// every tile to hls.js playback of that moment, LIVE returns; export runs to a download link. Screenshots
// at 1440×900 under e2e/artifacts.
import path from 'node:path';
import { ARTIFACTS, expect, test } from './fixtures/engine';
import { framesOver } from './fixtures/video-frames';

test.describe('ui', () => {
  test('live tiles, timeline playback, LIVE returns', async ({ page, engine }) => {
    test.setTimeout(90_000);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const offers: string[] = [];
    page.on('request', (r) => {
      const m = /\/api\/cameras\/([^/]+)\/whep\?stream=(\w+)$/.exec(r.url());
      if (r.method() === 'POST' && m) offers.push(`${m[1]}:${m[2]}`);
    });

    await page.goto(engine.url);
    await expect(page.locator('[data-testid=tile][data-camera-id]')).toHaveCount(4);

    // Live: every tile plays its sub stream over WebRTC.
    const tiles = page.locator('[data-testid=tile][data-camera-id]');
    await expect(tiles.locator('video[data-testid=live-video][data-transport=webrtc]')).toHaveCount(
      4,
    );
    for (const tile of await tiles.all())
      await expect(tile).toHaveAttribute('data-player', 'live', { timeout: 20_000 });
    // One session per tile: those started ahead of the first render were taken over, not doubled.
    const shown = await tiles.evaluateAll((els) =>
      els.map((e) => `${e.getAttribute('data-camera-id')}:sub`),
    );
    expect(offers.slice().sort()).toEqual(shown.slice().sort());
    await expect(tiles.first().getByTestId('tile-state')).toHaveText(/live/);
    expect(await framesOver(page, '[data-testid=tile] video', 1_500)).toBeGreaterThan(5);
    await tiles.first().hover();
    await expect(tiles.first().getByTestId('tile-facts')).toContainText('fps');
    await page.screenshot({ path: path.join(ARTIFACTS, 'ui-live.png') });

    // Maximize: the main stream; Esc returns.
    await tiles.first().dblclick();
    await expect(page.getByTestId('tile')).toHaveCount(1);
    await expect(page.locator('[data-testid=tile]')).toHaveAttribute('data-player', 'live', {
      timeout: 20_000,
    });
    await page.screenshot({ path: path.join(ARTIFACTS, 'ui-maximized.png') });
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('tile')).toHaveCount(4);

    // Wait for some recorded video, then click the timeline a little before now.
    const camId = await tiles.first().getAttribute('data-camera-id');
    await expect
      .poll(
        async () => {
          const r = await fetch(
            `${engine.url}/api/cameras/${camId}/recordings?from=0&to=${Date.now() + 60_000}`,
          );
          const ranges = ((await r.json()) as { ranges: { startMs: number; endMs: number }[] })
            .ranges;
          return ranges.reduce((a, x) => a + (x.endMs - x.startMs), 0);
        },
        { timeout: 40_000, intervals: [1_000] },
      )
      .toBeGreaterThan(20_000);
    // Zoom in to about 4 minutes: the live edge sits at 92 % of the width, 4 % before it is ~10 s ago.
    for (let i = 0; i < 10; i++) await page.getByRole('button', { name: 'Zoom in' }).click();
    const canvas = page.getByTestId('timeline-canvas');
    const box = (await canvas.boundingBox())!;
    await canvas.click({ position: { x: box.width * 0.88, y: box.height / 2 } });
    await expect(page.getByTestId('live-indicator')).toHaveText('GO LIVE');
    await expect(tiles.locator('video[data-testid=playback-video]')).toHaveCount(4);
    await expect(tiles.first()).toHaveAttribute('data-player', 'playing', { timeout: 20_000 });
    const before = await page.evaluate(
      () => document.querySelector<HTMLVideoElement>('[data-testid=playback-video]')!.currentTime,
    );
    await expect
      .poll(() =>
        page.evaluate(
          () =>
            document.querySelector<HTMLVideoElement>('[data-testid=playback-video]')!.currentTime,
        ),
      )
      .toBeGreaterThan(before + 0.5);
    await expect(page.getByTestId('clock')).toHaveText(/\d{2}:\d{2}:\d{2}\.\d$/);
    // Hovering a recorded stretch of a row previews that moment.
    await canvas.hover({ position: { x: box.width * 0.87, y: 22 + 11 } });
    await expect(page.getByTestId('timeline-thumb').locator('img')).toBeVisible();
    await expect
      .poll(() =>
        page
          .getByTestId('timeline-thumb')
          .locator('img')
          .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth),
      )
      .toBeGreaterThan(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'ui-playback.png') });
    await page.mouse.move(10, 10);

    // Pause holds the picture; LIVE returns to WebRTC.
    await page.keyboard.press(' ');
    await expect(tiles.first()).toHaveAttribute('data-player', 'paused');
    await page.getByTestId('live-indicator').click();
    await expect(page.getByTestId('live-indicator')).toHaveText('LIVE');
    await expect(tiles.locator('video[data-testid=live-video]')).toHaveCount(4);
    await expect(tiles.first()).toHaveAttribute('data-player', 'live', { timeout: 20_000 });
    expect(errors).toEqual([]);
  });

  test('export: the last minute of one camera runs to a download link', async ({
    page,
    engine,
  }) => {
    test.setTimeout(90_000);
    await page.goto(engine.url);
    await expect(page.locator('[data-testid=tile][data-camera-id]')).toHaveCount(4);
    await page.keyboard.press('e');
    const dialog = page.getByRole('dialog', { name: 'Export' });
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: '60 s' }).click();
    // one camera only
    const boxes = dialog.getByRole('checkbox');
    for (let i = 1; i < (await boxes.count()); i++) await boxes.nth(i).uncheck();
    await dialog.getByTestId('export-start').click();
    await expect(dialog.getByTestId('export-job')).toHaveCount(1);
    await expect(dialog.getByTestId('export-job')).toHaveAttribute('data-state', 'done', {
      timeout: 60_000,
    });
    const href = await dialog.getByTestId('export-download').getAttribute('href');
    const res = await fetch(new URL(href!, engine.url));
    expect(res.status).toBe(200);
    expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(10_000);
    await page.screenshot({ path: path.join(ARTIFACTS, 'ui-export.png') });
  });

  test('status panel, add a camera by RTSP URL, its settings, delete it', async ({
    page,
    engine,
  }) => {
    await page.goto(engine.url);
    await expect(page.locator('[data-testid=tile][data-camera-id]')).toHaveCount(4);

    await page
      .getByRole('button', { name: /settings|status/i })
      .first()
      .click();
    await expect(page.getByTestId('disk-forecast')).toContainText('Holds');
    await page.screenshot({ path: path.join(ARTIFACTS, 'ui-status.png') });
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Add camera' }).first().click();
    const add = page.getByRole('dialog', { name: 'Add camera' });
    await add.getByRole('tab', { name: 'RTSP URL' }).click();
    await add.getByLabel('Name').fill('Gate');
    await add.getByLabel('Main stream URL').fill('rtsp://127.0.0.1:9/nothing');
    await page.screenshot({ path: path.join(ARTIFACTS, 'ui-add-camera.png') });
    await add.getByRole('button', { name: 'Add camera' }).click();
    await expect(add).toBeHidden();
    await expect(page.getByTestId('camera-row')).toHaveCount(5);

    // The new camera cannot connect: its tile says so in words, with a way to its settings.
    // Place it: select an empty tile of the 3×3 grid, then pick the camera in the sidebar.
    await page.keyboard.press('3');
    await page.locator('[data-testid=tile][data-empty]').first().click();
    await page.getByTestId('camera-row').filter({ hasText: 'Gate' }).click();
    const tile = page.locator('[data-testid=tile][aria-label^="Gate"]');
    await expect(tile.getByTestId('tile-state')).toHaveText(/offline|reconnecting|connecting/, {
      timeout: 20_000,
    });
    await page.screenshot({ path: path.join(ARTIFACTS, 'ui-offline-tile.png') });
    await tile.hover();
    await tile.getByRole('button', { name: 'Settings of Gate' }).click();
    const settings = page.getByRole('dialog', { name: /Camera settings/ });
    await expect(settings.getByLabel('Main stream URL')).toHaveValue('rtsp://127.0.0.1:9/nothing');
    await settings.getByRole('button', { name: 'Delete…' }).click();
    await settings.getByRole('button', { name: 'Delete Gate for good' }).click();
    await expect(settings).toBeHidden();
    await expect(page.getByTestId('camera-row')).toHaveCount(4);
  });

  test('without WebRTC the tiles fall back to live HLS', async ({ browser, engine }) => {
    test.setTimeout(60_000);
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    try {
      await page.addInitScript(() => {
        // A browser without WebRTC: constructing a peer connection throws.
        (window as unknown as { RTCPeerConnection: unknown }).RTCPeerConnection = function () {
          throw new Error('RTCPeerConnection is disabled');
        };
      });
      await page.goto(engine.url);
      const tiles = page.locator('[data-testid=tile][data-camera-id]');
      await expect(tiles.locator('video[data-transport=hls]')).toHaveCount(4);
      await expect(tiles.first()).toHaveAttribute('data-player', 'hls', { timeout: 30_000 });
      await expect(tiles.first().getByTestId('tile-state')).toHaveText(/live \(HLS\)/);
      expect(await framesOver(page, '[data-testid=tile] video', 1_500)).toBeGreaterThan(3);
    } finally {
      await page.close();
    }
  });
});
