// Input validation and HTTP binding helpers derived from NVR_API_METHODS: zod issues → ApiError with a
// field name, and method + input → request path. Used by the engine, the server and the clients alike.
import type { z } from 'zod';
import { NVR_API_METHODS } from './api';
import type { HttpBinding, MethodParsedInput, NvrMethodName } from './api';
import type { ApiErrorInfo } from './errors';

const TYPE_MESSAGES: Record<string, string> = {
  string: 'must be a string',
  number: 'must be a number',
  int: 'must be an integer',
  boolean: 'must be true or false',
  object: 'must be an object',
  array: 'must be an array',
};

/** Per-parse error map: "is required" for absent values, short type messages otherwise. */
export const inputErrorMap = (issue: {
  code?: string;
  input?: unknown;
  expected?: string;
}): string | undefined => {
  if (issue.code !== 'invalid_type') return undefined;
  if (issue.input === undefined) return 'is required';
  return TYPE_MESSAGES[issue.expected ?? ''] ?? `must be ${issue.expected ?? 'valid'}`;
};

/** Dotted field name of an issue path (`streams.main.url`, `cameraIds.0`). */
export function fieldName(path: readonly PropertyKey[]): string {
  return path.map((p) => String(p)).join('.');
}

/**
 * Turns zod issues into one ApiError: `field` names the first bad field, the message lists up to three
 * issues as `field: message`. `dropPrefix` removes a leading key (the body key of an HTTP binding); the key alone becomes `body`.
 */
export function issuesToApiError(
  issues: readonly z.core.$ZodIssue[],
  dropPrefix?: string,
): ApiErrorInfo {
  const parts = issues.slice(0, 3).map((issue) => {
    let path = issue.path;
    if (dropPrefix && path[0] === dropPrefix) path = path.length > 1 ? path.slice(1) : ['body'];
    return { field: fieldName(path), message: issue.message };
  });
  const first = parts[0];
  const message =
    parts.map((p) => (p.field ? `${p.field}: ${p.message}` : p.message)).join('; ') ||
    'invalid input';
  return { kind: 'bad_request', message, ...(first?.field ? { field: first.field } : {}) };
}

export type ValidationResult<K extends NvrMethodName> =
  { ok: true; value: MethodParsedInput<K> } | { ok: false; error: ApiErrorInfo };

/** Validates the raw input of a method with its schema; a failure is a value naming the field. */
export function validateInput<K extends NvrMethodName>(
  method: K,
  raw: unknown,
  options: { dropPrefix?: string } = {},
): ValidationResult<K> {
  const schema: z.ZodType = NVR_API_METHODS[method].input;
  const parsed = schema.safeParse(raw, { error: inputErrorMap });
  if (parsed.success) return { ok: true, value: parsed.data as MethodParsedInput<K> };
  return { ok: false, error: issuesToApiError(parsed.error.issues, options.dropPrefix) };
}

/** Names of the `:params` of a route path. */
export function pathParams(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] as string);
}

export interface HttpRequestParts {
  /** Path with parameters filled in and the query string appended. */
  url: string;
  /** JSON value (or SDP text when binding.sdp) for the body; undefined when the route takes none. */
  body: unknown;
}

function encodeQuery(entries: [string, unknown][]): string {
  const parts: string[] = [];
  for (const [key, value] of entries) {
    if (value === undefined || value === null) continue;
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

/** Splits an input over path, query and body the way the server reads it back (see HttpBinding). */
export function toHttpRequest(binding: HttpBinding, input: unknown): HttpRequestParts {
  const values: Record<string, unknown> =
    typeof input === 'object' && input !== null ? { ...input } : {};
  let path = binding.path;
  for (const name of pathParams(binding.path)) {
    path = path.replace(`:${name}`, encodeURIComponent(String(values[name] ?? '')));
    delete values[name];
  }
  let body: unknown;
  if (binding.body === '*') {
    body = values;
    return { url: path, body };
  }
  if (binding.body) {
    body = values[binding.body];
    delete values[binding.body];
  }
  return { url: path + encodeQuery(Object.entries(values)), body };
}

/** The request path (with query) of a method and input, e.g. for resource URLs. */
export function methodPath<K extends NvrMethodName>(method: K, input: unknown): string {
  return toHttpRequest(NVR_API_METHODS[method].http, input).url;
}
