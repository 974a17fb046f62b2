// Errors with a kind and context. Owns the project's exception type; imports nothing.
// Expected outcomes are values (result unions); NvrError is for broken input and failures,
// and carries enough context (camera, URL without password, CSeq, byte offset) to find the cause.

/** Error kinds shared with the API contract (src-preload/contract mirrors this list). */
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

export type ErrorContext = Record<string, string | number | boolean | undefined>;

export class NvrError extends Error {
  override readonly name = 'NvrError';
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly context: ErrorContext = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isNvrError(e: unknown, kind?: ErrorKind): e is NvrError {
  return e instanceof NvrError && (kind === undefined || e.kind === kind);
}

/** Removes the password (and user) from a URL so it can be logged or shown. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}
