// Dragging a camera's row scrubs (issue 22, UI finding 6), against the shared demo engine: pressing on a
// row (not only the 22 px ruler) and dragging moves the playhead with the pointer, continuously, without
// panning the window; a click without movement still plays from there; Shift+drag pans; a finger dragged
// along a row scrubs too (real touch input through CDP); the wheel still zooms.
import path from 'node:path';
import type { Locator } from '@playwright/test';
import { ARTIFACTS, expect, test } from './fixtures/engine';

const HEADER_PX = 22;
const ROW_PX = 22;
const num = async (l: Locator, attr: string) => Number(await l.getAttribute(attr));

test('dragging a row scrubs; a click seeks; Shift+drag pans; touch scrubs; wheel zooms', async ({
  page,
  engine,
}) => {
  test.setTimeout(120_000);
  await page.goto(engine.url);
  await expect(page.locator('[data-testid=tile][data-camera-id]')).toHaveCount(4);
  const canvas = page.getByTestId('timeline-canvas');
  const box = (await canvas.boundingBox())!;
  // Zoom in to a few minutes, then click a row to enter playback and pause there.
  for (let i = 0; i < 10; i++) await page.getByRole('button', { name: 'Zoom in' }).click();
  const rowY = HEADER_PX + ROW_PX * 1.5; // the second camera's row
  await canvas.click({ position: { x: box.width * 0.5, y: rowY } });
  await expect(page.getByTestId('live-indicator')).toHaveText('GO LIVE');
  const playPause = page.getByTestId('play-pause');
  if ((await playPause.getAttribute('aria-label')) === 'Pause') await playPause.click();
  await expect(playPause).toHaveAttribute('aria-label', 'Play');

  const start = await num(canvas, 'data-view-start-ms');
  const span = await num(canvas, 'data-view-span-ms');
  const msAt = (x: number) => start + (x / box.width) * span;
  const pxMs = span / box.width;
  /** How far (px) the playhead is from a time. */
  const offPx = async (ms: number) => Math.abs((await num(canvas, 'data-playhead-ms')) - ms) / pxMs;

  // Press on the row at 60 %, drag left to 30 % in steps: the playhead follows the pointer each step.
  const seen: number[] = [];
  await page.mouse.move(box.x + box.width * 0.6, box.y + rowY);
  await page.mouse.down();
  for (let i = 1; i <= 6; i++) {
    const x = box.width * (0.6 - 0.05 * i);
    await page.mouse.move(box.x + x, box.y + rowY);
    await expect.poll(() => offPx(msAt(x))).toBeLessThan(1.5);
    seen.push(await num(canvas, 'data-playhead-ms'));
  }
  await page.screenshot({ path: path.join(ARTIFACTS, 'timeline-row-scrub.png') });
  await page.mouse.up();
  for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeLessThan(seen[i - 1]!);
  // Scrubbing moved time, not the window.
  expect(await num(canvas, 'data-view-start-ms')).toBe(start);

  // A click without movement on a row still plays from there.
  await canvas.click({ position: { x: box.width * 0.7, y: rowY + ROW_PX } });
  await expect.poll(() => offPx(msAt(box.width * 0.7))).toBeLessThan(1.5);
  if ((await playPause.getAttribute('aria-label')) === 'Pause') await playPause.click();

  // Shift+drag pans the window and leaves the playhead alone.
  const before = await num(canvas, 'data-playhead-ms');
  await page.keyboard.down('Shift');
  await page.mouse.move(box.x + box.width * 0.5, box.y + rowY);
  await page.mouse.down();
  for (let i = 1; i <= 5; i++)
    await page.mouse.move(box.x + box.width * (0.5 + 0.02 * i), box.y + rowY);
  await page.mouse.up();
  await page.keyboard.up('Shift');
  await expect
    .poll(
      async () => Math.abs((await num(canvas, 'data-view-start-ms')) - (start - 0.1 * span)) / pxMs,
    )
    .toBeLessThan(2);
  expect(await num(canvas, 'data-playhead-ms')).toBe(before);

  // One finger dragged along a row scrubs (touch through CDP, as a phone sends it).
  const start2 = await num(canvas, 'data-view-start-ms');
  const cdp = await page.context().newCDPSession(page);
  const y = box.y + rowY;
  const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', x: number) =>
    cdp.send('Input.dispatchTouchEvent', {
      type,
      touchPoints: type === 'touchEnd' ? [] : [{ x: box.x + x, y, id: 1 }],
    });
  await touch('touchStart', box.width * 0.4);
  for (const f of [0.42, 0.46, 0.5, 0.55]) await touch('touchMove', box.width * f);
  await expect.poll(() => offPx(start2 + 0.55 * span)).toBeLessThan(1.5);
  await touch('touchEnd', box.width * 0.55);
  expect(await num(canvas, 'data-view-start-ms')).toBe(start2);

  // The wheel still zooms around the cursor.
  await page.mouse.move(box.x + box.width * 0.5, box.y + rowY);
  await page.mouse.wheel(0, 300);
  await expect.poll(() => num(canvas, 'data-view-span-ms')).toBeGreaterThan(span * 1.2);
  await page.keyboard.press('l');
});
