// The "Enter RTSP URL" Test (issue 22, UI finding 8), against the shared demo engine's RTSP server: a
// wrong path says there is no stream at that path, editing the URL clears the old result, and the
// right path shows a picture.
import path from 'node:path';
import { ARTIFACTS, expect, test } from './fixtures/engine';

test('RTSP Test: wrong path in words, an edit clears the result, the right path shows a picture', async ({
  page,
  engine,
}) => {
  test.setTimeout(90_000);
  const cams = (await (await fetch(`${engine.url}/api/cameras`)).json()) as {
    id: string;
    streams: { main: { url: string } };
  }[];
  const good = cams.find((c) => c.id === 'door')!.streams.main.url;
  const wrong = good.replace(/\/door\/main$/, '/no-such/path');
  await page.goto(engine.url);
  await page.getByRole('button', { name: 'Add camera' }).first().click();
  await page.getByRole('tab', { name: 'RTSP URL' }).click();
  const url = page.getByLabel('Main stream URL');
  await url.fill(wrong);
  await page.getByRole('button', { name: 'Test', exact: true }).click();
  const alert = page.locator('.preview[data-state=error]');
  await expect(alert).toContainText(/no stream at/i, { timeout: 30_000 });
  await page.screenshot({ path: path.join(ARTIFACTS, 'rtsp-test-wrong-path.png') });

  await url.fill(good); // the old error belongs to the old URL
  await expect(alert).toHaveCount(0);
  await page.getByRole('button', { name: 'Test', exact: true }).click();
  await expect(page.locator('.preview[data-state=ok] img')).toBeVisible({ timeout: 30_000 });
  await url.fill(wrong);
  await expect(page.locator('.preview[data-state=ok]')).toHaveCount(0);
  await page.keyboard.press('Escape');
});

test('camera settings have a Test button that shows the stream as typed', async ({
  page,
  engine,
}) => {
  test.setTimeout(60_000);
  await page.goto(engine.url);
  const door = page.locator('[data-testid=tile][data-camera-id=door]');
  await expect(door).toBeVisible();
  await door.getByRole('button', { name: /^Settings of/ }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Test', exact: true }).click();
  await expect(dialog.locator('.preview[data-state=ok] img')).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: path.join(ARTIFACTS, 'settings-test.png') });
  await page.keyboard.press('Escape');
});
