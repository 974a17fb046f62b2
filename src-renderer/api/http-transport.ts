// NvrApi over HTTP + one WebSocket for events, derived from the contract's method table (HTTP_ROUTES,
// compiler-checked equal to NVR_API_METHODS): no route strings at call sites. No validation here: the engine validates.
import type {
  NvrApi,
  NvrEvent,
  NvrEventListener,
  NvrEventName,
  NvrMethodName,
} from '../../src-preload/contract';
import { ApiCallError, errorFromBody } from './api-error';
import { HTTP_ROUTES, buildRequest, type HttpRoute } from './http-routes';
import type { Identity, LinkListener, LinkState, Transport } from './transport';

/** The part of the DOM WebSocket the transport uses (tests pass a fake). */
export interface WebSocketLike {
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code?: number; reason?: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  close(): void;
}

export interface HttpTransportOptions {
  /** Engine origin, e.g. `http://127.0.0.1:8480`; '' (default) = the page's own origin. */
  baseUrl?: string;
  fetch?: typeof fetch;
  openWebSocket?: (url: string) => WebSocketLike;
  /** Reconnect backoff of the event socket. */
  minRetryMs?: number;
  maxRetryMs?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  /**
   * Called once when the engine answers 401 (the session expired or was revoked); default: go to the
   * login page (`/login`) instead of showing broken tiles.
   */
  onUnauthorized?: () => void;
}

/** The server's own auth routes (not contract methods). */
export const WHOAMI_PATH = '/api/auth/whoami';
export const LOGOUT_PATH = '/api/auth/logout';
export const LOGIN_PAGE_PATH = '/login';

export type HttpTransport = Transport & { readonly kind: 'http' };

const EVENT_NAMES: Record<NvrEventName, true> = {
  'camera.state': true,
  'camera.stats': true,
  'camera.added': true,
  'camera.updated': true,
  'camera.removed': true,
  'recording.progress': true,
  'export.progress': true,
  'discovery.result': true,
  'discovery.done': true,
  'system.stats': true,
  'views.changed': true,
};

/** Shape check of a WebSocket frame (`{ type, payload }`); payloads are trusted (the engine built them with the schemas). */
export function parseEventFrame(data: unknown): NvrEvent | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(String(data));
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { type, payload } = raw as { type?: unknown; payload?: unknown };
  if (typeof type !== 'string' || !Object.hasOwn(EVENT_NAMES, type)) return undefined;
  if (typeof payload !== 'object' || payload === null) return undefined;
  return { type, payload } as NvrEvent;
}

function pageOrigin(): string {
  return typeof location !== 'undefined' && /^https?:$/.test(location.protocol)
    ? location.origin
    : '';
}

