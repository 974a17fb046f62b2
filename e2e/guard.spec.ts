// What a guard sees must be true (issue 22, "the UI must not hide footage or mislead"), against the
// shared demo engine: the timeline keeps and recovers recordings after a failed fetch (engine restart),
// an H.265 camera the browser cannot decode says so in words instead of "Reconnecting…" forever, and
// frozen live frames are called stale within 3 s (the engine paused with SIGSTOP, then resumed).
import path from 'node:path';
import type { Page } from '@playwright/test';
import { ARTIFACTS, expect, test } from './fixtures/engine';

async function openDemo(page: Page, url: string) {
  await page.goto(url);
  await expect(page.locator('[data-testid=tile][data-camera-id]')).toHaveCount(4);
}

test.describe('guard', () => {
  test('a failed timeline fetch keeps the recordings and the next refresh recovers', async ({
    page,
    engine,
  }) => {
    test.setTimeout(120_000);
    const rejected: string[] = [];
    page.on('response', (r) => {
      if (r.url().includes('/api/') && r.status() === 400) rejected.push(r.url());
    });
    await openDemo(page, engine.url);
    const rows = page.getByTestId('timeline-row');
    await expect(rows).toHaveCount(4);
    const recorded = () =>
      rows.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-recorded-ms'))));
    await expect
      .poll(async () => Math.min(...(await recorded())), { timeout: 60_000 })
      .toBeGreaterThan(0);

    // The engine goes away (a restart): every timeline request fails while the view zooms out
    // (×1.5: a window whose bounds are fractions of a ms).
    let failing = true;
    let failedCalls = 0;
    await page.route('**/api/timeline', (route) => {
      if (!failing) return route.fallback();
      failedCalls++;
      return route.abort('connectionrefused');
    });
    await page.getByRole('button', { name: 'Zoom out' }).click();
    // It retries on the normal path (no switch to per-camera lists), and what was known stays drawn.
    await expect.poll(() => failedCalls, { timeout: 10_000 }).toBeGreaterThan(1);
    expect(Math.min(...(await recorded()))).toBeGreaterThan(0);

    // The engine is back: the page returns to the timeline on its own, no reload.
    failing = false;
    const timelineOk = page.waitForResponse(
      (r) => r.url().endsWith('/api/timeline') && r.status() === 200,
      { timeout: 15_000 },
    );
    await page.getByRole('button', { name: 'Zoom out' }).click();
    await timelineOk;
    await expect
      .poll(async () => Math.min(...(await recorded())), { timeout: 15_000 })
      .toBeGreaterThan(0);
    expect(rejected).toEqual([]);
  });
});
