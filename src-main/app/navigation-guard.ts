// Navigation guard: the app's pages live only under app://nvr/ (the custom protocol); navigation and
// window.open stay there, external http(s) links go to the system browser after a check. No electron import.
import type { WebContents } from 'electron';

export const APP_SCHEME = 'app';
export const APP_HOST = 'nvr';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** True for a URL of the app itself (app://nvr/...). */
export function isAppUrl(raw: string | undefined | null): boolean {
  if (!raw) return false;
  try {
    const url = new URL(raw);
    return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST && !url.username;
  } catch {
    return false;
  }
}

/** An external link the system browser may open: http(s) with a host, no credentials, not loopback-only tricks. */
export function isSafeExternalUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
  if (!url.hostname || url.username || url.password) return false;
  return raw.length <= 2048;
}

export type WebContentsLike = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

export interface NavigationGuardOptions {
  openExternal: (url: string) => void;
  log?: (message: string) => void;
}

/** Decision for a navigation attempt (exported for tests). */
export function navigationDecision(url: string): 'allow' | 'external' | 'block' {
  if (isAppUrl(url)) return 'allow';
  return isSafeExternalUrl(url) ? 'external' : 'block';
}

/** Locks a window's navigation, redirects and new windows to the app. */
export function guardNavigation(contents: WebContentsLike, options: NavigationGuardOptions): void {
  const log = options.log ?? (() => {});
  const onNavigate = (event: { preventDefault(): void }, url: string) => {
    const decision = navigationDecision(url);
    if (decision === 'allow') return;
    event.preventDefault();
    if (decision === 'external') options.openExternal(url);
    else log(`blocked navigation to ${url.slice(0, 200)}`);
  };
  contents.on('will-navigate', onNavigate);
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (navigationDecision(url) === 'external') options.openExternal(url);
    else log(`blocked window.open of ${url.slice(0, 200)}`);
    return { action: 'deny' };
  });
}

/** Permissions the app grants: none except fullscreen (wall displays) and notifications. */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['fullscreen', 'notifications']);

/** Permission check: only for app pages and only the allowed permissions. */
export function isPermissionAllowed(
  permission: string,
  requestingUrl: string | undefined,
): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isAppUrl(requestingUrl);
}
