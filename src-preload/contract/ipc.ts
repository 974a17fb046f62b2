// IPC channel names, derived from the method table: one `invoke` channel per NvrApi method and one
// event channel. Main registers exactly these handlers; the preload calls exactly these channels.
import type { NvrMethodName } from './api';
import type { ApiErrorBody } from './errors';

export const IPC_EVENT_CHANNEL = 'nvr:event';

export function ipcChannel(method: NvrMethodName): `nvr:${NvrMethodName}` {
  return `nvr:${method}`;
}

/** What an IPC handler answers: rejections would lose the error kind across the bridge. */
export type IpcResult = { ok: true; value: unknown } | ({ ok: false } & ApiErrorBody);

/** Main → windows: the engine supervisor's state; the preload shows a banner while it is not running. */
export const IPC_ENGINE_STATUS_CHANNEL = 'nvr:engine-status';
export interface EngineStatusMessage {
  state: 'starting' | 'running' | 'restarting' | 'stopped';
  restarts: number;
}
