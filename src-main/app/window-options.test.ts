// Window options: the security flags of every app window and the Content-Security-Policy.
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, windowOptions } from './window-options';

describe('windowOptions', () => {
  it.each([false, true])('sets the security baseline (kiosk %s)', (kiosk) => {
    const options = windowOptions({ preloadPath: '/app/preload/index.cjs', kiosk });
    expect(options.webPreferences).toMatchObject({
      preload: '/app/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(options.show).toBe(false);
  });

  it('places a kiosk window fullscreen on the given bounds', () => {
    const bounds = { x: 1920, y: 0, width: 1920, height: 1080 };
    expect(windowOptions({ preloadPath: 'p', bounds, kiosk: true })).toMatchObject({
      ...bounds,
      kiosk: true,
      fullscreen: true,
      frame: false,
    });
    expect(windowOptions({ preloadPath: 'p' })).not.toHaveProperty('kiosk');
  });

  it('has a strict CSP: own scripts only, media and API from loopback only', () => {
    const directives: Record<string, string[]> = Object.fromEntries(
      CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]),
    );
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    for (const sources of Object.values(directives))
      for (const src of sources) expect(src).not.toMatch(/^(\*|https?:|wss?:|https?:\/\/\*.*)$/);
    for (const src of directives['connect-src'] ?? [])
      expect(src).toMatch(/^('self'|http:\/\/127\.0\.0\.1:\*|ws:\/\/127\.0\.0\.1:\*)$/);
  });
});
