// The renderer served by the headless engine with --demo: the app shell, the four demo cameras in the
// sidebar and four tiles in the default 2×2 grid, keyboard layouts; screenshots kept under e2e/artifacts.
import path from 'node:path';
import { ARTIFACTS, expect, test } from './fixtures/engine';

test.describe('app shell', () => {
  test('shows the product name, the demo cameras and four tiles', async ({ page, engine }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });

    await page.goto(engine.url);
    await expect(page.getByTestId('product-name')).toHaveText('NVR');
    await expect(page.getByTestId('camera-row')).toHaveCount(4);
    await expect(page.getByTestId('tile')).toHaveCount(4);
    // every tile shows a camera (2×2 filled from the four demo cameras) with its name and state in words
    await expect(page.locator('[data-testid=tile][data-camera-id]')).toHaveCount(4);
    for (const state of await page.getByTestId('tile-state').allTextContents())
      expect(state.trim()).not.toBe('');
    await expect(page.getByTestId('live-indicator')).toHaveText('LIVE');
    await expect(page.getByTestId('clock')).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d$/);
    await expect(page.getByTestId('timeline-canvas')).toBeVisible();

    await page.screenshot({ path: path.join(ARTIFACTS, 'app.png') });
    expect(errors).toEqual([]);
  });

  test('keyboard: 3 picks 3×3, / focuses the search, L returns live', async ({ page, engine }) => {
    await page.goto(engine.url);
    await expect(page.getByTestId('camera-row')).toHaveCount(4);
    await page.keyboard.press('3');
    await expect(page.getByTestId('tile')).toHaveCount(9);
    await page.keyboard.press('/');
    await expect(page.getByRole('searchbox', { name: 'Search cameras' })).toBeFocused();
    await page.keyboard.type('zzz-no-such-camera');
    await expect(page.getByTestId('camera-row')).toHaveCount(0);
    await page.keyboard.press('Escape');
    await page.getByTestId('timeline-canvas').click({ position: { x: 40, y: 30 } });
    await expect(page.getByTestId('live-indicator')).toHaveText('GO LIVE');
    await page.keyboard.press('l');
    await expect(page.getByTestId('live-indicator')).toHaveText('LIVE');
  });

  test('phone width: one column of tiles, sidebar as a drawer', async ({ browser, engine }) => {
    const page = await browser.newPage({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    try {
      await page.goto(engine.url);
      await expect(page.getByTestId('tile')).toHaveCount(4);
      const boxes = await Promise.all(
        (await page.getByTestId('tile').all()).map((t) => t.boundingBox()),
      );
      expect(new Set(boxes.map((b) => Math.round(b!.x))).size).toBe(1); // one column
      await expect(page.getByRole('navigation', { name: 'Cameras' })).not.toBeInViewport();
      await page.getByRole('button', { name: 'Cameras', exact: true }).click();
      await expect(page.getByRole('navigation', { name: 'Cameras' })).toBeInViewport();
      await page.screenshot({ path: path.join(ARTIFACTS, 'app-phone.png') });
    } finally {
      await page.close();
    }
  });
});