export function createHttpTransport(options: HttpTransportOptions = {}): HttpTransport {
  const base = (options.baseUrl ?? pageOrigin()).replace(/\/+$/, '');
  const doFetch =
    options.fetch ??
    ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  const openWs =
    options.openWebSocket ?? ((url: string) => new WebSocket(url) as unknown as WebSocketLike);
  const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer =
    options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  const onUnauthorized =
    options.onUnauthorized ??
    (() => {
      if (typeof location !== 'undefined') location.assign(LOGIN_PAGE_PATH);
    });
  let unauthorized = false;
  const sessionLost = () => {
    if (unauthorized) return;
    unauthorized = true;
    onUnauthorized();
  };
  const minRetryMs = options.minRetryMs ?? 500;
  const maxRetryMs = options.maxRetryMs ?? 10_000;

  const listeners = new Set<NvrEventListener>();
  const linkListeners = new Set<LinkListener>();
  let link: LinkState = 'connecting';
  let socket: WebSocketLike | undefined;
  let retryTimer: unknown;
  let retryMs = minRetryMs;
  let closed = false;

  const setLink = (next: LinkState, reason?: string) => {
    if (next === link) return;
    link = next;
    for (const l of [...linkListeners]) l(next, reason);
  };

  async function call(name: NvrMethodName, input: unknown): Promise<unknown> {
    const route: HttpRoute = HTTP_ROUTES[name];
    const req = buildRequest(route, input ?? {});
    if (route.resource) return { url: base + req.url };
    const headers: Record<string, string> = {
      accept: route.sdp ? 'application/sdp' : 'application/json',
    };
    let body: string | undefined;
    if (req.body !== undefined) {
      headers['content-type'] = route.sdp ? 'application/sdp' : 'application/json';
      body = route.sdp ? String(req.body) : JSON.stringify(req.body);
    }
    const { res, text } = await exchange(base + req.url, {
      method: route.method,
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    if (route.sdp) {
      const location = res.headers.get('location') ?? '';
      return { sdp: text, sessionId: location.split('/').pop() ?? '' };
    }
    if (!text) return undefined;
    try {
      return JSON.parse(text);
    } catch {
      throw new ApiCallError(
        'malformed',
        `engine answered ${name} with non-JSON (HTTP ${res.status})`,
        undefined,
        res.status,
      );
    }
  }

  function connect() {
    if (closed || socket) return;
    const ws = openWs(`${base.replace(/^http/, 'ws') || wsOrigin()}/api/events`);
    socket = ws;
    ws.onopen = () => {
      retryMs = minRetryMs;
      setLink('online');
    };
    ws.onmessage = (msg) => {
      const event = parseEventFrame(msg.data);
      if (event) for (const l of [...listeners]) l(event);
    };
    ws.onerror = () => undefined; // onclose follows and carries the outcome
    ws.onclose = (ev) => {
      if (socket !== ws) return;
      socket = undefined;
      if (closed) return;
      setLink('offline', ev.reason || 'event stream closed');
      // A refused upgrade looks like any close: ask whether the session is still valid.
      void whoami().catch(() => undefined);
      retryTimer = setTimer(() => {
        retryTimer = undefined;
        setLink('connecting');
        connect();
      }, retryMs);
      retryMs = Math.min(maxRetryMs, retryMs * 2);
    };
  }

  /** One exchange: unreachable → 'unavailable', 401 → the session is gone, any failure → its error. */
  async function exchange(
    url: string,
    init: RequestInit,
  ): Promise<{ res: Response; text: string }> {
    let res: Response;
    try {
      res = await doFetch(url, init);
    } catch (err) {
      throw new ApiCallError(
        'unavailable',
        `engine unreachable: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    const text = await res.text();
    if (res.status === 401) sessionLost();
    if (!res.ok) throw errorFromBody(res.status, text);
    return { res, text };
  }

  const plain = (path: string, method: 'GET' | 'POST') =>
    exchange(base + path, { method, headers: { accept: 'application/json' } });

  async function whoami(): Promise<Identity> {
    const raw = JSON.parse((await plain(WHOAMI_PATH, 'GET')).text) as Partial<Identity>;
    return {
      user: typeof raw.user === 'string' ? raw.user : null,
      role: raw.role === 'viewer' ? 'viewer' : 'admin',
      cameras: Array.isArray(raw.cameras) ? raw.cameras.map(String) : null,
      authMode: raw.authMode === 'required' ? 'required' : 'loopback-open',
      ...(typeof raw.tlsFingerprint === 'string' ? { tlsFingerprint: raw.tlsFingerprint } : {}),
    };
  }

  const api: Record<string, unknown> = {};
  for (const name of Object.keys(HTTP_ROUTES) as NvrMethodName[])
    api[name] = (input?: unknown) => call(name, input);
  const control = {
    kind: 'http' as const,
    get link() {
      return link;
    },
    subscribe(listener: NvrEventListener) {
      listeners.add(listener);
      connect();
      return () => {
        listeners.delete(listener);
      };
    },
    whoami,
    async logout() {
      await plain(LOGOUT_PATH, 'POST').catch(() => undefined);
      sessionLost();
    },
    onLink(listener: LinkListener) {
      linkListeners.add(listener);
      return () => {
        linkListeners.delete(listener);
      };
    },
    close() {
      closed = true;
      if (retryTimer !== undefined) clearTimer(retryTimer);
      const ws = socket;
      socket = undefined;
      ws?.close();
      listeners.clear();
      linkListeners.clear();
    },
  };
  return Object.defineProperties(
    api,
    Object.getOwnPropertyDescriptors(control),
  ) as unknown as NvrApi & typeof control;
}

function wsOrigin(): string {
  if (typeof location === 'undefined') return '';
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}`;
}
