// Electron main process: the ONLY code that imports electron at run time. Wiring only: real electron
// objects into the small modules of this folder (window options, navigation guard, IPC bridge, engine
// supervisor, tray/menus, window state, alerts, updater). No engine logic here.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  BrowserWindow,
  Menu,
  Notification,
  Tray,
  app,
  dialog,
  ipcMain,
  nativeImage,
  protocol,
  safeStorage,
  screen,
  session,
  shell,
  utilityProcess,
  type WebContents,
} from 'electron';
import { autoUpdater } from 'electron-updater';
import { IPC_ENGINE_STATUS_CHANNEL, type EngineStatusMessage } from '../../src-preload/contract';
import { APP_INDEX_URL, mimeType, resolveAppFile } from './app-protocol';
import { createAlertMonitor } from './alerts';
import { createEngineApi } from './engine-client';
import { engineEnv, loadDataKey, type DataKeyResult } from './data-key';
import { EngineSupervisor, type ChildLike, type EngineStatus } from './engine-supervisor';
import { forwardEvents, registerIpcBridge } from './ipc-bridge';
import {
  appMenuTemplate,
  recordingLabel,
  trayMenuTemplate,
  type AppActions,
  type TrayState,
} from './menus';
import {
  APP_SCHEME,
  guardNavigation,
  isPermissionAllowed,
  isSafeExternalUrl,
} from './navigation-guard';
import { isRecordingPaused, pauseAllRecording, resumeAllRecording } from './recording-pause';
import { SettingsStore } from './settings-store';
import { startAutoUpdate } from './updater';
import { CONTENT_SECURITY_POLICY, windowOptions } from './window-options';
import { clampBounds, wallDisplay } from './window-state';

const distDir = path.join(__dirname, '..');
const rendererRoot = path.join(distDir, 'renderer');
const preloadPath = path.join(distDir, 'preload', 'index.cjs');
const iconsDir = path.join(app.getAppPath(), 'resources', 'icons');
const log = (message: string) => console.log(`[nvr] ${message}`);

// Tests (and portable setups) keep the settings and recordings in a folder of their own.
if (process.env.NVR_USER_DATA) app.setPath('userData', process.env.NVR_USER_DATA);

protocol.registerSchemesAsPrivileged([
  {
    scheme: APP_SCHEME,
    privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true },
  },
]);

function serveAppProtocol(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(request.url, rendererRoot);
    if (!file) return new Response('not found', { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(body, {
        headers: {
          'content-type': mimeType(file),
          'content-security-policy': CONTENT_SECURITY_POLICY,
          'x-content-type-options': 'nosniff',
        },
      });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
}

function lockDownSessions(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((contents, permission, callback, details) =>
    callback(isPermissionAllowed(permission, details.requestingUrl ?? contents.getURL())),
  );
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isPermissionAllowed(permission, requestingOrigin),
  );
  // Exports: every download goes through the native save dialog.
  ses.on('will-download', (event, item) => {
    const chosen = pendingSaves.get(item.getURL());
    if (chosen) {
      pendingSaves.delete(item.getURL());
      item.setSavePath(chosen);
      return;
    }
    const parent = BrowserWindow.getFocusedWindow() ?? mainWindow;
    const options = { defaultPath: path.join(app.getPath('downloads'), item.getFilename()) };
    event.preventDefault();
    const url = item.getURL();
    void (parent ? dialog.showSaveDialog(parent, options) : dialog.showSaveDialog(options)).then(
      (result) => {
        if (result.canceled || !result.filePath) return;
        pendingSaves.set(url, result.filePath);
        ses.downloadURL(url);
      },
    );
  });
}
/** Downloads whose save path was chosen: the second `will-download` for the URL saves without asking. */
const pendingSaves = new Map<string, string>();

let mainWindow: BrowserWindow | undefined;
const wallWindows = new Map<number, BrowserWindow>();
let quitting = false;
let settings: SettingsStore;
let tray: Tray | undefined;
const trayState: TrayState = {
  engine: 'starting',
  paused: false,
  streamingCameras: 0,
  offlineCameras: 0,
};
const cameraStates = new Map<string, string>();

const appWindows = (): BrowserWindow[] =>
  [mainWindow, ...wallWindows.values()].filter((w): w is BrowserWindow => !!w && !w.isDestroyed());

function createMainWindow(): BrowserWindow {
  const saved = settings.get().mainWindow;
  const bounds = saved
    ? clampBounds(saved.bounds, screen.getAllDisplays(), screen.getPrimaryDisplay())
    : undefined;
  const win = new BrowserWindow(
    windowOptions({ preloadPath, bounds, iconPath: path.join(iconsDir, '256x256.png') }),
  );
  if (saved?.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  const saveState = () => {
    if (win.isDestroyed() || win.isMinimized() || win.isFullScreen()) return;
    settings.update({
      mainWindow: { bounds: win.getNormalBounds(), maximized: win.isMaximized() },
    });
  };
  win.on('close', (event) => {
    saveState();
    if (!quitting && settings.get().closeToTray && tray) {
      event.preventDefault();
      win.hide();
    }
  });
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = undefined;
  });
  win.webContents.on('did-finish-load', () => sendEngineStatus(win.webContents));
  void win.loadURL(APP_INDEX_URL);
  return win;
}

