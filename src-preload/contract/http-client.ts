// An NvrApi over HTTP + WebSocket, derived from NVR_API_METHODS (no route strings here either).
// fetch and WebSocket are injected (minimal structural types), so it runs in Node, tests and browsers.
import { NVR_API_METHODS, NVR_METHOD_NAMES } from './api';
import type { NvrApi, NvrMethodName } from './api';
import { NvrApiError, isErrorKind } from './errors';
import { NVR_EVENTS_PATH, parseNvrEvent } from './events';
import type { NvrEventListener } from './events';
import { toHttpRequest } from './validation';

export interface FetchResponseLike {
  ok: boolean;
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
) => Promise<FetchResponseLike>;

export interface WebSocketLike {
  onmessage: ((event: { data: unknown }) => void) | null;
  close(): void;
}

export interface HttpClientOptions {
  /** Origin of the engine, e.g. `http://127.0.0.1:8480` ('' for same-origin in a browser). */
  baseUrl: string;
  fetch: FetchLike;
  /** Opens the `/api/events` WebSocket; without it `subscribe` delivers nothing. */
  openWebSocket?: (url: string) => WebSocketLike;
}

/** Rejects with NvrApiError for `{ error }` answers (or a synthetic `internal` error for anything else). */
async function errorFrom(res: FetchResponseLike): Promise<NvrApiError> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as {
      error?: { kind?: unknown; message?: unknown; field?: unknown };
    };
    const e = body.error;
    if (e && isErrorKind(e.kind) && typeof e.message === 'string')
      return new NvrApiError(
        e.kind,
        e.message,
        typeof e.field === 'string' ? e.field : undefined,
        res.status,
      );
  } catch {
    // not JSON: fall through
  }
  return new NvrApiError(
    'internal',
    `HTTP ${res.status}: ${text.slice(0, 200)}`,
    undefined,
    res.status,
  );
}

export function createHttpClient(options: HttpClientOptions): NvrApi {
  const base = options.baseUrl.replace(/\/+$/, '');
  const listeners = new Set<NvrEventListener>();
  let socket: WebSocketLike | undefined;

  async function call(name: NvrMethodName, input: unknown): Promise<unknown> {
    const binding = NVR_API_METHODS[name].http;
    const req = toHttpRequest(binding, input ?? {});
    if ('resource' in binding) return { url: base + req.url };
    const headers: Record<string, string> = { accept: 'application/json' };
    let body: string | undefined;
    if (req.body !== undefined) {
      const sdp = 'sdp' in binding && binding.sdp;
      headers['content-type'] = sdp ? 'application/sdp' : 'application/json';
      body = sdp ? String(req.body) : JSON.stringify(req.body);
    }
    const res = await options.fetch(base + req.url, {
      method: binding.method,
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    if (!res.ok) throw await errorFrom(res);
    if ('sdp' in binding && binding.sdp) {
      const location = res.headers.get('location') ?? '';
      return { sdp: await res.text(), sessionId: location.split('/').pop() ?? '' };
    }
    const text = await res.text();
    return text ? JSON.parse(text) : undefined;
  }

  const api: Record<string, unknown> = {};
  for (const name of NVR_METHOD_NAMES) api[name] = (input?: unknown) => call(name, input);
  api.subscribe = (listener: NvrEventListener) => {
    listeners.add(listener);
    if (!socket && options.openWebSocket) {
      const wsUrl = `${base.replace(/^http/, 'ws')}${NVR_EVENTS_PATH}`;
      socket = options.openWebSocket(wsUrl);
      socket.onmessage = (message) => {
        let raw: unknown;
        try {
          raw = JSON.parse(String(message.data));
        } catch {
          return;
        }
        const event = parseNvrEvent(raw);
        if (event) for (const l of [...listeners]) l(event);
      };
    }
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && socket) {
        socket.close();
        socket = undefined;
      }
    };
  };
  return api as unknown as NvrApi;
}
