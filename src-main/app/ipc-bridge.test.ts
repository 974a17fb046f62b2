// IPC bridge against a fake ipcMain: valid calls reach the engine API with validated input, bad arguments
// and unknown channels are rejected, a wrong sender is refused, and events reach the live windows.
import { describe, expect, it } from 'vitest';
import {
  IPC_EVENT_CHANNEL,
  NVR_METHOD_NAMES,
  NvrApiError,
  nvrEvent,
  type IpcResult,
  type NvrApi,
  type NvrEventListener,
} from '../../src-preload/contract';
import {
  forwardEvents,
  registerIpcBridge,
  type InvokeEventLike,
  type IpcMainLike,
} from './ipc-bridge';

type Handler = (event: InvokeEventLike, ...args: unknown[]) => Promise<IpcResult>;

/** Behaves like electron's ipcMain for `invoke`: an unknown channel rejects. */
class FakeIpcMain {
  readonly handlers = new Map<string, Handler>();
  handle(channel: string, handler: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  async invoke(channel: string, event: InvokeEventLike, ...args: unknown[]): Promise<IpcResult> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler(event, ...args);
  }
}

const APP_WINDOW_ID = 7;
const fromApp = (
  overrides: Partial<{ id: number; url: string; sub: boolean }> = {},
): InvokeEventLike =>
  ({
    sender: { id: overrides.id ?? APP_WINDOW_ID },
    senderFrame: {
      url: overrides.url ?? 'app://nvr/index.html',
      parent: overrides.sub ? {} : null,
    },
  }) as unknown as InvokeEventLike;

function setup() {
  const calls: { method: string; input: unknown }[] = [];
  const api = new Proxy({} as NvrApi, {
    get: (_t, method: string) => async (input: unknown) => {
      calls.push({ method, input });
      if (method === 'deleteCamera') throw new NvrApiError('not_found', 'no camera x');
      if (method === 'getSystem') throw new Error('boom');
      return { called: method };
    },
  });
  const ipc = new FakeIpcMain();
  const dispose = registerIpcBridge({
    ipcMain: ipc as unknown as IpcMainLike,
    api,
    trustedSenderIds: () => [APP_WINDOW_ID],
  });
  return { ipc, calls, dispose };
}

describe('registerIpcBridge', () => {
  it('registers exactly one channel per contract method', () => {
    const { ipc } = setup();
    expect([...ipc.handlers.keys()].sort()).toEqual(NVR_METHOD_NAMES.map((m) => `nvr:${m}`).sort());
  });

  it('passes a valid call to the engine API with the parsed input (defaults filled)', async () => {
    const { ipc, calls } = setup();
    const result = await ipc.invoke('nvr:listRecordings', fromApp(), {
      id: 'cam1',
      from: 1000,
      to: 2000,
    });
    expect(result).toEqual({ ok: true, value: { called: 'listRecordings' } });
    expect(calls).toEqual([
      { method: 'listRecordings', input: { id: 'cam1', from: 1000, to: 2000, stream: 'main' } },
    ]);
  });

  it('rejects bad arguments with bad_request naming the field, without calling the engine', async () => {
    const { ipc, calls } = setup();
    const result = await ipc.invoke('nvr:listRecordings', fromApp(), {
      id: 'cam1',
      from: 'x',
      to: 2000,
    });
    expect(result).toMatchObject({ ok: false, error: { kind: 'bad_request', field: 'from' } });
    const swapped = await ipc.invoke('nvr:listRecordings', fromApp(), {
      id: 'cam1',
      from: 3000,
      to: 2000,
    });
    expect(swapped).toMatchObject({ ok: false, error: { kind: 'bad_request', field: 'to' } });
    const extra = await ipc.invoke('nvr:listCameras', fromApp(), {}, { sneaky: true });
    expect(extra).toMatchObject({ ok: false, error: { kind: 'bad_request' } });
    expect(calls).toEqual([]);
  });

  it('rejects unknown channels', async () => {
    const { ipc } = setup();
    await expect(ipc.invoke('nvr:executeShell', fromApp(), {})).rejects.toThrow(/No handler/);
    await expect(ipc.invoke('nvr:subscribe', fromApp(), {})).rejects.toThrow(/No handler/);
  });

  it('refuses other windows, sub frames and non-app pages', async () => {
    const { ipc, calls } = setup();
    for (const event of [
      fromApp({ id: 99 }),
      fromApp({ sub: true }),
      fromApp({ url: 'https://evil.example/' }),
      fromApp({ url: 'file:///etc/passwd' }),
      { sender: { id: APP_WINDOW_ID }, senderFrame: null } as unknown as InvokeEventLike,
    ]) {
      const result = await ipc.invoke('nvr:listCameras', event);
      expect(result).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    }
    expect(calls).toEqual([]);
  });

  it('keeps the error kind of engine errors; other throws become internal', async () => {
    const { ipc } = setup();
    expect(await ipc.invoke('nvr:deleteCamera', fromApp(), { id: 'x' })).toEqual({
      ok: false,
      error: { kind: 'not_found', message: 'no camera x' },
    });
    expect(await ipc.invoke('nvr:getSystem', fromApp())).toMatchObject({
      ok: false,
      error: { kind: 'internal' },
    });
  });

  it('dispose removes every handler', () => {
    const { ipc, dispose } = setup();
    dispose();
    expect(ipc.handlers.size).toBe(0);
  });
});

describe('forwardEvents', () => {
  it('sends engine events on the event channel to live windows only', () => {
    let listener: NvrEventListener | undefined;
    const api = {
      subscribe: (l: NvrEventListener) => ((listener = l), () => (listener = undefined)),
    };
    const sent: unknown[][] = [];
    const live = { isDestroyed: () => false, send: (...a: unknown[]) => void sent.push(a) };
    const dead = { isDestroyed: () => true, send: () => expect.fail('sent to a destroyed window') };
    const stop = forwardEvents(api, () => [live, dead]);
    const event = nvrEvent('camera.removed', { id: 'cam1' });
    listener?.(event);
    expect(sent).toEqual([[IPC_EVENT_CHANNEL, event]]);
    stop();
    expect(listener).toBeUndefined();
  });
});
