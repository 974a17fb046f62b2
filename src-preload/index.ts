// Preload: exposes `window.nvr`, the typed NvrApi, built from the contract's method list over IPC.
// Exposes nothing else (no ipcRenderer, no Node); runs sandboxed with context isolation. Inputs are
// validated again in main (src-main/app/ipc-bridge.ts): the renderer is not trusted.
import { contextBridge, ipcRenderer } from 'electron';
import { applyEngineBanner } from './engine-banner';
import {
  IPC_ENGINE_STATUS_CHANNEL,
  IPC_EVENT_CHANNEL,
  NVR_METHOD_NAMES,
  NvrApiError,
  ipcChannel,
  parseNvrEvent,
  type EngineStatusMessage,
  type IpcResult,
  type NvrApi,
  type NvrEventListener,
} from './contract';

function buildApi(): NvrApi {
  const api: Record<string, unknown> = {};
  for (const method of NVR_METHOD_NAMES) {
    api[method] = async (input?: unknown) => {
      const result = (await ipcRenderer.invoke(ipcChannel(method), input)) as IpcResult;
      if (result.ok) return result.value;
      throw new NvrApiError(result.error.kind, result.error.message, result.error.field);
    };
  }
  api.subscribe = (listener: NvrEventListener) => {
    const onEvent = (_e: unknown, raw: unknown) => {
      const event = parseNvrEvent(raw);
      if (event) listener(event);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, onEvent);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, onEvent);
    };
  };
  return Object.freeze(api) as unknown as NvrApi;
}

const nvr = buildApi() satisfies NvrApi;
contextBridge.exposeInMainWorld('nvr', nvr);

// The engine banner is drawn by the preload itself (shared DOM); nothing about it reaches the page's world.
ipcRenderer.on(IPC_ENGINE_STATUS_CHANNEL, (_event, status: EngineStatusMessage) => {
  const apply = () => applyEngineBanner(document, status);
  if (document.body) apply();
  else window.addEventListener('DOMContentLoaded', apply, { once: true });
});
