// Login required (`--auth required` on loopback): the static login page, a viewer whose browser calls to
// admin routes fail with 403 and whose UI has no admin controls, the admin's users dialog, the first-run
// dialog on loopback without an admin, and a session that expires (NVR_SESSION_TTL_S) → /login.
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { startEngine } from './fixtures/engine';
import type { EngineHandle } from './fixtures/engine-process';

const ADMIN_PASSWORD = 'e2e-admin-password';
const VIEWER_PASSWORD = 'e2e-viewer-password';

function startWithAuth(env: Record<string, string>, demo = false): Promise<EngineHandle> {
  return startEngine({
    demo,
    adminPassword: ADMIN_PASSWORD,
    env,
    extraArgs: ['--auth', 'required'],
  });
}

async function signIn(page: Page, user: string, password: string) {
  await page.getByLabel('Username').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test.describe('login required', () => {
  let engine: EngineHandle;
  test.beforeAll(async () => {
    engine = await startWithAuth({});
  });
  test.afterAll(async () => {
    await engine?.stop();
  });

  test('the login page refuses a wrong password and signs the admin in', async ({ page }) => {
    const cspErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text()))
        cspErrors.push(m.text());
    });
    await page.goto(engine.url);
    await expect(page).toHaveURL(/\/login$/);
    await signIn(page, 'admin', 'not-the-password');
    await expect(page.getByTestId('login-error')).toHaveText('wrong username or password');
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await expect(page).toHaveURL(`${engine.url}/`);
    const who = await page.evaluate(async () => (await fetch('/api/auth/whoami')).json());
    expect(who).toMatchObject({ user: 'admin', role: 'admin', authMode: 'required' });
    // the cookie is HttpOnly: page scripts cannot read it
    expect(await page.evaluate(() => document.cookie)).not.toContain('nvr_session');
    expect(cspErrors).toEqual([]);
  });

  test("a viewer's browser gets 403 from admin routes", async ({ page, request }) => {
    const login = await request.post(`${engine.url}/api/auth/login`, {
      data: { username: 'admin', password: ADMIN_PASSWORD },
    });
    const { token } = (await login.json()) as { token: string };
    const created = await request.post(`${engine.url}/api/auth/users`, {
      headers: { authorization: `Bearer ${token}` },
      data: { username: 'guard', password: VIEWER_PASSWORD, role: 'viewer' },
    });
    expect(created.status()).toBe(201);

    await page.goto(`${engine.url}/login`);
    await signIn(page, 'guard', VIEWER_PASSWORD);
    await expect(page).toHaveURL(`${engine.url}/`);
    const results = await page.evaluate(async () => {
      const who = await (await fetch('/api/auth/whoami')).json();
      const cameras = (await fetch('/api/cameras')).status;
      const add = (
        await fetch('/api/cameras', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'X', streams: { main: { url: 'rtsp://127.0.0.1:1/x' } } }),
        })
      ).status;
      const users = (await fetch('/api/auth/users')).status;
      return { who, cameras, add, users };
    });
    expect(results).toEqual({
      who: expect.objectContaining({ user: 'guard', role: 'viewer' }),
      cameras: 200,
      add: 403,
      users: 403,
    });
  });
});

