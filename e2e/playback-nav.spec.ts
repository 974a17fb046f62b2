// Playback navigation (issue 22, UI finding 6), against the shared demo engine: a date-time field
// jumps to a moment, playing into a gap (before the first recording) goes on at the next recording
// instead of crawling through nothing at 1×, and "next recording" inside the last one says there is none.
import path from 'node:path';
import { demoCameraIds, recordedRanges } from './fixtures/demo-grid';
import { ARTIFACTS, expect, test } from './fixtures/engine';

test('go to a time, skip the gap before the first recording, no recording after the last', async ({
  page,
  engine,
}) => {
  test.setTimeout(120_000);
  await page.goto(engine.url);
  const ids = await demoCameraIds(page);
  await expect
    .poll(
      async () => {
        const all = (await Promise.all(ids.map((id) => recordedRanges(engine.url, id)))).flat();
        return all.length > 0 ? Date.now() - Math.min(...all.map((r) => r.startMs)) : 0;
      },
      { timeout: 60_000, intervals: [1_000] },
    )
    .toBeGreaterThan(20_000);
  const all = (await Promise.all(ids.map((id) => recordedRanges(engine.url, id)))).flat();
  const firstStartMs = Math.min(...all.map((r) => r.startMs));

  // Go to 30 s before anything was recorded (local time, as the field shows it).
  const targetMs = firstStartMs - 30_000;
  const local = await page.evaluate((ms) => {
    const d = new Date(ms);
    const p = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  }, targetMs);
  const canvas = page.getByTestId('timeline-canvas');
  const playhead = async () => Number(await canvas.getAttribute('data-playhead-ms'));
  await page.getByTestId('timeline-goto').fill(local);
  await expect(page.getByTestId('live-indicator')).toHaveText('GO LIVE');
  if ((await page.getByTestId('play-pause').getAttribute('aria-label')) === 'Play')
    await page.getByTestId('play-pause').click();
  // Playing: the 30 s of nothing are skipped (at 1× they would take 30 s).
  await expect.poll(playhead, { timeout: 5_000 }).toBeGreaterThanOrEqual(firstStartMs - 1_000);
  await page.screenshot({ path: path.join(ARTIFACTS, 'playback-nav-goto.png') });

  // Inside the last recording (it runs until now): there is no later one, and the page says so.
  await page.getByTestId('timeline-goto').fill(
    await page.evaluate(() => {
      const d = new Date(Date.now() - 8_000);
      const p = (n: number) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
    }),
  );
  await expect(page.getByTestId('live-indicator')).toHaveText('GO LIVE');
  await page.getByRole('button', { name: 'Next recording' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'No later recording' })).toBeVisible();
  await page.keyboard.press('l');
});
