// Settings store: defaults, round trip through the JSON file, broken content ignored field by field.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, SettingsStore, sanitizeSettings } from './settings-store';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempFile = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nvr-settings-'));
  dirs.push(dir);
  return path.join(dir, 'sub', 'settings.json');
};

describe('SettingsStore', () => {
  it('starts from the defaults and persists updates', () => {
    const file = tempFile();
    const store = new SettingsStore(file);
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    store.update({
      openAtLogin: true,
      mainWindow: { bounds: { x: 1, y: 2, width: 800, height: 600 }, maximized: false },
    });
    expect(new SettingsStore(file).get()).toMatchObject({
      openAtLogin: true,
      closeToTray: true,
      mainWindow: { bounds: { x: 1, y: 2, width: 800, height: 600 } },
    });
  });

  it('keeps valid fields of a damaged file and drops the rest', () => {
    const file = tempFile();
    new SettingsStore(file).update({});
    writeFileSync(
      file,
      JSON.stringify({
        closeToTray: 'yes',
        openAtLogin: true,
        wallDisplayIds: [3, 'x'],
        mainWindow: { bounds: { x: 1 } },
      }),
    );
    expect(new SettingsStore(file).get()).toEqual({
      ...DEFAULT_SETTINGS,
      openAtLogin: true,
      wallDisplayIds: [3],
    });
    writeFileSync(file, '{not json');
    expect(new SettingsStore(file).get()).toEqual(DEFAULT_SETTINGS);
    expect(
      sanitizeSettings({ pausedRecordingModes: { a: 'continuous', b: 'bogus' } })
        .pausedRecordingModes,
    ).toEqual({ a: 'continuous' });
  });
});
