// `GET /api/events`: a WebSocket that pushes the event map (contract events.ts) as JSON `{ type, payload }`.
// One subscription per socket, released on close; a client that cannot keep up loses events, never the engine.
// Each event is cut to the receiver's camera scope first (camera-scope.ts): a viewer limited to some
// cameras never hears of the others, and camera configs carry no credentials.
import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import { NVR_EVENTS_PATH } from '../../src-preload/contract';
import type { NvrApi } from '../../src-preload/contract';
import { scopeEvent } from './camera-scope';
import type { Principal } from './auth-service';

/** How often a socket re-reads its principal (a revoked session is closed, a new scope applies). */
const REFRESH_MS = 1000;
/** Close code of a socket whose session or token was revoked. */
export const WS_CLOSE_SIGNED_OUT = 4401;

export interface EventsOptions {
  /** The principal as it stands now, undefined once its token is revoked (AuthService.refresh). */
  refresh?: (p: Principal) => Principal | undefined;
}

/** Above this many queued bytes a socket skips events (stats are periodic; the next one catches up). */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export async function registerEvents(
  app: FastifyInstance,
  api: Pick<NvrApi, 'subscribe'>,
  opts: EventsOptions = {},
): Promise<void> {
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  app.get(NVR_EVENTS_PATH, { websocket: true }, (socket, req) => {
    // The auth hook has run for the upgrade; the principal is re-read about once a second while
    // events flow, so a revoked session stops hearing at once and a changed scope applies.
    let principal = req.principal;
    let checkedMs = Date.now();
    const unsubscribe = api.subscribe((event) => {
      if (socket.readyState !== socket.OPEN || socket.bufferedAmount > MAX_BUFFERED_BYTES) return;
      if (principal && opts.refresh && Date.now() - checkedMs >= REFRESH_MS) {
        checkedMs = Date.now();
        principal = opts.refresh(principal);
        if (!principal) {
          unsubscribe();
          socket.close(WS_CLOSE_SIGNED_OUT, 'signed out');
          return;
        }
      }
      const scoped = scopeEvent(event, principal);
      if (scoped) socket.send(JSON.stringify(scoped));
    });
    socket.on('close', unsubscribe);
    socket.on('error', (err) => req.log.debug({ err }, 'events socket error'));
    // Clients do not send anything yet; ignore messages rather than fail.
    socket.on('message', () => undefined);
  });
}
