// Grid layouts (5×5, 1+7, custom), drag a tile onto another to swap, saved views (save, reload, pick),
// and wall mode (no chrome, live frames, page rotation, clock, offline banner) against the demo engine.
// Screenshots at 1920×1080 under e2e/artifacts.
import path from 'node:path';
import type { Page } from '@playwright/test';
import { ARTIFACTS, expect, test } from './fixtures/engine';
import { framesOver } from './fixtures/video-frames';

test.use({ viewport: { width: 1920, height: 1080 } });

const cameraTiles = (page: Page) => page.locator('[data-testid=tile][data-camera-id]');
const tileIds = (page: Page) =>
  page.getByTestId('tile').evaluateAll((els) => els.map((el) => el.getAttribute('data-camera-id')));

test.describe('grid and views', () => {
  // Drag and drop over live video tiles is slow on a busy 2-core machine.
  test.describe.configure({ timeout: 120_000 });
  test('layouts 5×5, 1+7 and custom; drag a tile onto another swaps them', async ({
    page,
    engine,
  }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(engine.url);
    await expect(cameraTiles(page)).toHaveCount(4);

    await page.keyboard.press('5');
    await expect(page.getByTestId('grid')).toHaveAttribute('data-layout', '5x5');
    await expect(page.getByTestId('tile')).toHaveCount(25);
    await expect(cameraTiles(page).first()).toHaveAttribute('data-player', 'live', {
      timeout: 20_000,
    });
    await page.screenshot({ path: path.join(ARTIFACTS, 'grid-5x5.png') });

    await page.getByRole('button', { name: 'Layout 1+7' }).click();
    await expect(page.getByTestId('tile')).toHaveCount(8);
    // The lead tile spans 3×3 cells of the 4×4 grid: three times as wide as a small one.
    const [lead, small] = await page
      .getByTestId('tile')
      .evaluateAll((els) => els.slice(0, 2).map((el) => el.getBoundingClientRect().width));
    expect(lead! / small!).toBeGreaterThan(2.8);
    await expect(cameraTiles(page).first()).toHaveAttribute('data-player', 'live', {
      timeout: 20_000,
    });
    await page.screenshot({ path: path.join(ARTIFACTS, 'grid-1+7.png') });

    await page.getByTestId('layout-custom').click();
    await page.getByRole('button', { name: '4 columns × 2 rows' }).hover();
    await page.screenshot({ path: path.join(ARTIFACTS, 'grid-custom-picker.png') });
    await page.getByRole('button', { name: '4 columns × 2 rows' }).click();
    await expect(page.getByTestId('grid')).toHaveAttribute('data-layout', 'custom');
    await expect(page.getByTestId('tile')).toHaveCount(8);
    await expect(page.getByTestId('layout-custom')).toContainText('4×2');

    await page.keyboard.press('2');
    await expect(page.getByTestId('tile')).toHaveCount(4);
    const before = await tileIds(page);
    await page.getByTestId('tile').nth(0).dragTo(page.getByTestId('tile').nth(3));
    await expect.poll(() => tileIds(page)).toEqual([before[3], before[1], before[2], before[0]]);
    // Drop from the sidebar still places a camera (and swaps with where it was).
    await page
      .getByTestId('camera-row')
      .filter({ hasText: /./ })
      .nth(1)
      .dragTo(page.getByTestId('tile').nth(0));
    const afterDrop = await tileIds(page);
    expect(new Set(afterDrop).size).toBe(4);
    expect(errors).toEqual([]);
  });

  test('save the grid as a view, reload, pick it: same arrangement; rename and delete', async ({
    page,
    engine,
  }) => {
    await page.goto(engine.url);
    await expect(cameraTiles(page)).toHaveCount(4);
    await page.keyboard.press('3');
    await page.getByTestId('tile').nth(0).dragTo(page.getByTestId('tile').nth(8));
    await page.getByTestId('tile').nth(1).dragTo(page.getByTestId('tile').nth(4));
    const arranged = await tileIds(page);
    expect(arranged[8]).not.toBeNull();
    expect(arranged[4]).not.toBeNull();

    await page.getByTestId('views-button').click();
    await page.getByLabel('New view name').fill('Night shift');
    await page.getByRole('button', { name: 'Save view' }).click();
    await expect(page.getByTestId('active-view')).toHaveText('Night shift');
    await page.screenshot({ path: path.join(ARTIFACTS, 'views-menu.png') });
    await page.keyboard.press('Escape');

    await page.reload();
    await expect(cameraTiles(page)).toHaveCount(4);
    // Back to the automatic grid, then pick the saved view in the sidebar.
    await page.getByTestId('views-button').click();
    await page.getByRole('dialog', { name: 'Views' }).getByText('All cameras').click();
    await expect(page.getByTestId('active-view')).toHaveText('All cameras');
    await page.getByTestId('sidebar-view').filter({ hasText: 'Night shift' }).click();
    await expect(page.getByTestId('active-view')).toHaveText('Night shift');
    await expect(page.getByTestId('grid')).toHaveAttribute('data-layout', '3x3');
    expect(await tileIds(page)).toEqual(arranged);

    // Another client sees it (the engine holds views).
    const views = (await (await fetch(`${engine.url}/api/views`)).json()) as { name: string }[];
    expect(views.map((v) => v.name)).toContain('Night shift');

    // Wall mode shows the view as its page.
    const viewId = (views as { id: string; name: string }[]).find(
      (v) => v.name === 'Night shift',
    )!.id;
    await page.goto(`${engine.url}/#/wall?view=${viewId}`);
    await expect(page.getByTestId('wall')).toHaveAttribute('data-layout', '3x3');
    expect(await tileIds(page)).toEqual(arranged);
    await page.goto(engine.url);
    await expect(page.getByTestId('active-view')).toHaveText('Night shift');

    // Rename, then delete.
    await page.getByTestId('views-button').click();
    const pop = page.getByRole('dialog', { name: 'Views' });
    await pop.getByRole('button', { name: 'Rename Night shift' }).click();
    await pop.getByLabel('New name').fill('Day shift');
    await pop.getByRole('button', { name: 'Rename', exact: true }).click();
    await expect(page.getByTestId('active-view')).toHaveText('Day shift');
    await pop.getByRole('button', { name: 'Delete Day shift' }).click();
    await pop.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(page.getByTestId('active-view')).toHaveText('All cameras');
    await expect(page.getByTestId('sidebar-view')).toHaveCount(0);
  });

  test('wall mode: no chrome, live frames, pages rotate, clock, offline banner', async ({
    page,
    engine,
  }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${engine.url}/#/wall?layout=2x2`);
    await expect(page.getByTestId('wall')).toBeVisible();
    await expect(page.locator('.topbar')).toHaveCount(0);
    await expect(page.locator('.sidebar')).toHaveCount(0);
    await expect(page.getByTestId('timeline-canvas')).toHaveCount(0);
    await expect(cameraTiles(page)).toHaveCount(4);
    await expect(cameraTiles(page).first()).toHaveAttribute('data-player', 'live', {
      timeout: 20_000,
    });
    expect(await framesOver(page, '[data-testid=tile] video', 1_500)).toBeGreaterThan(5);
    await expect(page.getByTestId('wall-clock')).toHaveText(/\d{2}:\d{2}:\d{2}$/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'wall-2x2.png') });

    // A camera that cannot connect: the red banner names it; deleting it clears the banner.
    const res = await fetch(`${engine.url}/api/cameras`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Gate', streams: { main: { url: 'rtsp://127.0.0.1:9/x' } } }),
    });
    expect(res.status).toBe(201);
    const gate = (await res.json()) as { id: string };
    await expect(page.getByTestId('wall-alert')).toContainText('Gate', { timeout: 30_000 });
    await expect(page.getByTestId('wall-alert')).toContainText(/offline|reconnecting/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'wall-offline.png') });
    await fetch(`${engine.url}/api/cameras/${gate.id}`, { method: 'DELETE' });
    await expect(page.getByTestId('wall-alert')).toHaveCount(0);

    // One camera per page, a new page every 2 s.
    await page.goto(`${engine.url}/#/wall?layout=1x1&rotate=2`);
    await expect(page.getByTestId('wall')).toHaveAttribute('data-pages', '4');
    await expect(page.getByTestId('tile')).toHaveCount(1);
    const first = await page.getByTestId('tile').getAttribute('data-camera-id');
    await expect(page.getByTestId('wall')).toHaveAttribute('data-page', '2', { timeout: 5_000 });
    await expect(page.getByTestId('tile')).not.toHaveAttribute('data-camera-id', first!);
    await expect(page.getByTestId('wall')).toHaveAttribute('data-page', '3', { timeout: 5_000 });
    await expect(page.getByTestId('wall-page')).toHaveText('3/4');
    await expect(page.getByTestId('tile')).toHaveAttribute('data-player', 'live', {
      timeout: 20_000,
    });
    await page.screenshot({ path: path.join(ARTIFACTS, 'wall-rotate.png') });

    // Esc leaves wall mode (a browser is not an Electron wall window).
    await page.keyboard.press('Escape');
    await expect(page.locator('.topbar')).toBeVisible();
    await expect(page.getByTestId('wall')).toHaveCount(0);
    expect(errors).toEqual([]);
  });

  test('the Wall button enters wall mode with the current view of the grid', async ({
    page,
    engine,
  }) => {
    await page.goto(engine.url);
    await expect(cameraTiles(page)).toHaveCount(4);
    await page.getByRole('button', { name: 'Layout 1+5' }).click();
    await page.getByTestId('wall-button').click();
    await page.getByLabel('Rotate pages').selectOption('10');
    await page.getByTestId('wall-start').click();
    await expect(page).toHaveURL(/#\/wall\?rotate=10&layout=1%2B5|#\/wall\?rotate=10&layout=1\+5/);
    await expect(page.getByTestId('wall')).toHaveAttribute('data-layout', '1+5');
    await expect(page.getByTestId('tile')).toHaveCount(6);
    await page.getByTestId('wall').hover();
    await page.getByTestId('wall-exit').click();
    await expect(page.locator('.topbar')).toBeVisible();
    await expect(page.getByTestId('grid')).toHaveAttribute('data-layout', '1+5');
  });
});
