// Window options: the security baseline of every app window (context isolation, sandbox, no Node, web
// security) as pure BrowserWindowConstructorOptions, and the Content-Security-Policy of the app pages.
import type { BrowserWindowConstructorOptions, Rectangle } from 'electron';

/** CSP of the app pages: own code only; media and API from the engine on loopback. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: http://127.0.0.1:*",
  "media-src 'self' blob: http://127.0.0.1:*",
  "connect-src 'self' http://127.0.0.1:* ws://127.0.0.1:*",
  "worker-src 'self' blob:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface WindowOptionsInput {
  preloadPath: string;
  bounds?: Partial<Rectangle>;
  /** Wall display: fullscreen kiosk on the given bounds, no frame. */
  kiosk?: boolean;
  iconPath?: string;
}

/** Options of the main window and of wall windows. */
export function windowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  const kiosk = input.kiosk === true;
  return {
    width: input.bounds?.width ?? 1440,
    height: input.bounds?.height ?? 900,
    ...(input.bounds?.x !== undefined && input.bounds?.y !== undefined
      ? { x: input.bounds.x, y: input.bounds.y }
      : {}),
    minWidth: 640,
    minHeight: 400,
    backgroundColor: '#0f1115',
    title: 'NVR',
    show: false,
    ...(input.iconPath ? { icon: input.iconPath } : {}),
    ...(kiosk ? { kiosk: true, fullscreen: true, frame: false, autoHideMenuBar: true } : {}),
    webPreferences: {
      preload: input.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  };
}
