// `GET /api/events`: a WebSocket that pushes the event map (contract events.ts) as JSON `{ type, payload }`.
// One subscription per socket, released on close; a client that cannot keep up loses events, never the engine.
import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import { NVR_EVENTS_PATH } from '../../src-preload/contract';
import type { NvrApi } from '../../src-preload/contract';

/** Above this many queued bytes a socket skips events (stats are periodic; the next one catches up). */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export async function registerEvents(
  app: FastifyInstance,
  api: Pick<NvrApi, 'subscribe'>,
): Promise<void> {
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  app.get(NVR_EVENTS_PATH, { websocket: true }, (socket, req) => {
    const unsubscribe = api.subscribe((event) => {
      if (socket.readyState !== socket.OPEN || socket.bufferedAmount > MAX_BUFFERED_BYTES) return;
      socket.send(JSON.stringify(event));
    });
    socket.on('close', unsubscribe);
    socket.on('error', (err) => req.log.debug({ err }, 'events socket error'));
    // Clients do not send anything yet; ignore messages rather than fail.
    socket.on('message', () => undefined);
  });
}
