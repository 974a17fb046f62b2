// Menus, alerts, updater gating, the app:// file resolution and pause/resume of recording.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { nvrEvent, type Camera, type NvrApi } from '../../src-preload/contract';
import { createAlertMonitor, type Alert } from './alerts';
import { resolveAppFile } from './app-protocol';
import { appMenuTemplate, recordingLabel, trayMenuTemplate, type AppActions } from './menus';
import {
  pauseAllRecording,
  resumeAllRecording,
  isRecordingPaused,
  type PauseStore,
} from './recording-pause';
import { startAutoUpdate, updatesEnabled, type UpdaterLike } from './updater';

function recorder() {
  const calls: string[] = [];
  const actions: AppActions = {
    openWindow: () => calls.push('open'),
    setPaused: (p) => calls.push(`paused:${p}`),
    quit: () => calls.push('quit'),
    setCloseToTray: (on) => calls.push(`tray:${on}`),
    setOpenAtLogin: (on) => calls.push(`login:${on}`),
    openWall: (id) => calls.push(`wall:${id}`),
    closeWalls: () => calls.push('closeWalls'),
  };
  return { calls, actions };
}
type Clickable = {
  click?: (...a: unknown[]) => void;
  id?: string;
  label?: string;
  submenu?: unknown;
};

describe('menus', () => {
  it('tray shows the recording state and toggles pause', () => {
    const { calls, actions } = recorder();
    const state = {
      engine: 'running' as const,
      paused: false,
      streamingCameras: 3,
      offlineCameras: 1,
    };
    const items = trayMenuTemplate(state, actions) as Clickable[];
    expect(items[0]?.label).toBe('Recording 3 cameras, 1 offline');
    items.find((i) => i.id === 'pause')?.click?.();
    items.find((i) => i.id === 'open')?.click?.();
    items.find((i) => i.id === 'quit')?.click?.();
    expect(calls).toEqual(['paused:true', 'open', 'quit']);
    expect(
      trayMenuTemplate({ ...state, paused: true }, actions).find((i) => i.id === 'pause')?.label,
    ).toBe('Resume all recording');
    expect(recordingLabel({ ...state, engine: 'restarting' })).toBe('Engine restarting…');
  });

  it('application menu has the usual roles, the settings and one wall entry per display', () => {
    const { calls, actions } = recorder();
    const displays = [1, 2].map((id) => ({
      id,
      bounds: { x: 0, y: 0, width: 1920, height: 1080 },
      workArea: { x: 0, y: 0, width: 1920, height: 1040 },
    }));
    const menu = appMenuTemplate({
      platform: 'linux',
      closeToTray: true,
      openAtLogin: false,
      displays,
      wallsOpen: false,
      actions,
    });
    const flat: Clickable[] = [];
    const walk = (items: unknown) => {
      for (const i of items as (Clickable & { role?: string })[]) {
        flat.push(i);
        if (Array.isArray(i.submenu)) walk(i.submenu);
      }
    };
    walk(menu);
    const roles = flat.map((i) => (i as { role?: string }).role).filter(Boolean);
    expect(roles).toEqual(
      expect.arrayContaining([
        'editMenu',
        'reload',
        'toggleDevTools',
        'zoomIn',
        'togglefullscreen',
        'windowMenu',
      ]),
    );
    flat.find((i) => i.id === 'wall-2')?.click?.();
    flat.find((i) => i.id === 'openAtLogin')?.click?.({ checked: true });
    flat.find((i) => i.id === 'closeToTray')?.click?.({ checked: false });
    expect(calls).toEqual(['wall:2', 'login:true', 'tray:false']);
  });
});

describe('alerts', () => {
  it('notifies once per offline episode and once per low-disk episode', () => {
    const alerts: Alert[] = [];
    const monitor = createAlertMonitor({ notify: (a) => alerts.push(a), cameraName: () => 'Door' });
    const state = (s: 'failed' | 'streaming' | 'reconnecting') =>
      nvrEvent('camera.state', { id: 'door', status: { state: s, streams: {} } });
    monitor(state('reconnecting'));
    monitor(state('failed'));
    monitor(state('streaming'));
    monitor(state('failed'));
    const stats = (freeBytes: number) =>
      nvrEvent('system.stats', {
        version: '1',
        uptimeMs: 1,
        cameras: [],
        disk: { totalBytes: 1e12, freeBytes, recordingsBytes: 0 },
        cpu: { cores: 2, percent: 1 },
        memory: { totalBytes: 1, freeBytes: 1, rssBytes: 1 },
      });
    monitor(stats(1e10));
    monitor(stats(2e10));
    monitor(stats(5e11));
    monitor(stats(1e10));
    expect(alerts.map((a) => a.title)).toEqual([
      'Camera offline: Door',
      'Camera offline: Door',
      'Disk space low',
      'Disk space low',
    ]);
  });
});

