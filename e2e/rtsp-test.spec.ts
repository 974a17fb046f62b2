// The "Enter RTSP URL" Test (issue 22, UI finding 8), against the shared demo engine's RTSP server: a
// wrong path says there is no stream at that path, editing the URL clears the old result, and the
// right path shows a picture. Camera settings' Test: the stream as typed, and a camera behind a
// password (its own Digest-protected RtspServer) tested with the stored password, never retyped.
import path from 'node:path';
import { RtspServer } from '../src-main/camera/rtsp';
import type { Camera } from '../src-preload/contract';
import { ARTIFACTS, REPO_ROOT, expect, test } from './fixtures/engine';

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

test('camera settings Test of a camera with a password uses the stored one', async ({
  page,
  engine,
}) => {
  test.setTimeout(90_000);
  const login = { username: 'gate', password: 'stored-only-9c4b' };
  const server = new RtspServer({ auth: { users: [login], scheme: 'digest' } });
  await server.addClipStream('/gate/main', {
    file: path.join(REPO_ROOT, 'resources/demo/door-main.h264'),
  });
  const { port } = await server.listen({ host: '127.0.0.1', port: 0 });
  const res = await fetch(`${engine.url}/api/cameras`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Locked gate',
      streams: { main: { url: `rtsp://127.0.0.1:${port}/gate/main` } },
      transport: 'tcp',
      ...login,
      recording: { mode: 'off', retentionDays: 1, recordSub: false },
    }),
  });
  expect(res.status).toBe(201);
  const camera = (await res.json()) as Camera;
  expect(camera.hasPassword).toBe(true);
  const sent: string[] = [];
  page.on('request', (r) => sent.push(r.postData() ?? ''));
  try {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(engine.url);
    await expect(page.locator('[data-testid=tile][data-camera-id]').first()).toBeVisible();
    await page.keyboard.press('3'); // 3×3: the demo's four cameras and this one
    const tile = page.locator(`[data-testid=tile][data-camera-id=${camera.id}]`);
    await expect(tile).toBeVisible();
    await tile.getByRole('button', { name: /^Settings of/ }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByLabel('Password')).toHaveValue('');
    await dialog.getByRole('button', { name: 'Test', exact: true }).click();
    const ok = dialog.locator('.preview[data-state=ok]');
    await expect(ok.locator('img')).toBeVisible({ timeout: 30_000 });
    await expect(ok).toContainText('H.264');
    expect(
      await ok.locator('img').evaluate((i) => (i as HTMLImageElement).naturalWidth),
    ).toBeGreaterThan(0);
    await dialog.screenshot({ path: path.join(ARTIFACTS, 'settings-test-stored-password.png') });
    // The page never had the password: it was neither shown nor sent.
    expect(sent.some((b) => b.includes(login.password))).toBe(false);

    // A password typed into the form is the one tested (a wrong one says so in words).
    await dialog.getByLabel('Password').fill('typed-wrong');
    await dialog.getByRole('button', { name: 'Test', exact: true }).click();
    await expect(dialog.locator('.preview[data-state=error]')).toContainText(
      /wrong username or password/i,
      { timeout: 30_000 },
    );
    await page.keyboard.press('Escape');
  } finally {
    await fetch(`${engine.url}/api/cameras/${camera.id}`, { method: 'DELETE' });
    await server.close();
  }
});
