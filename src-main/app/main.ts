// Electron main process: the ONLY code that imports electron. Thin: a secure window, the engine in a
// utility process, and IPC handlers generated from the contract's method list. (Tray, wall displays,
// auto-update and packaging details arrive with the desktop-app issue.)
import path from 'node:path';
import { app, BrowserWindow, ipcMain, shell, utilityProcess, type UtilityProcess } from 'electron';
import {
  IPC_EVENT_CHANNEL,
  NVR_API_METHODS,
  NVR_METHOD_NAMES,
  NvrApiError,
  createHttpClient,
  ipcChannel,
  type IpcResult,
  type NvrApi,
  type WebSocketLike,
} from '../../src-preload/contract';

const distDir = path.join(__dirname, '..');
const rendererIndex = path.join(distDir, 'renderer', 'index.html');

/** Starts the headless engine in a utility process and resolves with its loopback URL. */
function startEngine(): Promise<{ child: UtilityProcess; url: string }> {
  const child = utilityProcess.fork(
    path.join(distDir, 'engine', 'serve.js'),
    ['--host', '127.0.0.1', '--port', '0', '--data', path.join(app.getPath('userData'), 'data')],
    { stdio: 'pipe', serviceName: 'NVR engine' },
  );
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const match = /listening on (http:\/\/\S+)/.exec(buffered);
      if (match?.[1]) resolve({ child, url: match[1] });
    });
    child.once('exit', (code) =>
      reject(new Error(`engine exited with code ${code} before listening`)),
    );
  });
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    backgroundColor: '#0f1115',
    webPreferences: {
      preload: path.join(distDir, 'preload', 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  // Navigation and new windows stay inside the app; http(s) links open in the system browser.
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  void win.loadFile(rendererIndex);
  return win;
}

function registerIpc(api: NvrApi, win: BrowserWindow): void {
  for (const method of NVR_METHOD_NAMES) {
    ipcMain.handle(ipcChannel(method), async (event, input: unknown): Promise<IpcResult> => {
      if (event.senderFrame?.url !== win.webContents.getURL()) {
        return { ok: false, error: { kind: 'forbidden', message: 'IPC from an unknown frame' } };
      }
      const parsed = NVR_API_METHODS[method].input.safeParse(input ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return {
          ok: false,
          error: {
            kind: 'bad_request',
            message: issue?.message ?? 'bad input',
            field: issue?.path.join('.'),
          },
        };
      }
      try {
        const call = api[method] as (i: unknown) => Promise<unknown>;
        return { ok: true, value: await call(parsed.data) };
      } catch (e) {
        const err = e instanceof NvrApiError ? e : new NvrApiError('internal', String(e));
        return { ok: false, ...err.toJSON() };
      }
    });
  }
  api.subscribe((event) => {
    if (!win.isDestroyed()) win.webContents.send(IPC_EVENT_CHANNEL, event);
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let engine: UtilityProcess | undefined;
  app.on('second-instance', () => BrowserWindow.getAllWindows()[0]?.focus());
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => engine?.kill());
  void app.whenReady().then(async () => {
    const started = await startEngine();
    engine = started.child;
    const api = createHttpClient({
      baseUrl: started.url,
      fetch: (url, init) => fetch(url, init),
      openWebSocket: (url) => {
        const ws = new WebSocket(url);
        const like: WebSocketLike = { onmessage: null, close: () => ws.close() };
        ws.onmessage = (message) => like.onmessage?.({ data: message.data });
        return like;
      },
    });
    const win = createWindow();
    registerIpc(api, win);
  });
}
