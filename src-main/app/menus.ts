// Tray and application menu templates: pure functions from the app state to MenuItemConstructorOptions
// (main.ts builds the menus with electron's Menu). The usual roles give the usual shortcuts.
import type { MenuItemConstructorOptions } from 'electron';
import type { EngineStatus } from './engine-supervisor';
import type { DisplayLike } from './window-state';

export interface TrayState {
  engine: EngineStatus['state'];
  paused: boolean;
  /** Cameras currently streaming (recording unless paused or set to off). */
  streamingCameras: number;
  offlineCameras: number;
}

export interface AppActions {
  openWindow(): void;
  setPaused(paused: boolean): void;
  quit(): void;
  setCloseToTray(on: boolean): void;
  setOpenAtLogin(on: boolean): void;
  openWall(displayId: number): void;
  closeWalls(): void;
}

/** One line of recording state for the tray tooltip and the menu's first (disabled) item. */
export function recordingLabel(state: TrayState): string {
  if (state.engine === 'restarting' || state.engine === 'starting') return 'Engine restarting…';
  if (state.engine === 'stopped') return 'Engine stopped';
  if (state.paused) return 'Recording paused';
  const offline = state.offlineCameras ? `, ${state.offlineCameras} offline` : '';
  return `Recording ${state.streamingCameras} camera${state.streamingCameras === 1 ? '' : 's'}${offline}`;
}

export function trayMenuTemplate(
  state: TrayState,
  actions: AppActions,
): MenuItemConstructorOptions[] {
  return [
    { id: 'state', label: recordingLabel(state), enabled: false },
    { type: 'separator' },
    { id: 'open', label: 'Open NVR', click: () => actions.openWindow() },
    {
      id: 'pause',
      label: state.paused ? 'Resume all recording' : 'Pause all recording',
      enabled: state.engine === 'running',
      click: () => actions.setPaused(!state.paused),
    },
    { type: 'separator' },
    { id: 'quit', label: 'Quit NVR', click: () => actions.quit() },
  ];
}

export interface AppMenuInput {
  platform: NodeJS.Platform;
  closeToTray: boolean;
  openAtLogin: boolean;
  displays: readonly DisplayLike[];
  wallsOpen: boolean;
  actions: AppActions;
}

export function appMenuTemplate(input: AppMenuInput): MenuItemConstructorOptions[] {
  const { actions } = input;
  const mac = input.platform === 'darwin';
  const settings: MenuItemConstructorOptions[] = [
    {
      id: 'closeToTray',
      label: 'Keep recording when the window is closed',
      type: 'checkbox',
      checked: input.closeToTray,
      click: (item) => actions.setCloseToTray(item.checked),
    },
    {
      id: 'openAtLogin',
      label: 'Start at login',
      type: 'checkbox',
      checked: input.openAtLogin,
      click: (item) => actions.setOpenAtLogin(item.checked),
    },
  ];
  const wall: MenuItemConstructorOptions[] = [
    ...input.displays.map((d, i): MenuItemConstructorOptions => ({
      id: `wall-${d.id}`,
      label: `Open wall on display ${i + 1} (${d.bounds.width}×${d.bounds.height})`,
      click: () => actions.openWall(d.id),
    })),
    { type: 'separator' },
    {
      id: 'closeWalls',
      label: 'Close wall displays',
      enabled: input.wallsOpen,
      click: () => actions.closeWalls(),
    },
  ];
  return [
    ...(mac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        ...(mac ? [] : settings),
        ...(mac ? [] : [{ type: 'separator' as const }]),
        mac
          ? { role: 'close' }
          : { id: 'quit', label: 'Quit', accelerator: 'CmdOrCtrl+Q', click: () => actions.quit() },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        { role: 'reload' },
        { role: 'forceReload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        { type: 'separator' },
        { label: 'Wall display', submenu: wall },
      ],
    },
    ...(mac ? [{ label: 'Settings', submenu: settings }] : []),
    { role: 'windowMenu' },
  ];
}
