// The export panel in a US locale (issue 22, UI finding 5), against the shared demo engine: the From/To
// fields show the whole time, AM/PM included (a 12-hour clock needs more room), and each camera's size
// estimate comes from what is recorded: it is close to the size of the file the export then makes.
import path from 'node:path';
import type { Locator } from '@playwright/test';
import { ARTIFACTS, expect, test } from './fixtures/engine';

test.use({ locale: 'en-US', timezoneId: 'America/New_York' });

const UNITS: Record<string, number> = { B: 1, kB: 1e3, MB: 1e6, GB: 1e9 };
function bytesOf(text: string): number {
  const m = /([\d.]+)\s*(B|kB|MB|GB)/.exec(text);
  return m ? Number(m[1]) * UNITS[m[2]!]! : NaN;
}

/** Whether a datetime-local input is wide enough for its value as the locale writes it. */
async function fitsItsText(input: Locator): Promise<{ needPx: number; havePx: number }> {
  return input.evaluate((el: HTMLInputElement) => {
    const cs = getComputedStyle(el);
    const text = new Date(el.value).toLocaleString(navigator.language, {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    const probe = document.createElement('span');
    probe.style.font = cs.font;
    probe.style.whiteSpace = 'pre';
    probe.textContent = text;
    document.body.append(probe);
    const textPx = probe.getBoundingClientRect().width;
    probe.remove();
    const padPx =
      parseFloat(cs.paddingLeft) +
      parseFloat(cs.paddingRight) +
      parseFloat(cs.borderLeftWidth) +
      parseFloat(cs.borderRightWidth);
    // + the calendar picker icon (about 1.2 em plus its margin)
    return { needPx: textPx + padPx + parseFloat(cs.fontSize) * 2, havePx: el.offsetWidth };
  });
}

test('export in en-US: From/To show AM/PM, sizes are what gets exported', async ({
  page,
  engine,
}) => {
  test.setTimeout(120_000);
  // 30 s of the door camera recorded, at least.
  await expect
    .poll(
      async () => {
        const r = await fetch(
          `${engine.url}/api/cameras/door/recordings?from=1&to=${Date.now() + 60_000}`,
        );
        const { ranges } = (await r.json()) as { ranges: { startMs: number; endMs: number }[] };
        return ranges.reduce((a, x) => a + (x.endMs - x.startMs), 0);
      },
      { timeout: 90_000, intervals: [1_000] },
    )
    .toBeGreaterThan(45_000);
  await page.goto(engine.url);
  await expect(page.locator('[data-testid=tile][data-camera-id]')).toHaveCount(4);
  await page.keyboard.press('e');
  const dialog = page.getByRole('dialog', { name: 'Export' });
  await expect(dialog).toBeVisible();

  for (const name of ['From', 'To']) {
    const { needPx, havePx } = await fitsItsText(dialog.getByLabel(name, { exact: true }));
    expect(
      havePx,
      `${name} field is ${havePx}px, its text needs ${needPx}px`,
    ).toBeGreaterThanOrEqual(needPx);
  }

  // Only Door, over the last 30 s that are surely recorded.
  await dialog.getByRole('button', { name: '30 s' }).click();
  for (const box of await dialog.getByRole('checkbox').all()) await box.uncheck();
  await dialog.getByRole('checkbox', { name: /Door/ }).check();
  const size = dialog.locator('[data-testid=export-size][data-camera-id=door]');
  await expect(size).toHaveText(/≈ [\d.]+ (B|kB|MB|GB)/, { timeout: 15_000 });
  await page.screenshot({ path: path.join(ARTIFACTS, 'export-en-us.png') });
  const estimate = bytesOf((await size.textContent())!);

  await dialog.getByTestId('export-start').click();
  const job = dialog.getByTestId('export-job');
  await expect(job).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  const actual = bytesOf((await job.locator('.ex-state').textContent())!);
  expect(actual).toBeGreaterThan(10_000);
  expect(estimate / actual, `estimate ${estimate} B, export ${actual} B`).toBeGreaterThan(0.6);
  expect(estimate / actual, `estimate ${estimate} B, export ${actual} B`).toBeLessThan(1.6);
});
