// Maps anything thrown while serving a request to `{ status, body: { error: { kind, message, field? } } }`.
// Never leaks internals: unknown errors become a generic 500 (the log keeps the details).
import { isNvrError } from '../base';
import { HTTP_STATUS_BY_KIND, NvrApiError } from '../../src-preload/contract';
import type { ApiErrorBody, ErrorKind } from '../../src-preload/contract';

export interface HttpError {
  status: number;
  body: ApiErrorBody;
}

export function httpError(
  kind: ErrorKind,
  message: string,
  field?: string,
  status?: number,
): HttpError {
  return {
    status: status ?? HTTP_STATUS_BY_KIND[kind],
    body: { error: { kind, message, ...(field ? { field } : {}) } },
  };
}

interface FastifyLikeError {
  code?: unknown;
  statusCode?: unknown;
  message?: unknown;
}

/** Errors fastify raises itself (body parsing, limits, media types), by code. */
function fromFastify(err: FastifyLikeError): HttpError | undefined {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return httpError(
        'bad_request',
        `body: invalid JSON (${String(err.message ?? '')})`.replace(' ()', ''),
        'body',
      );
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return httpError('too_large', 'body: request body is too large', 'body');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return httpError('bad_request', 'body: unsupported content type', 'body', 415);
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return httpError('bad_request', 'body: content length does not match', 'body');
  }
  if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
    // Other client errors (e.g. a SyntaxError from the JSON parser carries statusCode 400).
    const message = typeof err.message === 'string' ? err.message : 'bad request';
    if (err.statusCode === 413) return httpError('too_large', message);
    if (err.statusCode === 404) return httpError('not_found', message);
    return httpError('bad_request', message, undefined, err.statusCode);
  }
  return undefined;
}

export function toHttpError(err: unknown): HttpError {
  if (isNvrError(err)) {
    const field = typeof err.context.field === 'string' ? err.context.field : undefined;
    return httpError(err.kind, err.message, field);
  }
  if (err instanceof NvrApiError) return httpError(err.kind, err.message, err.field);
  if (typeof err === 'object' && err !== null) {
    const mapped = fromFastify(err as FastifyLikeError);
    if (mapped) return mapped;
  }
  return httpError('internal', 'internal error');
}
