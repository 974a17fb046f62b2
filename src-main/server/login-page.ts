// The static login page served at /login and its script at /login.js (no inline script: the page's CSP
// allows only 'self' scripts). Posts to /api/auth/login and goes to / on success. No logic beyond that.

export const LOGIN_PAGE_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>NVR · Sign in</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body { font-family: system-ui, sans-serif; background: #111; color: #eee; display: grid; place-items: center; min-height: 100vh; margin: 0 }
form { background: #1c1c1c; padding: 2em; border-radius: 8px; display: grid; gap: .8em; min-width: 18em }
input, button { font: inherit; padding: .5em; border-radius: 4px; border: 1px solid #444; background: #222; color: #eee }
button { background: #2a6; border: 0; cursor: pointer }
#error { color: #f66; min-height: 1.2em }
</style></head>
<body>
<form id="login" data-testid="login-form" method="post" action="/api/auth/login">
<h1>NVR</h1>
<label>Username <input id="username" name="username" autocomplete="username" required maxlength="64"></label>
<label>Password <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="256"></label>
<button type="submit" id="submit">Sign in</button>
<div id="error" role="alert" data-testid="login-error"></div>
</form>
<script src="/login.js"></script>
</body></html>
`;

export const LOGIN_PAGE_SCRIPT = `'use strict';
document.getElementById('login').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const error = document.getElementById('error');
  error.textContent = '';
  const body = JSON.stringify({
    username: document.getElementById('username').value,
    password: document.getElementById('password').value,
  });
  try {
    const res = await fetch('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      credentials: 'same-origin',
      body,
    });
    if (res.ok) { location.assign('/'); return; }
    const data = await res.json().catch(() => ({}));
    error.textContent = res.status === 429
      ? 'Too many attempts. Try again in ' + (res.headers.get('retry-after') || 'a few') + ' s.'
      : (data.error && data.error.message) || 'Sign-in failed';
  } catch (e) {
    error.textContent = 'Cannot reach the server';
  }
});
`;
