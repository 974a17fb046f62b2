// Error kinds and the API error shape shared by every process. Mirrors src-main/base ERROR_KINDS
// (a unit test keeps the two lists equal). Pure data and zod; no node:, no DOM, no electron.
import { z } from 'zod';

/** Error kinds (same list, same order as src-main/base/errors.ts ERROR_KINDS). */
export const ERROR_KINDS = [
  'bad_request',
  'not_found',
  'conflict',
  'unauthorized',
  'forbidden',
  'not_implemented',
  'unavailable',
  'auth',
  'unreachable',
  'protocol',
  'unsupported_codec',
  'timeout',
  'disk',
  'malformed',
  'cancelled',
  'internal',
  'too_large',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export const ErrorKindSchema = z.enum(ERROR_KINDS);

/** The error part of an API answer: `{ kind, message, field? }`; `field` names the bad input (`streams.main.url`). */
export const ApiErrorInfoSchema = z.object({
  kind: ErrorKindSchema,
  message: z.string(),
  field: z.string().optional(),
});
export type ApiErrorInfo = z.infer<typeof ApiErrorInfoSchema>;

/** Every failed HTTP answer (and every rejected IPC call) carries `{ error: { kind, message, field? } }`. */
export const ApiErrorSchema = z.object({ error: ApiErrorInfoSchema });
export type ApiErrorBody = z.infer<typeof ApiErrorSchema>;

/** HTTP status per kind. Camera-side failures (auth, unreachable, protocol) are upstream errors: 502/504. */
export const HTTP_STATUS_BY_KIND: Readonly<Record<ErrorKind, number>> = {
  bad_request: 400,
  not_found: 404,
  conflict: 409,
  unauthorized: 401,
  forbidden: 403,
  not_implemented: 501,
  unavailable: 503,
  auth: 502,
  unreachable: 502,
  protocol: 502,
  unsupported_codec: 415,
  timeout: 504,
  disk: 507,
  malformed: 400,
  cancelled: 409,
  internal: 500,
  too_large: 413,
};

/** The error a client transport (HTTP or IPC) rejects with; mirrors the ApiError body. */
export class NvrApiError extends Error {
  override readonly name = 'NvrApiError';
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly field?: string,
    readonly status?: number,
  ) {
    super(message);
  }

  toJSON(): ApiErrorBody {
    return {
      error: {
        kind: this.kind,
        message: this.message,
        ...(this.field ? { field: this.field } : {}),
      },
    };
  }
}

export function isErrorKind(value: unknown): value is ErrorKind {
  return typeof value === 'string' && (ERROR_KINDS as readonly string[]).includes(value);
}
