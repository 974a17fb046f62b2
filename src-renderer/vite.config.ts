// Vite build of the renderer: src-renderer → dist/renderer, relative asset URLs (base './') so the same
// build loads from the engine's HTTP server and from a custom protocol / file URL in Electron.
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The dev server injects an inline React Refresh preamble that the strict CSP would block: drop the meta in dev only. */
function dropCspInDev(): Plugin {
  return {
    name: 'nvr-drop-csp-in-dev',
    apply: 'serve',
    transformIndexHtml: (html) =>
      html.replace(/<meta\s+http-equiv="Content-Security-Policy"[^>]*>/s, ''),
  };
}

export default defineConfig({
  root,
  base: './',
  plugins: [react(), dropCspInDev()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
  server: {
    host: '127.0.0.1',
    // `npm run dev:serve` (engine) on NVR_PORT; the dev server proxies the API to it.
    proxy: {
      '/api': { target: `http://127.0.0.1:${process.env.NVR_PORT ?? '8080'}`, ws: true },
    },
  },
});
