// Finds the ffmpeg (and ffprobe) binary the app uses, as DESIGN §2 says: the NVR_FFMPEG environment
// variable, else a binary bundled under native/<platform>-<arch>/ or native/<platform>/, else PATH.
// Only looks at the filesystem; never runs the binary.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface FindBinaryOptions {
  env?: Record<string, string | undefined>;
  platform?: NodeJS.Platform;
  arch?: string;
  /** The `native/` folder holding bundled binaries; default: found by walking up from this file. */
  nativeDir?: string;
}

export interface FoundBinary {
  path: string;
  source: 'env' | 'bundled' | 'path';
}

function isExecutable(file: string, platform: NodeJS.Platform): boolean {
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return false;
    if (platform === 'win32') return true;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The nearest `native/` folder above this module (source tree, tsx, the bundle and app.asar.unpacked). */
export function defaultNativeDir(): string | undefined {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (path.basename(dir) === 'native' && fs.existsSync(dir)) return dir;
    const candidate = path.join(dir, 'native');
    if (fs.existsSync(candidate) && fs.statSync(candidate).isDirectory()) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

/**
 * Finds `name` ('ffmpeg' or 'ffprobe'). `envVar` (NVR_FFMPEG / NVR_FFPROBE) wins when it names an
 * executable file; then native/<platform>-<arch>/, native/<platform>/; then each PATH entry.
 */
export function findBinary(
  name: 'ffmpeg' | 'ffprobe',
  options: FindBinaryOptions = {},
): FoundBinary | undefined {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const arch = options.arch ?? process.arch;
  const exe = platform === 'win32' ? `${name}.exe` : name;
  const fromEnv = env[name === 'ffmpeg' ? 'NVR_FFMPEG' : 'NVR_FFPROBE'];
  if (fromEnv && isExecutable(fromEnv, platform)) return { path: fromEnv, source: 'env' };
  const nativeDir = options.nativeDir ?? defaultNativeDir();
  if (nativeDir) {
    for (const sub of [`${platform}-${arch}`, platform]) {
      const file = path.join(nativeDir, sub, exe);
      if (isExecutable(file, platform)) return { path: file, source: 'bundled' };
    }
  }
  const pathVar = env.PATH ?? env.Path ?? '';
  const sep = platform === 'win32' ? ';' : ':';
  for (const dir of pathVar.split(sep)) {
    if (!dir) continue;
    const file = path.join(dir, exe);
    if (isExecutable(file, platform)) return { path: file, source: 'path' };
  }
  return undefined;
}

/** The ffmpeg binary's path, or undefined when there is none (snapshots and thumbnails are then off). */
export function findFfmpeg(options: FindBinaryOptions = {}): string | undefined {
  return findBinary('ffmpeg', options)?.path;
}

/** ffprobe next to the chosen ffmpeg when there is one, else found the same way. */
export function findFfprobe(options: FindBinaryOptions = {}): string | undefined {
  const ffmpeg = findFfmpeg(options);
  if (ffmpeg) {
    const platform = options.platform ?? process.platform;
    const sibling = path.join(
      path.dirname(ffmpeg),
      platform === 'win32' ? 'ffprobe.exe' : 'ffprobe',
    );
    if (isExecutable(sibling, platform)) return sibling;
  }
  return findBinary('ffprobe', options)?.path;
}
