// Segment files for playback HLS: GET /api/segments/:file (`<segmentId>.mp4`), with Range (206) and
// If-None-Match (304). Playlists name segments by their index id, never by path; the handler
// (src-main/playback) maps the id through the index. Validates the parameter; no filesystem here.
import type { FastifyInstance } from 'fastify';
import type { Readable } from 'node:stream';
import { httpError } from './http-errors';

export const SEGMENT_FILE_ROUTE = '/api/segments/:file';

export interface SegmentFileRequest {
  range?: string;
  ifNoneMatch?: string;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
}

export type SegmentFileHandler = (
  segmentId: number,
  request: SegmentFileRequest,
) => Promise<{
  status: number;
  contentType: string;
  headers: Record<string, string>;
  body: string | Uint8Array | Readable;
}>;

export function registerPlaybackRoutes(app: FastifyInstance, handler: SegmentFileHandler): void {
  app.get(SEGMENT_FILE_ROUTE, async (req, reply) => {
    const { file } = req.params as { file: string };
    const m = /^(\d{1,15})\.mp4$/.exec(file);
    if (!m) {
      const e = httpError('bad_request', 'file: must be <segment id>.mp4', 'file');
      return reply.code(e.status).send(e.body);
    }
    const abort = new AbortController();
    req.raw.once('close', () => abort.abort());
    const range = req.headers.range;
    const ifNoneMatch = req.headers['if-none-match'];
    const res = await handler(Number(m[1]), {
      signal: abort.signal,
      ...(range ? { range } : {}),
      ...(ifNoneMatch ? { ifNoneMatch } : {}),
    });
    reply.code(res.status).header('content-type', res.contentType);
    for (const [k, v] of Object.entries(res.headers)) reply.header(k, v);
    return reply.send(res.body);
  });
}
