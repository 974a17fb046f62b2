// The timeline against the demo engine: ctrl+wheel (trackpad pinch) and a two-finger touch pinch change
// the visible span around the pinch centre; `,`/`.` and the |◀ ▶| buttons move the playhead to range
// starts; export through the timeline handles downloads an MP4 of the chosen duration (ffprobe).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Locator } from '@playwright/test';
import { demoCameraIds } from './fixtures/demo-grid';
import { ARTIFACTS, expect, test } from './fixtures/engine';

const num = async (l: Locator, attr: string) => Number(await l.getAttribute(attr));

async function recordedStarts(base: string, ids: string[]): Promise<number[]> {
  const starts: number[] = [];
  for (const id of ids) {
    const r = await fetch(`${base}/api/cameras/${id}/recordings?from=1&to=${Date.now() + 60_000}`);
    const { ranges } = (await r.json()) as { ranges: { startMs: number; endMs: number }[] };
    starts.push(...ranges.map((x) => x.startMs));
  }
  return starts.sort((a, b) => a - b);
}

async function waitRecorded(base: string, id: string, minMs: number) {
  await expect
    .poll(
      async () => {
        const r = await fetch(
          `${base}/api/cameras/${id}/recordings?from=1&to=${Date.now() + 60_000}`,
        );
        const { ranges } = (await r.json()) as { ranges: { startMs: number; endMs: number }[] };
        return ranges.reduce((a, x) => a + (x.endMs - x.startMs), 0);
      },
      { timeout: 90_000, intervals: [1_000] },
    )
    .toBeGreaterThan(minMs);
}