test.describe('roles in the UI', () => {
  let engine: EngineHandle;
  test.beforeAll(async () => {
    engine = await startWithAuth({}, true);
  });
  test.afterAll(async () => {
    await engine?.stop();
  });

  test("a viewer's UI without admin controls; live tiles still play", async ({ page, request }) => {
    const login = await request.post(`${engine.url}/api/auth/login`, {
      data: { username: 'admin', password: ADMIN_PASSWORD },
    });
    const { token } = (await login.json()) as { token: string };
    const created = await request.post(`${engine.url}/api/auth/users`, {
      headers: { authorization: `Bearer ${token}` },
      data: { username: 'watcher', password: VIEWER_PASSWORD, role: 'viewer' },
    });
    expect(created.status()).toBe(201);

    await page.goto(`${engine.url}/login`);
    await signIn(page, 'watcher', VIEWER_PASSWORD);
    await expect(page).toHaveURL(`${engine.url}/`);
    const tiles = page.locator('[data-testid=tile][data-camera-id]');
    await expect(tiles.first()).toHaveAttribute('data-player', 'live', { timeout: 30_000 });
    await expect(page.getByTestId('user-name')).toHaveText('watcher (viewer)');
    await expect(page.getByTestId('add-camera')).toHaveCount(0);
    await expect(page.locator('.tile-gear')).toHaveCount(0);
    await expect(page.getByRole('button', { name: /Add camera/ })).toHaveCount(0);
    await page.getByTestId('user-menu').click();
    await expect(page.getByTestId('logout')).toBeVisible();
    await expect(page.getByTestId('open-users')).toHaveCount(0);
    await page.screenshot({ path: '/tmp/auth-shots/viewer.png' });
    // Log out ends the session and goes to the login page.
    await page.getByTestId('logout').click();
    await expect(page).toHaveURL(/\/login$/);
    const after = await page.evaluate(async () => (await fetch('/api/auth/whoami')).status);
    expect(after).toBe(401);
  });

  test('an admin manages users and API tokens from the user menu', async ({ page }) => {
    await page.goto(`${engine.url}/login`);
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await expect(page).toHaveURL(`${engine.url}/`);
    await expect(page.getByTestId('add-camera')).toBeVisible();
    await page.getByTestId('user-menu').click();
    await page.getByTestId('open-users').click();
    const dialog = page.getByTestId('users-dialog');
    await expect(dialog.getByTestId('user-row').first()).toBeVisible();

    await dialog.getByRole('button', { name: 'Add user' }).first().click();
    const editor = dialog.getByTestId('user-editor');
    await editor.getByLabel('User name').fill('nightshift');
    await editor.getByLabel(/Password/).fill('night-shift-pw-1');
    await editor.getByLabel('All cameras').uncheck();
    await editor.getByTestId('camera-set').getByRole('checkbox').nth(1).check();
    await editor.getByRole('button', { name: 'Add user' }).click();
    const row = dialog.locator('[data-testid=user-row][data-username=nightshift]');
    await expect(row).toContainText('viewer');

    await dialog.getByPlaceholder('e.g. dashboard').fill('wall-screen');
    await dialog.getByRole('button', { name: 'Create token' }).click();
    const secret = dialog.getByTestId('new-token').getByRole('textbox');
    await expect(secret).toHaveValue(/^nvr_/);
    const apiToken = await secret.inputValue();
    const ok = await page.request.get(`${engine.url}/api/cameras`, {
      headers: { authorization: `Bearer ${apiToken}` },
    });
    expect(ok.status()).toBe(200);
    await page.screenshot({ path: '/tmp/auth-shots/users-dialog.png' });
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect(dialog.getByTestId('new-token')).toHaveCount(0);

    const tokenRow = dialog.getByTestId('token-row').filter({ hasText: 'wall-screen' });
    await tokenRow.getByRole('button', { name: 'Revoke…' }).click();
    await tokenRow.getByRole('button', { name: 'Revoke wall-screen' }).click();
    await expect(tokenRow).toHaveCount(0);
    const revoked = await page.request.get(`${engine.url}/api/cameras`, {
      headers: { authorization: `Bearer ${apiToken}` },
    });
    expect(revoked.status()).toBe(401);

    await row.getByRole('button', { name: 'Delete…' }).click();
    await row.getByRole('button', { name: 'Delete nightshift' }).click();
    await expect(row).toHaveCount(0);
  });
});

test.describe('first run on loopback', () => {
  let engine: EngineHandle;
  test.beforeAll(async () => {
    engine = await startEngine({ demo: false, adminPassword: null });
  });
  test.afterAll(async () => {
    await engine?.stop();
  });

  test('invites to set the admin password when no admin exists', async ({ page }) => {
    await page.goto(engine.url);
    const dialog = page.getByTestId('first-run');
    await expect(dialog).toBeVisible();
    await page.screenshot({ path: '/tmp/auth-shots/first-run.png' });
    await dialog.getByLabel(/^Password \(/).fill('short');
    await dialog.getByLabel('Password again').fill('short');
    await dialog.getByRole('button', { name: 'Create admin' }).click();
    await expect(dialog.getByRole('alert')).toContainText('10 characters');
    await dialog.getByLabel(/^Password \(/).fill('first-admin-pw-1');
    await dialog.getByLabel('Password again').fill('first-admin-pw-1');
    await dialog.getByRole('button', { name: 'Create admin' }).click();
    await expect(dialog).toHaveCount(0);
    const setup = await page.evaluate(async () => (await fetch('/api/auth/setup')).json());
    expect(setup).toEqual({ adminExists: true });
    await page.reload();
    await expect(page.getByTestId('user-name')).toHaveText('Local admin');
    await expect(page.getByTestId('first-run')).toHaveCount(0);
  });
});

test.describe('session expiry', () => {
  let engine: EngineHandle;
  test.beforeAll(async () => {
    engine = await startWithAuth({ NVR_SESSION_TTL_S: '6' });
  });
  test.afterAll(async () => {
    await engine?.stop();
  });

  test('an expired session is refused and the page goes back to /login', async ({ page }) => {
    await page.goto(`${engine.url}/login`);
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await expect(page).toHaveURL(`${engine.url}/`);
    // Asked with the page's cookies but outside the page: once the session expires, the UI's own
    // next call may send the page to /login at any moment, and an evaluate in it would be cut off.
    const status = async () =>
      (
        await page.request.get(`${engine.url}/api/auth/whoami`, { failOnStatusCode: false })
      ).status();
    expect(await status()).toBe(200);
    await expect.poll(status, { timeout: 20_000, intervals: [250] }).toBe(401);
    // The next API call of the UI answers 401: the renderer goes to the login page by itself.
    await page.getByRole('button', { name: 'Settings' }).click();
    await expect(page).toHaveURL(/\/login$/);
    await page.goto(engine.url);
    await expect(page).toHaveURL(/\/login$/);
  });
});
