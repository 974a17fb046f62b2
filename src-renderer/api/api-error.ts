// The error a renderer transport rejects with: the engine's `{ error: { kind, message, field? } }` as an
// Error. The renderer's twin of the contract's NvrApiError (a class is a value, and the renderer imports only types).
import type { ApiErrorInfo, ErrorKind } from '../../src-preload/contract';

export class ApiCallError extends Error implements ApiErrorInfo {
  override readonly name = 'ApiCallError';
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly field?: string,
    /** HTTP status when the call went over HTTP. */
    readonly status?: number,
  ) {
    super(message);
  }
}

/** Turns any rejection (HTTP body, IPC error, network failure) into an ApiCallError. */
export function toApiCallError(err: unknown, status?: number): ApiCallError {
  if (err instanceof ApiCallError) return err;
  const o = (typeof err === 'object' && err !== null ? err : {}) as {
    kind?: unknown;
    message?: unknown;
    field?: unknown;
    status?: unknown;
  };
  const kind = typeof o.kind === 'string' ? (o.kind as ErrorKind) : 'unavailable';
  const message = typeof o.message === 'string' ? o.message : String(err);
  return new ApiCallError(
    kind,
    message,
    typeof o.field === 'string' ? o.field : undefined,
    typeof o.status === 'number' ? o.status : status,
  );
}

/** Reads an `{ error }` answer body; anything else becomes an `internal` error with the status. */
export function errorFromBody(status: number, text: string): ApiCallError {
  try {
    const body = JSON.parse(text) as {
      error?: { kind?: unknown; message?: unknown; field?: unknown };
    };
    const e = body.error;
    if (e && typeof e.kind === 'string' && typeof e.message === 'string')
      return new ApiCallError(
        e.kind as ErrorKind,
        e.message,
        typeof e.field === 'string' ? e.field : undefined,
        status,
      );
  } catch {
    // not JSON: fall through
  }
  return new ApiCallError(
    status === 404 ? 'not_found' : 'internal',
    `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}`,
    undefined,
    status,
  );
}
