// Bundles the Node side: the headless engine (ESM), the Electron main process and the preload (CJS).
// Packages stay external: they ship in node_modules (native modules are rebuilt for Electron).
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  packages: 'external',
  logLevel: 'warning',
};

await Promise.all([
  build({
    ...common,
    format: 'esm',
    entryPoints: {
      serve: 'src-main/engine/serve.ts',
      'recorder-worker': 'src-main/recorder/worker-main.ts',
      'stream-worker': 'src-main/engine/stream-worker-main.ts',
    },
    outdir: 'dist/engine',
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
  }),
  build({
    ...common,
    format: 'cjs',
    entryPoints: { main: 'src-main/app/main.ts' },
    outdir: 'dist/app',
    outExtension: { '.js': '.cjs' },
    external: ['electron'],
  }),
  build({
    ...common,
    format: 'cjs',
    entryPoints: { index: 'src-preload/index.ts' },
    outdir: 'dist/preload',
    outExtension: { '.js': '.cjs' },
    external: ['electron'],
    packages: undefined,
  }),
]);
