// Async iteration over an RTSP client's access units: a bounded queue fed by its events, ending on
// 'close'. Owns only the event → iterator adaptation; no I/O of its own.
import type { EventEmitter } from 'node:events';
import type { NvrError } from '../../base';
import type { AccessUnit } from '../../media';
import type { RtspClientEvents, TrackInfo } from './client-types';

export interface AccessUnitItem {
  au: AccessUnit;
  track: TrackInfo;
}

export function accessUnitIterator(
  source: EventEmitter<RtspClientEvents>,
  isClosed: () => boolean,
  maxQueued: number,
): AsyncIterableIterator<AccessUnitItem> {
  const queue: AccessUnitItem[] = [];
  let wake: (() => void) | undefined;
  let done = isClosed();
  let error: NvrError | undefined;
  const onAu = (au: AccessUnit, track: TrackInfo): void => {
    queue.push({ au, track });
    if (queue.length > maxQueued) queue.shift();
    wake?.();
  };
  const onClose = (err: NvrError | undefined): void => {
    done = true;
    error = err;
    wake?.();
  };
  const stop = (): void => {
    done = true;
    source.off('accessUnit', onAu);
    source.off('close', onClose);
    wake?.();
  };
  source.on('accessUnit', onAu);
  source.on('close', onClose);
  const iterator: AsyncIterableIterator<AccessUnitItem> = {
    next: async () => {
      for (;;) {
        const value = queue.shift();
        if (value) return { value, done: false };
        if (done || isClosed()) {
          stop();
          if (error) {
            const e = error;
            error = undefined;
            throw e;
          }
          return { value: undefined, done: true };
        }
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    },
    return: async () => {
      stop();
      queue.length = 0;
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
