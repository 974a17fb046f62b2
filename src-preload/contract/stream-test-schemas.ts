// Stream tests (admin only): one picture and the format of a stream, or the failure in words. Two ways
// in: a URL with credentials as typed (the add-camera wizard), or a stored camera by id with the
// settings form's edits laid over it (the camera's password never leaves the engine). Only zod here.
import { z } from 'zod';
import {
  CameraIdSchema,
  CameraPasswordSchema,
  CameraUsernameSchema,
  RtspUrlSchema,
  StatusErrorSchema,
  StreamNameSchema,
  TransportSchema,
  VideoCodecSchema,
} from './schemas';

/** Scale the snapshot to this width (height keeps the aspect ratio). */
const TestWidthSchema = z.number().int().min(16).max(3840);

/** POST /api/streams/test: connect to an RTSP URL (or fetch an ONVIF snapshot URI) and grab one frame. */
export const StreamTestRequestSchema = z.object({
  url: RtspUrlSchema,
  username: CameraUsernameSchema.optional(),
  password: CameraPasswordSchema.optional(),
  transport: TransportSchema.default('tcp'),
  /** ONVIF GetSnapshotUri of the profile (http://): tried first for the picture; the RTSP URL is the fallback. */
  snapshotUrl: z
    .string()
    .trim()
    .max(2048)
    .regex(/^https?:\/\/\S+$/i, { error: 'must be an http:// or https:// URL' })
    .optional(),
  width: TestWidthSchema.optional(),
});
export type StreamTestRequest = z.input<typeof StreamTestRequestSchema>;

/**
 * POST /api/cameras/:id/test: a stored camera's stream as a Save of these edits would leave it. Absent
 * fields are the stored ones; an empty or absent password is the stored password (write-only, so the
 * settings form never has it); `username: null` tests without a login; credentials typed into `url`
 * are used as a Save would use them.
 */
export const CameraStreamTestRequestSchema = z.object({
  id: CameraIdSchema,
  stream: StreamNameSchema.default('main'),
  url: RtspUrlSchema.optional(),
  username: CameraUsernameSchema.nullable().optional(),
  password: CameraPasswordSchema.optional(),
  transport: TransportSchema.optional(),
  width: TestWidthSchema.optional(),
});
export type CameraStreamTestRequest = z.input<typeof CameraStreamTestRequestSchema>;

/** What a stream test found: the picture (JPEG, base64) and the stream's format, or the failure in words. */
export const StreamTestResultSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    /** Absent when the picture came from the snapshot URI and the stream was not opened. */
    codec: VideoCodecSchema.optional(),
    width: z.number().int().optional(),
    height: z.number().int().optional(),
    fps: z.number().optional(),
    snapshotJpegBase64: z.string(),
    source: z.enum(['rtsp', 'snapshot-uri']),
    elapsedMs: z.number().int(),
    /** The stream description's oddities read around (as StreamStatus.warnings); absent when none. */
    warnings: z.array(z.string()).optional(),
  }),
  z.object({ ok: z.literal(false), error: StatusErrorSchema, elapsedMs: z.number().int() }),
]);
export type StreamTestResult = z.infer<typeof StreamTestResultSchema>;
