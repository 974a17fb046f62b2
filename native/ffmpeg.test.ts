// findBinary: env override, bundled native/<platform>[-arch]/ binaries, PATH, and nothing found.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findBinary, findFfmpeg, findFfprobe } from './index';

const temps: string[] = [];
afterEach(() => {
  while (temps.length) fs.rmSync(temps.pop()!, { recursive: true, force: true });
});

function exe(file: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '#!/bin/sh\n');
  fs.chmodSync(file, 0o755);
  return file;
}

function tmp(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nvr-native-'));
  temps.push(dir);
  return dir;
}

describe('findBinary', () => {
  it('prefers NVR_FFMPEG, then a bundled binary, then PATH', () => {
    const dir = tmp();
    const envBin = exe(path.join(dir, 'custom/ffmpeg-custom'));
    const nativeDir = path.join(dir, 'native');
    const bundled = exe(path.join(nativeDir, 'linux-x64/ffmpeg'));
    const onPath = exe(path.join(dir, 'bin/ffmpeg'));
    const base = { platform: 'linux' as const, arch: 'x64', nativeDir };
    const PATH = path.join(dir, 'bin');
    expect(findBinary('ffmpeg', { ...base, env: { NVR_FFMPEG: envBin, PATH } })).toEqual({
      path: envBin,
      source: 'env',
    });
    expect(findBinary('ffmpeg', { ...base, env: { NVR_FFMPEG: '/no/such', PATH } })).toEqual({
      path: bundled,
      source: 'bundled',
    });
    fs.rmSync(bundled);
    const plain = exe(path.join(nativeDir, 'linux/ffmpeg'));
    expect(findFfmpeg({ ...base, env: { PATH } })).toBe(plain);
    fs.rmSync(plain);
    expect(findBinary('ffmpeg', { ...base, env: { PATH } })).toEqual({
      path: onPath,
      source: 'path',
    });
    expect(
      findBinary('ffmpeg', { ...base, env: { PATH: path.join(dir, 'none') } }),
    ).toBeUndefined();
  });

  it('skips files that are not executable and finds ffprobe next to ffmpeg', () => {
    const dir = tmp();
    const nativeDir = path.join(dir, 'native');
    const notExe = path.join(nativeDir, 'linux/ffmpeg');
    fs.mkdirSync(path.dirname(notExe), { recursive: true });
    fs.writeFileSync(notExe, '');
    const opts = { platform: 'linux' as const, arch: 'arm64', nativeDir, env: { PATH: '' } };
    expect(findFfmpeg(opts)).toBeUndefined();
    fs.chmodSync(notExe, 0o755);
    const probe = exe(path.join(nativeDir, 'linux/ffprobe'));
    expect(findFfprobe(opts)).toBe(probe);
  });

  it('finds the system ffmpeg on this machine', () => {
    expect(findFfmpeg({ env: { PATH: '/usr/bin' }, nativeDir: tmp() })).toBe('/usr/bin/ffmpeg');
  });
});