function showMainWindow(): void {
  if (!app.isReady() || !settings) return;
  if (!mainWindow || mainWindow.isDestroyed()) mainWindow = createMainWindow();
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

function placeWall(displayId: number, win: BrowserWindow): void {
  const { display } = wallDisplay(displayId, screen.getAllDisplays(), screen.getPrimaryDisplay());
  win.setFullScreen(false);
  win.setBounds(display.bounds);
  win.setKiosk(true);
}

function openWall(displayId: number): void {
  const existing = wallWindows.get(displayId);
  if (existing && !existing.isDestroyed()) return existing.focus();
  const { display } = wallDisplay(displayId, screen.getAllDisplays(), screen.getPrimaryDisplay());
  const win = new BrowserWindow(
    windowOptions({ preloadPath, bounds: display.bounds, kiosk: true }),
  );
  wallWindows.set(displayId, win);
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    wallWindows.delete(displayId);
    if (!quitting) settings.update({ wallDisplayIds: [...wallWindows.keys()] });
    refreshMenus();
  });
  win.webContents.on('did-finish-load', () => sendEngineStatus(win.webContents));
  void win.loadURL(`${APP_INDEX_URL}#/wall`);
  settings.update({ wallDisplayIds: [...wallWindows.keys()] });
  refreshMenus();
}

function closeWalls(): void {
  for (const win of wallWindows.values()) win.close();
}

function refreshMenus(): void {
  const current = settings.get();
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      appMenuTemplate({
        platform: process.platform,
        closeToTray: current.closeToTray,
        openAtLogin: current.openAtLogin,
        displays: screen.getAllDisplays(),
        wallsOpen: wallWindows.size > 0,
        actions,
      }),
    ),
  );
  if (tray) {
    tray.setToolTip(`NVR: ${recordingLabel(trayState)}`);
    tray.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate(trayState, actions)));
  }
}

let actions: AppActions;
let engineStatus: EngineStatus = { state: 'starting', restarts: 0 };

function sendEngineStatus(contents: WebContents, status: EngineStatus = engineStatus): void {
  const message: EngineStatusMessage = { state: status.state, restarts: status.restarts };
  if (!contents.isDestroyed()) contents.send(IPC_ENGINE_STATUS_CHANNEL, message);
}

