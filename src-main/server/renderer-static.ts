// Serves the renderer's static build (dist/renderer) with an SPA fallback to index.html for non-/api
// GETs; when the build is missing, a plain page that says how to build it. /api misses are JSON 404s.
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { httpError } from './http-errors';

const MISSING_BUILD_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>NVR</title></head>
<body style="font-family: sans-serif; margin: 3em">
<h1>NVR engine is running</h1>
<p>The web interface is not built. Run <code>npm run build</code> and reload this page.</p>
<p>The API answers at <a href="/api/health">/api/health</a>.</p>
</body></html>
`;

/** True when a path belongs to the API (never answered with the SPA page). */
export function isApiPath(url: string): boolean {
  return url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');
}

export async function registerRenderer(
  app: FastifyInstance,
  rendererDir: string | undefined,
): Promise<void> {
  const root = rendererDir ? path.resolve(rendererDir) : undefined;
  const hasBuild = root !== undefined && existsSync(path.join(root, 'index.html'));

  if (hasBuild) {
    // @fastify/static confines every path to `root` (no traversal, no dotfiles).
    await app.register(fastifyStatic, { root, prefix: '/', wildcard: true, index: ['index.html'] });
  }

  app.setNotFoundHandler(async (req, reply) => {
    const url = req.url;
    if (isApiPath(url) || (req.method !== 'GET' && req.method !== 'HEAD')) {
      const e = httpError('not_found', `no route ${req.method} ${url.split('?')[0]}`);
      return reply.code(e.status).send(e.body);
    }
    const lastSegment = url.split('?')[0]?.split('/').pop() ?? '';
    // A missing asset (has an extension) is a 404; any other path is a client-side route of the SPA.
    if (lastSegment.includes('.'))
      return reply.code(404).type('text/plain; charset=utf-8').send('not found');
    if (hasBuild) return reply.header('cache-control', 'no-cache').sendFile('index.html');
    return reply.code(200).type('text/html; charset=utf-8').send(MISSING_BUILD_PAGE);
  });
}
