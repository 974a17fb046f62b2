// Navigation guard: app pages stay, safe external links go to the system browser, the rest is blocked;
// window.open is always denied; permissions are limited to the app's needs.
import { describe, expect, it } from 'vitest';
import {
  guardNavigation,
  isAppUrl,
  isPermissionAllowed,
  navigationDecision,
  type WebContentsLike,
} from './navigation-guard';

type Listener = (event: { preventDefault(): void }, url: string) => void;

function fakeContents() {
  const listeners = new Map<string, Listener>();
  let openHandler: ((d: { url: string }) => { action: string }) | undefined;
  const contents = {
    on: (name: string, l: Listener) => listeners.set(name, l),
    setWindowOpenHandler: (h: typeof openHandler) => (openHandler = h),
  } as unknown as WebContentsLike;
  const fire = (name: string, url: string) => {
    let prevented = false;
    listeners.get(name)?.({ preventDefault: () => (prevented = true) }, url);
    return prevented;
  };
  return { contents, fire, open: (url: string) => openHandler?.({ url }) };
}

describe('navigation guard', () => {
  it('classifies URLs', () => {
    expect(isAppUrl('app://nvr/index.html#/grid')).toBe(true);
    expect(isAppUrl('app://other/index.html')).toBe(false);
    expect(isAppUrl('app://user@nvr/')).toBe(false);
    expect(navigationDecision('https://example.com/docs')).toBe('external');
    expect(navigationDecision('https://user:pw@example.com/')).toBe('block');
    expect(navigationDecision('file:///etc/passwd')).toBe('block');
    expect(navigationDecision('javascript:alert(1)')).toBe('block');
    expect(navigationDecision('smb://host/share')).toBe('block');
  });

  it('keeps navigation in the app and sends external links to the browser', () => {
    const opened: string[] = [];
    const { contents, fire, open } = fakeContents();
    guardNavigation(contents, { openExternal: (u) => opened.push(u) });
    expect(fire('will-navigate', 'app://nvr/index.html#/timeline')).toBe(false);
    expect(fire('will-navigate', 'https://example.com/')).toBe(true);
    expect(fire('will-navigate', 'file:///home/user/secret')).toBe(true);
    expect(fire('will-redirect', 'http://127.0.0.1:9/x')).toBe(true);
    expect(fire('will-attach-webview', 'app://nvr/')).toBe(true);
    expect(open('https://github.com/opennvr')).toEqual({ action: 'deny' });
    expect(open('app://nvr/index.html')).toEqual({ action: 'deny' });
    expect(open('ftp://example.com/')).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://example.com/', 'https://github.com/opennvr']);
  });

  it('grants only fullscreen and notifications, and only to app pages', () => {
    expect(isPermissionAllowed('fullscreen', 'app://nvr/index.html')).toBe(true);
    expect(isPermissionAllowed('notifications', 'app://nvr/')).toBe(true);
    for (const p of ['media', 'geolocation', 'clipboard-read', 'openExternal', 'hid', 'serial'])
      expect(isPermissionAllowed(p, 'app://nvr/')).toBe(false);
    expect(isPermissionAllowed('fullscreen', 'https://evil.example/')).toBe(false);
    expect(isPermissionAllowed('fullscreen', undefined)).toBe(false);
  });
});
