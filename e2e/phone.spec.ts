// The LAN viewer on a phone (issue 22, UI finding 7), against the shared demo engine: with a layout
// smaller than the camera list every camera is still reachable from the drawer, tapping one opens it
// maximized, and the maximized camera has a Close button (no Esc key, no hover on a phone).
import path from 'node:path';
import { ARTIFACTS, expect, test } from './fixtures/engine';

test('phone: the drawer opens any camera, maximized, with a Close button', async ({
  browser,
  engine,
}) => {
  test.setTimeout(120_000);
  const page = await browser.newPage({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
  try {
    await page.goto(engine.url);
    await expect(page.locator('[data-testid=tile][data-camera-id]')).toHaveCount(4);
    await page.keyboard.press('1'); // one tile: three cameras are off the screen
    await expect(page.getByTestId('tile')).toHaveCount(1);
    const shown = await page.getByTestId('tile').getAttribute('data-camera-id');

    const drawer = page.getByRole('navigation', { name: 'Cameras' });
    const rows = drawer.getByTestId('camera-row');
    await page.getByRole('button', { name: 'Cameras', exact: true }).tap();
    await expect(rows).toHaveCount(4);
    const ids = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-camera-id')));
    expect(ids).toHaveLength(4);
    for (const [i, id] of ids.filter((x) => x !== shown).entries()) {
      if (i > 0) await page.getByRole('button', { name: 'Cameras', exact: true }).tap();
      await expect(drawer).toBeInViewport();
      await drawer.locator(`[data-testid=camera-row][data-camera-id="${id}"]`).tap();
      await expect(drawer).not.toBeInViewport();
      await expect(page.getByTestId('grid')).toHaveAttribute('data-layout', 'maximized');
      await expect(page.locator('[data-testid=tile][data-camera-id]')).toHaveAttribute(
        'data-camera-id',
        id!,
      );
      await page.screenshot({ path: path.join(ARTIFACTS, 'phone-maximized.png') });
      await page.getByTestId('tile-close').tap();
      await expect(page.getByTestId('grid')).not.toHaveAttribute('data-layout', 'maximized');
    }
  } finally {
    await page.close();
  }
});
