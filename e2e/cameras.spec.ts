// The add-camera wizard's pictures (probed profiles, the RTSP URL Test), the PTZ pad on the demo's PTZ
// camera (Yard, linked to its fake ONVIF device) and the status panel's uptime and reconnects, against the
// demo engine. Adds no camera (the engine is shared with the other specs). Screenshots at 1920×1080 and
// 390×844 under e2e/artifacts.
import path from 'node:path';
import type { Page, Request } from '@playwright/test';
import type { Camera, PtzInfo } from '../src-preload/contract';
import { ARTIFACTS, expect, test } from './fixtures/engine';

const SIZES = [
  { name: 'desktop', width: 1920, height: 1080 },
  { name: 'phone', width: 390, height: 844 },
] as const;

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

async function openApp(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(page.locator('[data-testid=tile][data-camera-id]').first()).toBeVisible();
}

/** Every <img> in `selector` decoded to a real picture. */
async function allDecoded(page: Page, selector: string): Promise<number[]> {
  return page.$$eval(selector, (imgs) =>
    imgs.map((i) => ((i as HTMLImageElement).complete ? (i as HTMLImageElement).naturalWidth : 0)),
  );
}

test.describe('cameras', () => {
  test('wizard: probed profiles show pictures; RTSP URL Test shows one or the error', async ({
    page,
    engine,
  }) => {
    test.setTimeout(60_000);
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.setViewportSize({ width: 1920, height: 1080 });
    await openApp(page, engine.url);

    await page.getByRole('button', { name: 'Add camera' }).first().click();
    const add = page.getByRole('dialog', { name: 'Add camera' });
    const devices = add.getByRole('list', { name: 'Devices found' }).getByRole('button');
    await expect(devices.filter({ hasText: 'Demo Door' })).toHaveCount(1, { timeout: 15_000 });
    await devices.filter({ hasText: 'Demo Door' }).click();
    await add.getByLabel('User', { exact: true }).fill('demo');
    await add.getByLabel('Password', { exact: true }).fill('demo');
    await add.getByRole('button', { name: 'Connect' }).click();
    const rows = add.locator('tr[data-profile]');
    await expect(rows).toHaveCount(2);
    await expect(rows.locator('img')).toHaveCount(2, { timeout: 20_000 });
    await expect
      .poll(() => allDecoded(page, 'tr[data-profile] img'))
      .toEqual([expect.any(Number), expect.any(Number)]);
    expect((await allDecoded(page, 'tr[data-profile] img')).every((w) => w > 0)).toBe(true);
    await shot(page, 'cameras-wizard-profiles-1920');
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, 'cameras-wizard-profiles-390');
    await page.setViewportSize({ width: 1920, height: 1080 });

    // RTSP URL: the Door's main stream → picture and format; a closed port → the error in words.
    const cameras = (await (
      await page.request.get(`${engine.url}/api/cameras`)
    ).json()) as Camera[];
    const door = cameras.find((c) => c.name === 'Door')!;
    await add.getByRole('tab', { name: 'RTSP URL' }).click();
    await add.getByLabel('Main stream URL').fill(door.streams.main.url);
    await add.getByRole('button', { name: 'Test' }).click();
    const preview = add.locator('.preview[data-state=ok]');
    await expect(preview.locator('img')).toBeVisible({ timeout: 15_000 });
    await expect(preview).toContainText('H.264');
    await expect(preview).toContainText(/\d+×\d+/);
    expect((await allDecoded(page, '.preview[data-state=ok] img'))[0]).toBeGreaterThan(0);
    await shot(page, 'cameras-rtsp-test-ok-1920');

    await add.getByLabel('Main stream URL').fill('rtsp://127.0.0.1:9/nothing');
    await add.getByRole('button', { name: 'Test' }).click();
    const failed = add.locator('.preview[data-state=error]');
    await expect(failed).toContainText(/cannot reach/i, { timeout: 15_000 });
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, 'cameras-rtsp-test-error-390');
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
  });

  test('PTZ pad on the PTZ camera: hold to move, release to stop, keys only in the pad, presets', async ({
    page,
    engine,
  }) => {
    test.setTimeout(60_000);
    const ptz = (await (
      await page.request.get(`${engine.url}/api/cameras/yard/ptz`)
    ).json()) as PtzInfo;
    expect(ptz.supported).toBe(true);
    const noPtz = (await (
      await page.request.get(`${engine.url}/api/cameras/door/ptz`)
    ).json()) as PtzInfo;
    expect(noPtz.supported).toBe(false);

    await page.setViewportSize({ width: 1920, height: 1080 });
    await openApp(page, engine.url);
    const yard = page.locator('[data-testid=tile][data-camera-id=yard]');
    await expect(yard).toBeVisible();
    await expect(yard.getByTestId('ptz-pad')).toHaveCount(0);
    await yard.dblclick();
    const pad = page.getByTestId('ptz-pad');
    await expect(pad).toBeVisible({ timeout: 10_000 });
    await expect(page.locator('[data-testid=tile][data-camera-id=door]')).toBeHidden();

    const calls: { path: string; body: unknown; status: number }[] = [];
    const watch = async (r: Request) => {
      if (!/\/ptz\//.test(r.url())) return;
      const res = await r.response();
      calls.push({
        path: new URL(r.url()).pathname,
        body: r.postDataJSON() as unknown,
        status: res?.status() ?? 0,
      });
    };
    page.on('requestfinished', (r) => void watch(r));

    // Press and hold "up": a move (tilt up, with a safety timeout) until release, then a stop.
    const up = pad.getByRole('button', { name: 'Move up', exact: true });
    await up.hover();
    await page.mouse.down();
    await expect.poll(() => calls.filter((c) => c.path.endsWith('/ptz/move')).length).toBe(1);
    await expect(up).toHaveAttribute('data-active', 'true');
    await shot(page, 'cameras-ptz-1920');
    await page.mouse.up();
    await expect.poll(() => calls.filter((c) => c.path.endsWith('/ptz/stop')).length).toBe(1);
    const move = calls.find((c) => c.path.endsWith('/ptz/move'))!;
    expect(move.status).toBe(200);
    expect(move.body).toMatchObject({ pan: 0, zoom: 0, timeoutMs: expect.any(Number) });
    expect((move.body as { tilt: number }).tilt).toBeGreaterThan(0);
    expect(calls.find((c) => c.path.endsWith('/ptz/stop'))!.status).toBe(200);

    // ← inside the pad pans left and does not step the timeline (still live).
    const movesBefore = calls.filter((c) => c.path.endsWith('/ptz/move')).length;
    await pad.focus();
    await page.keyboard.down('ArrowLeft');
    // A held key repeats the move (each with a short timeout) until it is released.
    await expect
      .poll(() => calls.filter((c) => c.path.endsWith('/ptz/move')).length)
      .toBeGreaterThan(movesBefore);
    await page.keyboard.up('ArrowLeft');
    await expect.poll(() => calls.filter((c) => c.path.endsWith('/ptz/stop')).length).toBe(2);
    expect(
      (calls.filter((c) => c.path.endsWith('/ptz/move'))[movesBefore]!.body as { pan: number }).pan,
    ).toBeLessThan(0);
    // Still live: the pad shows only in live mode, and no tile plays a recording.
    await expect(pad).toBeVisible();
    await expect(page.locator('.tile-foot', { hasText: 'recorded' })).toHaveCount(0);

    // Save a preset: the device's list (read back from it) has it; go to it.
    await pad.getByLabel('New preset name').fill('Porch');
    await pad.getByRole('button', { name: 'Save' }).click();
    await expect(pad.getByRole('status')).toContainText('Saved “Porch”');
    await expect(pad.getByLabel('Presets').locator('option', { hasText: 'Porch' })).toHaveCount(1);
    const after = (await (
      await page.request.get(`${engine.url}/api/cameras/yard/ptz/presets`)
    ).json()) as {
      presets: { name: string }[];
    };
    expect(after.presets.map((p) => p.name)).toContain('Porch');
    await pad.getByLabel('Presets').selectOption({ label: 'Gate' });
    await pad.getByRole('button', { name: 'Go' }).click();
    await expect(pad.getByRole('status')).toContainText('Going to Gate');
    expect(calls.filter((c) => c.status >= 300)).toEqual([]);

    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, 'cameras-ptz-390');
    await page.keyboard.press('Escape');
  });

  test('status shows per-camera uptime and reconnects, CPU and memory', async ({
    page,
    engine,
  }) => {
    for (const size of SIZES) {
      await page.setViewportSize({ width: size.width, height: size.height });
      await openApp(page, engine.url);
      await page
        .getByRole('button', { name: /settings|status/i })
        .first()
        .click();
      const table = page.getByTestId('camera-status-table');
      const door = table.locator('tr[data-camera=door]');
      await expect(door.locator('td[data-col=uptime]')).toHaveText(/^\d+ (s|min|h|d)$/, {
        timeout: 15_000,
      });
      await expect(door.locator('td[data-col=reconnects]')).toHaveText(/^\d+$/);
      await expect(page.getByTestId('status-panel')).toContainText('CPU');
      await expect(page.getByTestId('status-panel')).toContainText('Memory');
      await shot(page, `cameras-status-${size.width}`);
      await page.keyboard.press('Escape');
    }
  });
});
