// Loads werift on the first WebRTC viewer instead of at engine start (it is large: seconds of module
// loading on a busy machine and tens of MB), creates its process-wide DTLS certificate once and moves
// two handshake costs to native code (werift-speedups).
// Owns nothing else; every werift value the live module uses comes through here.
import type * as WeriftModule from 'werift';
import { applyWeriftSpeedups } from './werift-speedups';

export type Werift = typeof WeriftModule;

let loading: Promise<Werift> | undefined;

/** werift with its DTLS certificate ready (later calls share the first load). */
export function loadWerift(): Promise<Werift> {
  loading ??= import('werift').then(async (w) => {
    applyWeriftSpeedups();
    // Otherwise the first connection pays for the key generation during its handshake.
    await w.RTCDtlsTransport.SetupCertificate().catch(() => undefined);
    return w;
  });
  return loading;
}