function start(): void {
  settings = new SettingsStore(path.join(app.getPath('userData'), 'settings.json'));
  trayState.paused = isRecordingPaused(settings);
  serveAppProtocol();
  lockDownSessions();

  // Camera passwords: the data key lives wrapped by safeStorage; the engine gets it in its environment.
  const dataDir = path.join(app.getPath('userData'), 'data');
  let dataKey: DataKeyResult | undefined;
  try {
    dataKey = loadDataKey({ dataDir, safeStorage, log });
  } catch (err) {
    log(`error: ${String(err)}; the engine falls back to its key file`);
  }
  const supervisor = new EngineSupervisor({
    modulePath: path.join(distDir, 'engine', 'serve.js'),
    fork: (modulePath, args) =>
      utilityProcess.fork(modulePath, args, {
        stdio: 'pipe',
        serviceName: 'NVR engine',
        env: engineEnv(process.env, dataKey),
      }) as unknown as ChildLike,
    args: (lastPort) => ['--host', '127.0.0.1', '--port', String(lastPort ?? 0), '--data', dataDir],
    log,
  });
  const api = createEngineApi(supervisor);

  actions = {
    openWindow: showMainWindow,
    setPaused: (paused) => {
      const done = paused ? pauseAllRecording(api, settings) : resumeAllRecording(api, settings);
      void done
        .then(() => {
          trayState.paused = paused;
          refreshMenus();
        })
        .catch((e: unknown) => log(`pause/resume failed: ${String(e)}`));
    },
    quit: () => {
      quitting = true;
      app.quit();
    },
    setCloseToTray: (on) => {
      settings.update({ closeToTray: on });
      refreshMenus();
    },
    setOpenAtLogin: (on) => {
      settings.update({ openAtLogin: on });
      app.setLoginItemSettings({ openAtLogin: on });
      refreshMenus();
    },
    openWall,
    closeWalls,
  };

  supervisor.on('status', (status: EngineStatus) => {
    engineStatus = status;
    trayState.engine = status.state;
    if (status.state === 'restarting')
      log(`engine crashed (code ${status.exitCode}); restart #${status.restarts}`);
    for (const win of appWindows()) {
      win.setTitle(status.state === 'running' ? 'NVR' : `NVR (${recordingLabel(trayState)})`);
      sendEngineStatus(win.webContents, status);
    }
    refreshMenus();
  });

  registerIpcBridge({
    ipcMain,
    api,
    trustedSenderIds: () => appWindows().map((w) => w.webContents.id),
    log,
  });
  const alerts = createAlertMonitor({
    notify: ({ title, body }) => {
      if (Notification.isSupported()) new Notification({ title, body }).show();
    },
  });
  forwardEvents(api, () => appWindows().map((w) => w.webContents));
  api.subscribe((event) => {
    alerts(event);
    if (event.type === 'camera.state') {
      cameraStates.set(event.payload.id, event.payload.status.state);
      const states = [...cameraStates.values()];
      trayState.streamingCameras = states.filter((s) => s === 'streaming').length;
      trayState.offlineCameras = states.filter(
        (s) => s === 'failed' || s === 'reconnecting',
      ).length;
      refreshMenus();
    } else if (event.type === 'camera.removed') {
      cameraStates.delete(event.payload.id);
    }
  });

  supervisor.start();
  app.on('before-quit', (event) => {
    quitting = true;
    if (supervisor.status.state === 'stopped') return;
    event.preventDefault();
    void supervisor.stop().finally(() => app.quit());
  });

  const trayIcon = nativeImage.createFromPath(path.join(iconsDir, 'tray.png'));
  tray = new Tray(trayIcon);
  tray.on('click', showMainWindow);
  refreshMenus();
  screen.on('display-added', refreshMenus);
  screen.on('display-removed', () => {
    // A wall whose monitor went away moves to the primary display; it moves back when it returns.
    for (const [id, win] of wallWindows) if (!win.isDestroyed()) placeWall(id, win);
    refreshMenus();
  });
  screen.on('display-added', (_event, display) => {
    const win = wallWindows.get(display.id);
    if (win && !win.isDestroyed()) placeWall(display.id, win);
  });

  mainWindow = createMainWindow();
  for (const id of settings.get().wallDisplayIds) openWall(id);
  app.setLoginItemSettings({ openAtLogin: settings.get().openAtLogin });

  startAutoUpdate({
    isPackaged: app.isPackaged,
    env: process.env,
    updater: () => autoUpdater,
    log,
    offerRestart: async (version) => {
      const result = await dialog.showMessageBox({
        type: 'info',
        buttons: ['Restart now', 'Later'],
        defaultId: 0,
        message: `NVR ${version} is ready to install.`,
        detail: 'Restart to update. Recording resumes right after the restart.',
      });
      return result.response === 0;
    },
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', showMainWindow);
  app.on('web-contents-created', (_event, contents: WebContents) =>
    guardNavigation(contents, {
      openExternal: (url) => {
        if (isSafeExternalUrl(url)) void shell.openExternal(url);
      },
      log,
    }),
  );
  app.on('window-all-closed', () => {
    // With the tray, recording continues in the background; without one there is no way back in.
    if (!tray || !settings.get().closeToTray) app.quit();
  });
  app.on('activate', showMainWindow);
  void app.whenReady().then(start);
}
