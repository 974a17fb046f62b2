// Live HLS media files (init and segments) next to the contract's live playlist route:
// GET /api/cameras/:id/hls/live/:file?stream&transcode. The playlist itself is the contract's
// getLivePlaylistUrl resource. Validates every parameter; the handler gets checked values only.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CameraIdSchema, LiveTranscodeSchema, StreamNameSchema } from '../../src-preload/contract';
import type { StreamName } from '../../src-preload/contract';
import { httpError } from './http-errors';

export const LIVE_FILE_ROUTE = '/api/cameras/:id/hls/live/:file';

export interface LiveFileRequest {
  id: string;
  stream: StreamName;
  /** `init-<n>.mp4` or `seg-<n>.m4s`. */
  file: string;
  transcode?: 'h264';
}

export type LiveFileHandler = (
  input: LiveFileRequest,
) => Promise<{ contentType: string; body: string | Uint8Array }>;

const LiveFileInputSchema = z.object({
  id: CameraIdSchema,
  stream: StreamNameSchema.default('main'),
  file: z.string().regex(/^(?:init-\d{1,9}\.mp4|seg-\d{1,12}\.m4s)$/, {
    error: 'must be init-<n>.mp4 or seg-<n>.m4s',
  }),
  transcode: LiveTranscodeSchema.optional(),
});

export function registerLiveRoutes(app: FastifyInstance, handler: LiveFileHandler): void {
  app.get(LIVE_FILE_ROUTE, async (req, reply) => {
    const parsed = LiveFileInputSchema.safeParse({
      ...(req.query as Record<string, unknown>),
      ...(req.params as Record<string, unknown>),
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') || undefined;
      const e = httpError(
        'bad_request',
        `${field ?? 'input'}: ${issue?.message ?? 'invalid'}`,
        field,
      );
      return reply.code(e.status).send(e.body);
    }
    const { transcode, ...rest } = parsed.data;
    const file = await handler({ ...rest, ...(transcode ? { transcode } : {}) });
    return reply
      .code(200)
      .header('content-type', file.contentType)
      .header('cache-control', 'no-cache')
      .send(
        typeof file.body === 'string'
          ? file.body
          : Buffer.from(file.body.buffer, file.body.byteOffset, file.body.byteLength),
      );
  });
}
