// Electron specs: run the desktop app through Playwright's _electron only where the Electron binary is
// installed; elsewhere (ELECTRON_SKIP_BINARY_DOWNLOAD) skip and say why. Never triggers a download.
import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
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

test.describe('electron app', () => {
  const bin = electronBinary();
  if (!bin.path)
    console.log(`electron specs skipped: Electron binary not installed here (${bin.why})`);
  test.skip(
    !bin.path,
    `Electron binary not installed here (ELECTRON_SKIP_BINARY_DOWNLOAD): ${bin.why}`,
  );

  test('opens the main window with the app shell', async () => {
    expect(existsSync(MAIN), `${MAIN} is missing: run \`npm run build\``).toBe(true);
    const app = await electron.launch({
      executablePath: bin.path!,
      args: [MAIN, '--no-sandbox', '--disable-gpu'],
      cwd: REPO_ROOT,
      env: { ...process.env, NVR_DEMO: '1', ELECTRON_ENABLE_LOGGING: '1' },
    });
    try {
      const window = await app.firstWindow();
      await expect(window.getByTestId('product-name')).toHaveText('NVR');
      // Security baseline (DESIGN §10): no Node in the renderer, the typed bridge only.
      expect(
        await window.evaluate(() => typeof (globalThis as { require?: unknown }).require),
      ).toBe('undefined');
      expect(await window.evaluate(() => typeof (window as unknown as { nvr?: unknown }).nvr)).toBe(
        'object',
      );
      await window.screenshot({ path: path.join(ARTIFACTS, 'electron.png') });
    } finally {
      await app.close();
    }
  });
});
