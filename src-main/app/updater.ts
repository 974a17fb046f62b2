// Auto-update (electron-updater): check on start and every few hours, download in the background, offer a
// restart. Off when not packaged or in development. The updater object is injected (main.ts passes autoUpdater).
import type { AppUpdater } from 'electron-updater';

export type UpdaterLike = Pick<AppUpdater, 'checkForUpdates' | 'quitAndInstall'> & {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  on(event: 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
};

export interface UpdaterOptions {
  isPackaged: boolean;
  env: Record<string, string | undefined>;
  updater: () => UpdaterLike;
  /** Asks the user; resolves true to restart now. */
  offerRestart: (version: string) => Promise<boolean>;
  intervalMs?: number;
  log?: (message: string) => void;
}

export const UPDATE_INTERVAL_MS = 4 * 60 * 60 * 1000;

export function updatesEnabled(
  isPackaged: boolean,
  env: Record<string, string | undefined>,
): boolean {
  return isPackaged && env.NODE_ENV !== 'development' && env.NVR_DISABLE_UPDATES !== '1';
}

/** Starts the update loop; returns a stop function (a no-op when updates are off). */
export function startAutoUpdate(options: UpdaterOptions): () => void {
  const log = options.log ?? (() => {});
  if (!updatesEnabled(options.isPackaged, options.env)) {
    log('auto-update off (not packaged or development)');
    return () => {};
  }
  const updater = options.updater();
  updater.autoDownload = true;
  updater.autoInstallOnAppQuit = true;
  let offered = false;
  updater.on('error', (error) => log(`update check failed: ${error.message}`));
  updater.on('update-downloaded', (info) => {
    if (offered) return;
    offered = true;
    void options.offerRestart(info.version).then((restart) => {
      if (restart) updater.quitAndInstall();
    });
  });
  const check = () => {
    updater.checkForUpdates().catch((e: unknown) => log(`update check failed: ${String(e)}`));
  };
  check();
  const timer = setInterval(check, options.intervalMs ?? UPDATE_INTERVAL_MS);
  timer.unref?.();
  return () => clearInterval(timer);
}
