// The automatic grid never hides a camera (issue 22, UI finding 3), against the shared demo engine
// (four cameras): 2×2 → 1 → 2×2 shows the four again, 1 → 3×3 shows all four, a layout smaller than
// the camera list pages (buttons and Page Up/Down), and a camera added while a saved view is active is
// announced with a button that shows it.
import path from 'node:path';
import type { Page } from '@playwright/test';
import { ARTIFACTS, expect, test } from './fixtures/engine';

const cameraTiles = (page: Page) => page.locator('[data-testid=tile][data-camera-id]');
const shownIds = async (page: Page) =>
  (await cameraTiles(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-camera-id'))))
    .filter((x): x is string => x !== null)
    .sort();

test.describe('automatic grid', () => {
  test('switching layouts keeps every camera on screen, or on a page', async ({ page, engine }) => {
    await page.goto(engine.url);
    await expect(cameraTiles(page)).toHaveCount(4);
    const all = await shownIds(page);

    await page.keyboard.press('1'); // 1×1
    await expect(page.getByTestId('tile')).toHaveCount(1);
    await page.keyboard.press('2'); // back to 2×2: four cameras, no empty tile
    await expect(cameraTiles(page)).toHaveCount(4);
    expect(await shownIds(page)).toEqual(all);

    await page.keyboard.press('1');
    await page.keyboard.press('3'); // 3×3: all four shown
    await expect(cameraTiles(page)).toHaveCount(4);
    expect(await shownIds(page)).toEqual(all);

    // 1×1 pages through the four cameras.
    await page.keyboard.press('1');
    const pager = page.getByTestId('grid-pager');
    await expect(page.getByTestId('grid-page')).toHaveText('Page 1 of 4');
    const seen = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const id = await cameraTiles(page).getAttribute('data-camera-id');
      seen.add(id!);
      if (i < 3) await pager.getByRole('button', { name: 'Next page' }).click();
      await expect(page.getByTestId('grid-page')).toHaveText(`Page ${Math.min(i + 2, 4)} of 4`);
    }
    expect([...seen].sort()).toEqual(all);
    await page.keyboard.press('PageUp');
    await expect(page.getByTestId('grid-page')).toHaveText('Page 3 of 4');
    await page.screenshot({ path: path.join(ARTIFACTS, 'grid-pages.png') });
    await page.keyboard.press('2');
    await expect(pager).toHaveCount(0);
  });

  test('a camera added while a saved view is active is announced and shown on request', async ({
    page,
    engine,
  }) => {
    const post = (url: string, body: unknown) =>
      fetch(`${engine.url}${url}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    await page.goto(engine.url);
    await expect(cameraTiles(page)).toHaveCount(4);
    const [first] = await shownIds(page);
    const saved = await post('/api/views', {
      name: 'One',
      layout: '2x2',
      tiles: [first, null, null, null],
    });
    expect(saved.status).toBeLessThan(300);
    const view = (await saved.json()) as { id: string };
    let gateId: string | undefined;
    try {
      await page.getByTestId('sidebar-view').filter({ hasText: 'One' }).click();
      await expect(cameraTiles(page)).toHaveCount(1);

      const res = await post('/api/cameras', {
        name: 'Gate',
        streams: { main: { url: 'rtsp://127.0.0.1:9/x' } },
      });
      expect(res.status).toBe(201);
      gateId = ((await res.json()) as { id: string }).id;
      const note = page.getByTestId('new-camera-note');
      await expect(note).toContainText('“Gate”', { timeout: 15_000 });
      await expect(cameraTiles(page)).toHaveCount(1); // the saved view stays as saved
      await page.screenshot({ path: path.join(ARTIFACTS, 'grid-new-camera.png') });
      await note.getByRole('button', { name: 'Show it' }).click();
      await expect(page.locator(`[data-testid=tile][data-camera-id="${gateId}"]`)).toBeVisible();
      await expect(note).toHaveCount(0);
    } finally {
      if (gateId) await fetch(`${engine.url}/api/cameras/${gateId}`, { method: 'DELETE' });
      await fetch(`${engine.url}/api/views/${view.id}`, { method: 'DELETE' });
    }
  });
});
