// Login required (`--auth required` on loopback): the static login page, a viewer whose browser calls to
// admin routes fail with 403, and a session that expires (NVR_SESSION_TTL_S) and sends the page to /login.
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { startEngine } from './fixtures/engine';
import type { EngineHandle } from './fixtures/engine-process';

const ADMIN_PASSWORD = 'e2e-admin-password';
const VIEWER_PASSWORD = 'e2e-viewer-password';

async function startWithAuth(env: Record<string, string>): Promise<EngineHandle> {
  const saved = { ...process.env };
  Object.assign(process.env, { NVR_ADMIN_PASSWORD: ADMIN_PASSWORD, ...env });
  try {
    return await startEngine({ demo: false, extraArgs: ['--auth', 'required'] });
  } finally {
    for (const k of ['NVR_ADMIN_PASSWORD', ...Object.keys(env)])
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
  }
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

test.describe('session expiry', () => {
  let engine: EngineHandle;
  test.beforeAll(async () => {
    engine = await startWithAuth({ NVR_SESSION_TTL_S: '3' });
  });
  test.afterAll(async () => {
    await engine?.stop();
  });

  test('an expired session is refused and the page goes back to /login', async ({ page }) => {
    await page.goto(`${engine.url}/login`);
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await expect(page).toHaveURL(`${engine.url}/`);
    const status = () => page.evaluate(async () => (await fetch('/api/auth/whoami')).status);
    expect(await status()).toBe(200);
    await expect.poll(status, { timeout: 10_000, intervals: [250] }).toBe(401);
    await page.reload();
    await expect(page).toHaveURL(/\/login$/);
  });
});
