// Settings of the desktop app (not the engine's config): a small JSON file in userData, written atomically.
// Unknown or broken content falls back to the defaults field by field.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface WindowBounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface AppSettings {
  /** Closing the main window keeps the app (and recording) running in the tray. */
  closeToTray: boolean;
  openAtLogin: boolean;
  mainWindow?: { bounds: WindowBounds; maximized: boolean; displayId?: number };
  /** Display ids that show a wall (fullscreen kiosk grid). */
  wallDisplayIds: number[];
  /** While recording is paused: each camera's recording mode before the pause (restored on resume). */
  pausedRecordingModes?: Record<string, 'continuous' | 'off'>;
}

export const DEFAULT_SETTINGS: AppSettings = {
  closeToTray: true,
  openAtLogin: false,
  wallDisplayIds: [],
};

const isBounds = (v: unknown): v is WindowBounds =>
  typeof v === 'object' &&
  v !== null &&
  ['x', 'y', 'width', 'height'].every((k) => Number.isFinite((v as Record<string, unknown>)[k]));

/** Keeps the valid fields of a parsed file, defaults for the rest. */
export function sanitizeSettings(raw: unknown): AppSettings {
  const out: AppSettings = { ...DEFAULT_SETTINGS, wallDisplayIds: [] };
  if (typeof raw !== 'object' || raw === null) return out;
  const r = raw as Record<string, unknown>;
  if (typeof r.closeToTray === 'boolean') out.closeToTray = r.closeToTray;
  if (typeof r.openAtLogin === 'boolean') out.openAtLogin = r.openAtLogin;
  const mw = r.mainWindow as Record<string, unknown> | undefined;
  if (mw && isBounds(mw.bounds)) {
    out.mainWindow = { bounds: mw.bounds, maximized: mw.maximized === true };
    if (typeof mw.displayId === 'number') out.mainWindow.displayId = mw.displayId;
  }
  if (Array.isArray(r.wallDisplayIds))
    out.wallDisplayIds = r.wallDisplayIds.filter((id): id is number => Number.isInteger(id));
  if (typeof r.pausedRecordingModes === 'object' && r.pausedRecordingModes !== null) {
    const modes: Record<string, 'continuous' | 'off'> = {};
    for (const [id, mode] of Object.entries(r.pausedRecordingModes))
      if (mode === 'continuous' || mode === 'off') modes[id] = mode;
    out.pausedRecordingModes = modes;
  }
  return out;
}

export class SettingsStore {
  private value: AppSettings;

  constructor(private readonly file: string) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      raw = undefined;
    }
    this.value = sanitizeSettings(raw);
  }

  get(): Readonly<AppSettings> {
    return this.value;
  }

  update(patch: Partial<AppSettings>): AppSettings {
    this.value = { ...this.value, ...patch };
    mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.value, null, 2));
    renameSync(tmp, this.file);
    return this.value;
  }
}
