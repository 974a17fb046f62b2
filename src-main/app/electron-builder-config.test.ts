// electron-builder.yml checked against electron-builder's own configuration schema (app-builder-lib's
// scheme.json) with ajv, plus the settings the desktop-app issue asks for.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };
const ROOT = path.resolve(__dirname, '../..');
const config = yaml.load(readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8')) as Record<
  string,
  unknown
>;
const schema = JSON.parse(
  readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'),
) as object;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

describe('electron-builder.yml', () => {
  it('is valid against electron-builder’s configuration schema', () => {
    const ok = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema check catches mistakes', () => {
    expect(validate({ ...config, appID: 'typo' })).toBe(false);
    expect(validate({ ...config, asarUnpack: 42 })).toBe(false);
  });

  it('packages what the issue asks for', () => {
    expect(config).toMatchObject({
      appId: 'org.opennvr.nvr',
      productName: 'NVR',
      npmRebuild: true,
    });
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining(['node_modules/better-sqlite3/**', 'native/**']),
    );
    const linux = config.linux as { target: string[]; icon: string };
    expect(linux.target).toEqual(['AppImage', 'deb']);
    const win = config.win as { target: { target: string }[]; icon: string };
    expect(win.target.map((t) => t.target)).toEqual(['nsis']);
    const mac = config.mac as { target: { target: string; arch: string[] }[]; icon: string };
    expect(mac.target).toEqual([{ target: 'dmg', arch: ['x64', 'arm64'] }]);
    expect((config.publish as { provider: string }[])[0]?.provider).toBe('github');
    for (const icon of [
      linux.icon + '/256x256.png',
      win.icon,
      mac.icon,
      'resources/icons/tray.png',
    ])
      expect(readFileSync(path.join(ROOT, icon)).subarray(1, 4).toString()).toBe('PNG');
  });
});
