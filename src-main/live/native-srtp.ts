// The native SRTP sender for a thread's WHEP sessions: loaded on the first viewer, the reason it is
// not used logged once.
import type { Logger } from '../base';
import { loadSrtpSender } from '../../native';
import type { SrtpSender } from '../../native';

export function nativeSrtpLoader(enabled: boolean, logger: Logger): () => SrtpSender | undefined {
  let loaded: { sender: SrtpSender | undefined } | undefined;
  return () => {
    if (!enabled) return undefined;
    if (!loaded) {
      const native = loadSrtpSender();
      loaded = { sender: native.sender };
      if (native.error) logger.info({ reason: native.error }, 'native SRTP sender not used');
    }
    return loaded.sender;
  };
}
