// Waits for a hub's track: a stream that has not delivered a frame yet (camera still connecting) gets a
// short grace period before a viewer is refused. Subscribes a throwaway consumer; never holds on to it.
import type { StreamHub, StreamTrack } from '../camera';

/** Waits for the first access unit of a hub that has none yet. */
export function waitForTrack(hub: StreamHub, timeoutMs: number): Promise<StreamTrack | undefined> {
  if (hub.track) return Promise.resolve(hub.track);
  return new Promise((resolve) => {
    const sub: { unsubscribe?: () => void; settled?: boolean } = {};
    const finish = (track: StreamTrack | undefined): void => {
      if (sub.settled) return;
      sub.settled = true;
      clearTimeout(timer);
      queueMicrotask(() => sub.unsubscribe?.());
      resolve(track);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    sub.unsubscribe = hub.subscribe({
      name: 'live:wait-track',
      push: (_au, track) => (finish(track), true),
    });
  });
}
