// Decode health in the UI: a camera whose RTSP server drops 2 % of its UDP packets (the demo server's
// --drop-rtp-percent) is shown live with a "degraded" warning whose reason says what to do, in the tile
// and in the status dialog.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { ARTIFACTS, REPO_ROOT, startEngine, type EngineHandle } from './fixtures/engine-process';

let camera: ChildProcess | undefined;
let engine: EngineHandle | undefined;

test.afterAll(async () => {
  await engine?.stop();
  camera?.kill('SIGTERM');
});

/** The demo RTSP server with 2 % UDP loss; resolves with the URL of its door sub stream. */
async function startLossyCamera(): Promise<string> {
  const tsx = path.join(REPO_ROOT, 'node_modules/.bin/tsx');
  camera = spawn(
    tsx,
    [path.join(REPO_ROOT, 'scripts/rtsp-demo-server.ts'), '--port', '0', '--drop-rtp-percent', '2'],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    camera!.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /(rtsp:\/\/\S+\/door\/main)\n/.exec(out);
      if (m) resolve(m[1]!);
    });
    camera!.once('exit', (code) => reject(new Error(`demo RTSP server exited (${code})`)));
  });
}

test('a stream losing UDP packets is shown degraded with its reason', async ({ page }) => {
  test.setTimeout(90_000);
  const rtspUrl = await startLossyCamera();
  engine = await startEngine({ demo: false });
  const added = await fetch(`${engine.url}/api/cameras`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Lossy', transport: 'udp', streams: { main: { url: rtspUrl } } }),
  });
  expect(added.status).toBe(201);

  await page.goto(engine.url);
  const tile = page.locator('[data-testid=tile][aria-label^="Lossy"]');
  await expect(tile).toHaveCount(1, { timeout: 20_000 });
  const health = tile.getByTestId('tile-health');
  await expect(health).toHaveText(/degraded/, { timeout: 30_000 });
  await expect(health).toHaveAttribute(
    'title',
    /^Main stream: [\d.]+ % of frames lost over UDP, try TCP$/,
  );
  await expect(tile.getByTestId('tile-state')).not.toHaveText(/offline/); // a warning only
  await page.screenshot({ path: path.join(ARTIFACTS, 'health-degraded-tile.png') });

  await page
    .getByRole('button', { name: /settings|status/i })
    .first()
    .click();
  await expect(page.getByTestId('status-health')).toContainText('try TCP', { timeout: 10_000 });
  await page.screenshot({ path: path.join(ARTIFACTS, 'health-status-dialog.png') });
});
