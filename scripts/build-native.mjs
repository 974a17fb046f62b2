// Builds the optional N-API addons under native/ (today: native/srtp-sender) with the node-gyp that
// npm ships. Run by `npm install` (postinstall) and `npm run build:native`. A failed build is a
// warning, not an error: the engine falls back to its JS paths when an addon is missing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const addons = ['native/srtp-sender'];

function nodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    path.join(
      path.dirname(process.execPath),
      '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
    ),
    path.join(root, 'node_modules/node-gyp/bin/node-gyp.js'),
  ];
  return candidates.find((c) => c && existsSync(c));
}

if (process.platform === 'win32') {
  console.log('build-native: skipped on Windows (the JS paths are used)');
  process.exit(0);
}
const gyp = nodeGyp();
if (!gyp) {
  console.warn(
    'build-native: node-gyp not found; native addons not built (JS fallbacks will be used)',
  );
  process.exit(0);
}
// Outside npm (no npm_config_nodedir), build against the headers installed next to this node, when
// there are any, rather than letting node-gyp download them.
const prefix = path.resolve(path.dirname(process.execPath), '..');
const nodedir =
  !process.env.npm_config_nodedir && existsSync(path.join(prefix, 'include/node/node_api.h'))
    ? [`--nodedir=${prefix}`]
    : [];
for (const addon of addons) {
  const r = spawnSync(process.execPath, [gyp, 'rebuild', ...nodedir], {
    cwd: path.join(root, addon),
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  if (r.status === 0) console.log(`build-native: built ${addon}`);
  else
    console.warn(
      `build-native: ${addon} did not build (the JS fallback will be used):\n${(r.stderr || r.stdout || String(r.error)).slice(-2000)}`,
    );
}
