// Electron specs: run the desktop app through Playwright's _electron only where the Electron binary is
// installed; elsewhere (ELECTRON_SKIP_BINARY_DOWNLOAD) skip and say why. Never triggers a download.
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ARTIFACTS, REPO_ROOT } from './fixtures/engine';

/**
 * Finds the Electron binary the way `require('electron')` would, without requiring it: the package's
 * index.js DOWNLOADS the binary when it is missing, and this machine has no internet.
 */
function electronBinary(): { path?: string; why: string } {
  const pkgDir = path.join(REPO_ROOT, 'node_modules/electron');
  const pathFile = path.join(pkgDir, 'path.txt');
  if (!existsSync(pkgDir)) return { why: 'the electron package is not installed' };
  if (!existsSync(pathFile))
    return { why: `${pathFile} is missing: the binary was never downloaded` };
  const bin = path.join(
    process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(pkgDir, 'dist'),
    readFileSync(pathFile, 'utf8').trim(),
  );
  if (!existsSync(bin)) return { why: `${bin} does not exist` };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
    return { why: `${bin} exists but there is no display: run under xvfb-run` };
  return { path: bin, why: '' };
}

const MAIN = path.join(REPO_ROOT, 'dist/app/main.cjs');

async function launch(userData: string): Promise<ElectronApplication> {
  expect(existsSync(MAIN), `${MAIN} is missing: run \`npm run build\``).toBe(true);
  return electron.launch({
    executablePath: electronBinary().path!,
    args: [MAIN, '--no-sandbox', '--disable-gpu'],
    cwd: REPO_ROOT,
    env: { ...process.env, NVR_DEMO: '1', NVR_USER_DATA: userData, ELECTRON_ENABLE_LOGGING: '1' },
  });
}

test.describe('electron app', () => {
  const bin = electronBinary();
  if (!bin.path)
    console.log(`electron specs skipped: Electron binary not installed here (${bin.why})`);
  test.skip(
    !bin.path,
    `Electron binary not installed here (ELECTRON_SKIP_BINARY_DOWNLOAD): ${bin.why}`,
  );

  let userData = '';
  test.beforeEach(() => {
    userData = mkdtempSync(path.join(tmpdir(), 'nvr-electron-'));
  });
  test.afterEach(() => rmSync(userData, { recursive: true, force: true }));

  test('launches a secure window showing the camera grid', async () => {
    test.setTimeout(60_000);
    const app = await launch(userData);
    try {
      const window = await app.firstWindow();
      await expect(window.getByTestId('product-name')).toHaveText('NVR');
      expect(window.url()).toMatch(/^app:\/\/nvr\//);
      // Security baseline (DESIGN §10): no Node in the renderer, the typed bridge only.
      expect(
        await window.evaluate(() => typeof (globalThis as { require?: unknown }).require),
      ).toBe('undefined');
      expect(await window.evaluate(() => typeof (window as unknown as { nvr?: unknown }).nvr)).toBe(
        'object',
      );
      // Sandboxed and isolated: no Node globals, and the bridge is a frozen copy of NvrApi.
      expect(
        await window.evaluate(() => typeof (globalThis as { process?: unknown }).process),
      ).toBe('undefined');
      expect(
        await window.evaluate(() => {
          const nvr = (window as unknown as { nvr: Record<string, unknown> }).nvr;
          return [typeof nvr.listCameras, typeof nvr.subscribe, Object.isFrozen(nvr)];
        }),
      ).toEqual(['function', 'function', true]);
      await expect(window.locator('[data-testid=tile][data-camera-id]')).toHaveCount(4, {
        timeout: 30_000,
      });
      await window.screenshot({ path: path.join(ARTIFACTS, 'electron.png') });
    } finally {
      await app.close();
    }
  });

  test('exports a clip through the native save dialog (stubbed in main)', async () => {
    test.setTimeout(120_000);
    const app = await launch(userData);
    const target = path.join(userData, 'clip.mp4');
    try {
      await app.evaluate(({ dialog }, filePath) => {
        dialog.showSaveDialog = (async () => ({ canceled: false, filePath })) as never;
      }, target);
      const window = await app.firstWindow();
      await expect(window.locator('[data-testid=tile][data-camera-id]')).toHaveCount(4, {
        timeout: 30_000,
      });
      // Let the demo cameras record a little before exporting the last minute.
      await expect
        .poll(
          async () => {
            await window.keyboard.press('e');
            const dialog = window.getByRole('dialog', { name: 'Export' });
            await dialog.getByRole('button', { name: '60 s' }).click();
            const boxes = dialog.getByRole('checkbox');
            for (let i = 1; i < (await boxes.count()); i++) await boxes.nth(i).uncheck();
            await dialog.getByTestId('export-start').click();
            const job = dialog.getByTestId('export-job').last();
            await expect(job).not.toHaveAttribute('data-state', /queued|running/, {
              timeout: 30_000,
            });
            const state = await job.getAttribute('data-state');
            if (state === 'done') await dialog.getByTestId('export-download').last().click();
            else await window.keyboard.press('Escape');
            return state;
          },
          { timeout: 90_000, intervals: [3_000] },
        )
        .toBe('done');
      await expect
        .poll(() => (existsSync(target) ? statSync(target).size : 0), {
          timeout: 30_000,
        })
        .toBeGreaterThan(10_000);
    } finally {
      await app.close();
    }
  });
});
