// IPC bridge: one `ipcMain.handle` per contract method (generated from NVR_METHOD_NAMES), every argument
// validated with the contract's schemas, the sender frame checked; engine events forwarded to the windows.
// Takes the electron objects it touches as parameters (typed from electron's declarations).
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import {
  IPC_EVENT_CHANNEL,
  NVR_METHOD_NAMES,
  NvrApiError,
  ipcChannel,
  validateInput,
  type IpcResult,
  type NvrApi,
  type NvrEvent,
} from '../../src-preload/contract';
import { isAppUrl } from './navigation-guard';

export type IpcMainLike = Pick<IpcMain, 'handle' | 'removeHandler'>;
/** What the sender check reads of an invoke event. */
export type InvokeEventLike = Pick<IpcMainInvokeEvent, 'senderFrame'> & {
  sender: Pick<WebContents, 'id'>;
};

export interface IpcBridgeOptions {
  ipcMain: IpcMainLike;
  api: NvrApi;
  /** Ids of the app's own webContents (main and wall windows); any other sender is refused. */
  trustedSenderIds: () => Iterable<number>;
  log?: (message: string) => void;
}

/** The sender is one of our windows and the calling frame is its top frame showing an app page. */
export function isTrustedSender(event: InvokeEventLike, trustedIds: Iterable<number>): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  if (!isAppUrl(frame.url)) return false;
  for (const id of trustedIds) if (id === event.sender.id) return true;
  return false;
}

function failure(kind: 'forbidden' | 'internal', message: string): IpcResult {
  return { ok: false, error: { kind, message } };
}

/** Registers a handler per contract method; returns a function removing them all. */
export function registerIpcBridge(options: IpcBridgeOptions): () => void {
  const log = options.log ?? (() => {});
  const channels: string[] = [];
  for (const method of NVR_METHOD_NAMES) {
    const channel = ipcChannel(method);
    options.ipcMain.handle(channel, async (event, ...args: unknown[]): Promise<IpcResult> => {
      if (!isTrustedSender(event, options.trustedSenderIds())) {
        log(`refused ${channel} from an untrusted sender`);
        return failure('forbidden', 'IPC from an unknown frame');
      }
      if (args.length > 1) {
        return { ok: false, error: { kind: 'bad_request', message: 'takes one argument' } };
      }
      const checked = validateInput(method, args[0] ?? {});
      if (!checked.ok) return { ok: false, error: checked.error };
      try {
        const call = options.api[method] as (input: unknown) => Promise<unknown>;
        return { ok: true, value: await call(checked.value) };
      } catch (e) {
        const err = e instanceof NvrApiError ? e : new NvrApiError('internal', String(e));
        if (!(e instanceof NvrApiError)) log(`${channel} failed: ${String(e)}`);
        return { ok: false, ...err.toJSON() };
      }
    });
    channels.push(channel);
  }
  return () => {
    for (const channel of channels) options.ipcMain.removeHandler(channel);
  };
}

export type EventTarget = Pick<WebContents, 'send' | 'isDestroyed'>;

/** Forwards engine events to every live window; returns the unsubscribe function. */
export function forwardEvents(
  api: Pick<NvrApi, 'subscribe'>,
  targets: () => Iterable<EventTarget>,
): () => void {
  return api.subscribe((event: NvrEvent) => {
    for (const target of targets())
      if (!target.isDestroyed()) target.send(IPC_EVENT_CHANNEL, event);
  });
}
