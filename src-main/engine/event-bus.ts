// In-process fan-out of the contract's event map to every subscriber (IPC bridge, WebSocket clients).
// A throwing listener is logged and skipped; it never breaks the emitter or the other listeners.
import type { Logger } from '../base';
import type {
  NvrEvent,
  NvrEventListener,
  NvrEventMap,
  NvrEventName,
  Unsubscribe,
} from '../../src-preload/contract';

export class EventBus {
  private readonly listeners = new Set<NvrEventListener>();

  constructor(private readonly logger?: Logger) {}

  get size(): number {
    return this.listeners.size;
  }

  subscribe(listener: NvrEventListener): Unsubscribe {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit<K extends NvrEventName>(type: K, payload: NvrEventMap[K]): void {
    const event = { type, payload } as NvrEvent;
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (err) {
        this.logger?.warn({ err, event: type }, 'event listener failed');
      }
    }
  }
}
