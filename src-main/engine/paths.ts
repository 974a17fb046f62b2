// Finds the project's folders (resources, renderer build) and version from the code's own location,
// robust to running from source (tsx, vitest) and from the bundle (dist/engine/serve.js).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'nvr';

/** Walks up from `start` to the folder holding the project's package.json; undefined if none. */
export function findProjectRoot(
  start: string = path.dirname(fileURLToPath(import.meta.url)),
): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        const { name } = JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown };
        if (name === PACKAGE_NAME) return dir;
      } catch {
        // unreadable package.json: keep walking
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function readVersion(root = findProjectRoot()): string {
  if (!root) return '0.0.0';
  try {
    const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      version?: unknown;
    };
    return typeof version === 'string' ? version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** `override` (NVR_RESOURCES_DIR) or `<project>/resources`. */
export function resolveResourcesDir(
  override?: string,
  root = findProjectRoot(),
): string | undefined {
  if (override) return override;
  return root ? path.join(root, 'resources') : undefined;
}

/** `override` (NVR_RENDERER_DIR) or `<project>/dist/renderer`. */
export function resolveRendererDir(
  override?: string,
  root = findProjectRoot(),
): string | undefined {
  if (override) return override;
  return root ? path.join(root, 'dist', 'renderer') : undefined;
}