describe('updater', () => {
  it('is off unless packaged and not in development', () => {
    expect(updatesEnabled(false, {})).toBe(false);
    expect(updatesEnabled(true, { NODE_ENV: 'development' })).toBe(false);
    expect(updatesEnabled(true, {})).toBe(true);
    let created = false;
    startAutoUpdate({
      isPackaged: false,
      env: {},
      updater: () => ((created = true), {} as UpdaterLike),
      offerRestart: async () => true,
    })();
    expect(created).toBe(false);
  });

  it('checks on start, downloads in the background and restarts when the user agrees', async () => {
    const handlers: Record<string, (arg: never) => void> = {};
    let checks = 0;
    let installed = false;
    const fake = {
      autoDownload: false,
      autoInstallOnAppQuit: false,
      checkForUpdates: async () => (checks++, null),
      quitAndInstall: () => void (installed = true),
      on: (name: string, l: (arg: never) => void) => void (handlers[name] = l),
    } as unknown as UpdaterLike;
    let offered = '';
    const agreed = new Promise<void>((resolve) => {
      const stop = startAutoUpdate({
        isPackaged: true,
        env: {},
        updater: () => fake,
        offerRestart: async (v) => {
          offered = v;
          stop();
          resolve();
          return true;
        },
      });
    });
    expect(checks).toBe(1);
    expect(fake.autoDownload).toBe(true);
    (handlers['update-downloaded'] as (i: { version: string }) => void)({ version: '2.0.0' });
    await agreed;
    await Promise.resolve();
    expect(offered).toBe('2.0.0');
    expect(installed).toBe(true);
  });
});

describe('app:// protocol', () => {
  const root = path.resolve('/srv/renderer');
  it('maps app URLs into the renderer folder and refuses traversal and other hosts', () => {
    expect(resolveAppFile('app://nvr/', root)).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile('app://nvr/assets/a.js?x=1', root)).toBe(path.join(root, 'assets/a.js'));
    // The URL parser folds dot segments first: this one stays inside the root.
    expect(resolveAppFile('app://nvr/%2e%2e/%2e%2e/etc/passwd', root)).toBe(
      path.join(root, 'etc/passwd'),
    );
    expect(resolveAppFile('app://nvr/..%2F..%2Fetc/passwd', root)).toBeUndefined();
    expect(resolveAppFile('app://evil/index.html', root)).toBeUndefined();
    expect(resolveAppFile('https://nvr/index.html', root)).toBeUndefined();
  });
});

describe('pause/resume all recording', () => {
  it('turns recording off and restores each camera’s previous mode', async () => {
    const cameras = new Map<string, 'continuous' | 'off'>([
      ['a', 'continuous'],
      ['b', 'off'],
    ]);
    const api = {
      listCameras: async () =>
        [...cameras].map(([id, mode]) => ({ id, recording: { mode } }) as Camera),
      updateCamera: async ({
        id,
        patch,
      }: {
        id: string;
        patch: { recording?: { mode?: 'continuous' | 'off' } };
      }) => {
        cameras.set(id, patch.recording?.mode ?? 'off');
        return { id } as Camera;
      },
    } as unknown as Pick<NvrApi, 'listCameras' | 'updateCamera'>;
    let saved: { pausedRecordingModes?: Record<string, 'continuous' | 'off'> } = {};
    const store: PauseStore = { get: () => saved, update: (p) => (saved = { ...saved, ...p }) };
    await pauseAllRecording(api, store);
    expect(isRecordingPaused(store)).toBe(true);
    expect([...cameras.values()]).toEqual(['off', 'off']);
    await resumeAllRecording(api, store);
    expect(Object.fromEntries(cameras)).toEqual({ a: 'continuous', b: 'off' });
    expect(isRecordingPaused(store)).toBe(false);
  });
});
