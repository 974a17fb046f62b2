// The add-camera wizard's ONVIF scan list (issue 22, UI finding 8), against the shared demo engine's
// fake ONVIF devices (all on 127.0.0.1, one port each) plus two of this test's own answering from
// other loopback addresses, the one with the higher address first and the other 1.5 s later: every row
// shows its host:port, the chosen row is marked (aria-pressed) and visibly highlighted, and no row
// moves while a scan is running — devices keep the order in which they first answered (a list sorted
// by address would push the early row down when the late one arrives); a rescan updates rows in place.
// Screenshots artifacts/onvif-scan-rows.png and onvif-scan-rows-390.png (phone width).
import path from 'node:path';
import { startFakeOnvifDevices } from '../src-main/camera/onvif/demo';
import type { Camera } from '../src-preload/contract';
import type { Page } from '@playwright/test';
import { ARTIFACTS, expect, test } from './fixtures/engine';

const ROWS = 'ul[aria-label="Devices found"] button[data-address]';

test('ONVIF scan rows: host:port, a visible selection, no reordering while scanning', async ({
  page,
  engine,
}) => {
  test.setTimeout(90_000);
  // What a Scan asks (WS-Discovery's port); the demo's devices share it too.
  const extra = await startFakeOnvifDevices(2, (i) => ({
    name: i === 0 ? 'Scan test early' : 'Scan test late',
    credentials: null,
    discovery: {
      multicastPort: 3702,
      interfaceAddress: '127.0.0.1',
      answerFrom: i === 0 ? '127.0.0.9' : '127.0.0.3',
      answerDelayMs: i === 0 ? 0 : 1500,
    },
  }));
  try {
    await scanRows(page, engine.url);
  } finally {
    await Promise.all(extra.map((d) => d.close()));
  }
});

async function scanRows(page: Page, engineUrl: string): Promise<void> {
  const yard = (await (await fetch(`${engineUrl}/api/cameras/yard`)).json()) as Camera;
  const yardAddress = `127.0.0.1:${yard.onvif!.port}`;
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(engineUrl);
  await expect(page.locator('[data-testid=tile][data-camera-id]').first()).toBeVisible();

  // Every order the list shows, from before the dialog opens to the end of the test.
  await page.evaluate((rowsSelector) => {
    const w = window as unknown as { scanOrders: string[][] };
    w.scanOrders = [];
    const read = () => {
      const rows = [...document.querySelectorAll<HTMLElement>(rowsSelector)].map(
        (b) => b.dataset.address ?? '',
      );
      const last = w.scanOrders.at(-1);
      if (rows.length > 0 && (!last || last.join() !== rows.join())) w.scanOrders.push(rows);
    };
    new MutationObserver(read).observe(document.body, { childList: true, subtree: true });
  }, ROWS);
  const orders = () =>
    page.evaluate(() => (window as unknown as { scanOrders: string[][] }).scanOrders);

  await page.getByRole('button', { name: 'Add camera' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Add camera' });
  const head = dialog.locator('.scan-head');
  const rows = dialog.locator(ROWS);
  // Other engines on this machine may answer the same Scan: this engine's Yard is told by its port.
  const yardRow = dialog.locator(`${ROWS}[data-address="${yardAddress}"]`);
  await expect(yardRow).toHaveCount(1, { timeout: 15_000 });
  await expect(head).toContainText(/\d+ devices? found/, { timeout: 15_000 });
  const count = await rows.count();
  expect(count).toBeGreaterThanOrEqual(6);
  const early = dialog.locator(ROWS, { hasText: 'Scan test early' });
  const late = dialog.locator(ROWS, { hasText: 'Scan test late' });
  await expect(early.locator('.device-address')).toHaveText(/^127\.0\.0\.9:\d+$/);
  await expect(late.locator('.device-address')).toHaveText(/^127\.0\.0\.3:\d+$/);

  // host:port on every row, the right port on the Yard's.
  for (let i = 0; i < count; i++)
    await expect(rows.nth(i).locator('.device-address')).toHaveText(/^127\.0\.0\.\d+:\d+$/);
  await expect(yardRow).toContainText('Demo Yard');
  await expect(yardRow.locator('.device-address')).toHaveText(yardAddress);

  // Choose the second row: marked, its address in the form, and highlighted unlike the others.
  const chosen = rows.nth(1);
  const chosenAddress = (await chosen.getAttribute('data-address'))!;
  await chosen.click();
  await page.mouse.move(0, 0); // no hover shade in what is measured
  await expect(chosen).toHaveAttribute('aria-pressed', 'true');
  await expect(dialog.locator(`${ROWS}[aria-pressed=true]`)).toHaveCount(1);
  await expect(dialog.getByLabel('Port')).toHaveValue(chosenAddress.split(':').pop()!);
  const style = (i: number) =>
    rows.nth(i).evaluate((b) => {
      const s = getComputedStyle(b);
      return { background: s.backgroundColor, bar: s.borderLeftColor };
    });
  const [on, off] = [await style(1), await style(0)];
  expect(on.background).not.toBe(off.background);
  expect(on.bar).toBe('rgb(61, 139, 253)'); // --accent
  expect(off.bar).not.toBe(on.bar);
  await dialog.screenshot({ path: path.join(ARTIFACTS, 'onvif-scan-rows.png') });
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(chosen.locator('.device-address')).toBeVisible();
  await dialog.screenshot({ path: path.join(ARTIFACTS, 'onvif-scan-rows-390.png') });
  await page.setViewportSize({ width: 1280, height: 900 });

  // Scan again: the same devices answer again; no row moves, the chosen one stays chosen.
  const before = await rows.evaluateAll((bs) => bs.map((b) => (b as HTMLElement).dataset.address));
  await dialog.getByRole('button', { name: 'Scan again' }).click();
  await expect(head).toContainText('Scanning the network…');
  await expect(head).toContainText(/\d+ devices? found/, { timeout: 15_000 });
  const after = await rows.evaluateAll((bs) => bs.map((b) => (b as HTMLElement).dataset.address));
  expect(after.slice(0, before.length)).toEqual(before);
  await expect(dialog.locator(`${ROWS}[aria-pressed=true]`)).toHaveAttribute(
    'data-address',
    chosenAddress,
  );
  // Every order shown on the way was the final one cut short: rows were only ever appended.
  const seen = await orders();
  expect(seen.length).toBeGreaterThan(0);
  for (const o of seen) expect(o).toEqual(after.slice(0, o.length));
  await page.keyboard.press('Escape');
}
