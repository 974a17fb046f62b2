// Engine client: an NvrApi that follows the supervised engine across restarts (a new HTTP client per
// engine URL; event listeners re-attached to the new child). Calls made while it restarts wait for it.
import {
  NVR_METHOD_NAMES,
  NvrApiError,
  createHttpClient,
  type NvrApi,
  type NvrEventListener,
  type WebSocketLike,
} from '../../src-preload/contract';
import type { EngineStatus } from './engine-supervisor';

export interface EngineSource {
  ready(): Promise<string>;
  on(event: 'status', listener: (status: EngineStatus) => void): unknown;
}

/** A WebSocket for the event stream over Node's global WebSocket (reconnects are the supervisor's job). */
export function openNodeWebSocket(url: string): WebSocketLike {
  const ws = new WebSocket(url);
  const like: WebSocketLike = { onmessage: null, close: () => ws.close() };
  ws.onmessage = (message) => like.onmessage?.({ data: message.data });
  ws.onerror = () => {};
  return like;
}

export function createEngineApi(
  engine: EngineSource,
  options: { readyTimeoutMs?: number; openWebSocket?: (url: string) => WebSocketLike } = {},
): NvrApi {
  let current: { url: string; api: NvrApi; unsubscribe?: () => void } | undefined;
  const listeners = new Set<NvrEventListener>();
  const dispatch: NvrEventListener = (event) => {
    for (const l of [...listeners]) l(event);
  };

  function clientFor(url: string): NvrApi {
    if (current?.url === url) return current.api;
    current?.unsubscribe?.();
    const api = createHttpClient({
      baseUrl: url,
      fetch: (u, init) => fetch(u, init),
      openWebSocket: options.openWebSocket ?? openNodeWebSocket,
    });
    current = { url, api };
    if (listeners.size > 0) current.unsubscribe = api.subscribe(dispatch);
    return api;
  }

  engine.on('status', (status) => {
    if (status.state === 'running') clientFor(status.url);
  });

  async function readyUrl(): Promise<string> {
    const timeoutMs = options.readyTimeoutMs ?? 15_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new NvrApiError('unavailable', 'the engine is restarting')),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([engine.ready(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  const api: Record<string, unknown> = {};
  for (const name of NVR_METHOD_NAMES) {
    api[name] = async (input?: unknown) => {
      const client = clientFor(await readyUrl());
      return (client[name] as (i: unknown) => Promise<unknown>)(input);
    };
  }
  api.subscribe = (listener: NvrEventListener) => {
    listeners.add(listener);
    if (current && !current.unsubscribe) current.unsubscribe = current.api.subscribe(dispatch);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && current?.unsubscribe) {
        current.unsubscribe();
        current.unsubscribe = undefined;
      }
    };
  };
  return api as unknown as NvrApi;
}