test.describe('timeline', () => {
  test('ctrl+wheel and a touch pinch zoom around the pinch centre', async ({ page, engine }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(engine.url);
    await demoCameraIds(page);
    const canvas = page.getByTestId('timeline-canvas');
    const box = (await canvas.boundingBox())!;
    const span0 = await num(canvas, 'data-view-span-ms');

    // Trackpad pinch out: wheel events with ctrlKey and negative deltas zoom in.
    await page.mouse.move(box.x + box.width * 0.5, box.y + 40);
    await page.keyboard.down('Control');
    for (let i = 0; i < 5; i++) await page.mouse.wheel(0, -20);
    await page.keyboard.up('Control');
    await expect.poll(() => num(canvas, 'data-view-span-ms')).toBeLessThan(span0 * 0.6);
    const span1 = await num(canvas, 'data-view-span-ms');

    // Two-finger touch pinch (real touch input through CDP): fingers spread to twice their distance.
    await canvas.click({ position: { x: box.width * 0.3, y: 40 } }); // playback: window stops following
    // Paused, so playing on from a gap does not skip to the next recording and move the window.
    const playPause = page.getByTestId('play-pause');
    if ((await playPause.getAttribute('aria-label')) === 'Pause') await playPause.click();
    await expect(playPause).toHaveAttribute('aria-label', 'Play');
    const start = await num(canvas, 'data-view-start-ms');
    const span2 = await num(canvas, 'data-view-span-ms');
    const cx = box.x + box.width * 0.4;
    const y = box.y + 40;
    const tAtCentre = start + ((cx - box.x) / box.width) * span2;
    const cdp = await page.context().newCDPSession(page);
    const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', d: number) =>
      cdp.send('Input.dispatchTouchEvent', {
        type,
        touchPoints:
          type === 'touchEnd'
            ? []
            : [
                { x: cx - d, y, id: 1 },
                { x: cx + d, y, id: 2 },
              ],
      });
    await touch('touchStart', 40);
    for (const d of [50, 60, 70, 80]) await touch('touchMove', d);
    await touch('touchEnd', 80);
    await expect.poll(() => num(canvas, 'data-view-span-ms')).toBeLessThan(span2 * 0.6);
    const span3 = await num(canvas, 'data-view-span-ms');
    expect(span3).toBeGreaterThan(span2 * 0.4);
    const start3 = await num(canvas, 'data-view-start-ms');
    // The time under the pinch centre stayed under it (within a couple of pixels).
    const tAfter = start3 + ((cx - box.x) / box.width) * span3;
    expect(Math.abs(tAfter - tAtCentre)).toBeLessThan((2 / box.width) * span2);
    expect(span1).toBeLessThan(span0);

    // Zoom bottoms out at seconds: 10 s.
    await page.mouse.move(box.x + box.width * 0.5, box.y + 40);
    for (let i = 0; i < 40; i++) await page.mouse.wheel(0, -300);
    await expect.poll(() => num(canvas, 'data-view-span-ms')).toBe(10_000);
    await page.screenshot({ path: path.join(ARTIFACTS, 'timeline-seconds.png') });
    expect(errors).toEqual([]);
  });

  test('previous / next recording move the playhead to range starts', async ({ page, engine }) => {
    await page.goto(engine.url);
    const ids = await demoCameraIds(page);
    await waitRecorded(engine.url, ids[0]!, 5_000);
    const canvas = page.getByTestId('timeline-canvas');
    const box = (await canvas.boundingBox())!;
    // Zoom in around now so the click lands a few seconds ago, then pause there.
    for (let i = 0; i < 12; i++) await page.getByRole('button', { name: 'Zoom in' }).click();
    await canvas.click({ position: { x: box.width * 0.9, y: 40 } });
    await expect(page.getByTestId('live-indicator')).toHaveText('GO LIVE');
    await page.keyboard.press(' ');
    await expect(canvas).toHaveAttribute('data-playhead-ms', /\d+/);
    const p0 = await num(canvas, 'data-playhead-ms');
    const starts = await recordedStarts(engine.url, ids);
    // The rules: previous = the latest start more than 1 s before the playhead; next = the first after.
    const prevOf = (p: number) => starts.filter((s) => s < p - 1_000).at(-1);
    const nextOf = (p: number) => starts.find((s) => s > p);
    const p1 = prevOf(p0);
    expect(p1).toBeDefined();

    // ',' goes to the start of the current range …
    await page.keyboard.press(',');
    await expect.poll(() => num(canvas, 'data-playhead-ms')).toBe(p1!);
    // … the |◀ button again to the one before, when there is one; '.' skips the current range.
    const p2 = prevOf(p1!);
    if (p2 !== undefined) {
      await page.getByRole('button', { name: 'Previous recording' }).click();
      await expect.poll(() => num(canvas, 'data-playhead-ms')).toBe(p2);
      await page.keyboard.press('.');
      await expect.poll(() => num(canvas, 'data-playhead-ms')).toBe(nextOf(p2)!);
    }
    // The ▶| button: the next start, or a note that there is none later.
    const last = await num(canvas, 'data-playhead-ms');
    const later = nextOf(last);
    await page.getByRole('button', { name: 'Next recording' }).click();
    if (later === undefined) await expect(page.getByRole('status')).toHaveText(/No later/);
    else await expect.poll(() => num(canvas, 'data-playhead-ms')).toBe(later);
  });

  test('export through the timeline handles downloads an MP4 of the chosen duration', async ({
    page,
    engine,
  }) => {
    test.setTimeout(150_000);
    await page.goto(engine.url);
    const ids = await demoCameraIds(page);
    await waitRecorded(engine.url, ids[0]!, 50_000);
    for (let i = 0; i < 10; i++) await page.getByRole('button', { name: 'Zoom in' }).click();
    await page.keyboard.press('e');
    const dialog = page.getByRole('dialog', { name: 'Export' });
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: '30 s' }).click();
    const canvas = page.getByTestId('timeline-canvas');
    await expect(canvas).toHaveAttribute('data-selection', /^\d+-\d+$/);
    const sel0 = (await canvas.getAttribute('data-selection'))!.split('-').map(Number);
    expect(sel0[1]! - sel0[0]!).toBe(30_000);

    // Drag the start handle (its grip in the ruler) about 12 s to the left.
    const box = (await canvas.boundingBox())!;
    const start = await num(canvas, 'data-view-start-ms');
    const span = await num(canvas, 'data-view-span-ms');
    const fromX = box.x + ((sel0[0]! - start) / span) * box.width;
    const dx = (12_000 / span) * box.width;
    await page.mouse.move(fromX, box.y + 10);
    await page.mouse.down();
    for (let i = 1; i <= 6; i++) await page.mouse.move(fromX - (dx * i) / 6, box.y + 10);
    await page.mouse.up();
    const sel = (await canvas.getAttribute('data-selection'))!.split('-').map(Number);
    const lengthMs = sel[1]! - sel[0]!;
    expect(sel[1]).toBe(sel0[1]);
    expect(lengthMs).toBeGreaterThanOrEqual(40_000);
    expect(lengthMs).toBeLessThanOrEqual(44_000);
    await expect(dialog.getByTestId('export-length')).toHaveText(`${lengthMs / 1000} s`);
    await expect(dialog.getByTestId('export-total')).toHaveText(/about .*B in total/, {
      timeout: 15_000,
    });
    await page.screenshot({ path: path.join(ARTIFACTS, 'timeline-export-handles.png') });

    const boxes = dialog.getByRole('checkbox');
    for (let i = 1; i < (await boxes.count()); i++) await boxes.nth(i).uncheck();
    await dialog.getByTestId('export-start').click();
    await expect(dialog.getByTestId('export-job')).toHaveAttribute('data-state', 'done', {
      timeout: 90_000,
    });
    const href = await dialog.getByTestId('export-download').getAttribute('href');
    const res = await fetch(new URL(href!, engine.url));
    expect(res.status).toBe(200);
    const dir = mkdtempSync(path.join(tmpdir(), 'nvr-tl-export-'));
    try {
      const file = path.join(dir, 'clip.mp4');
      writeFileSync(file, Buffer.from(await res.arrayBuffer()));
      const seconds = Number(
        execFileSync('/usr/bin/ffprobe', [
          '-v',
          'error',
          '-show_entries',
          'format=duration',
          '-of',
          'csv=p=0',
          file,
        ])
          .toString()
          .trim(),
      );
      expect(Math.abs(seconds * 1000 - lengthMs)).toBeLessThan(1_500);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // Closing the panel removes the handles.
    await page.keyboard.press('Escape');
    await expect(canvas).not.toHaveAttribute('data-selection', /./);
  });
});
