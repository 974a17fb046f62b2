// LiveService driving WHEP viewers in another thread's host (whep-remote), against a real camera
// session on the project's RTSP server and a werift client. The channel clones each message and
// delivers it a turn later, as a worker port does.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NvrError, createLogger } from '../base';
import { LiveService } from './live-service';
import { startCameraHub } from './testing';
import type { CameraHub } from './testing';
import { connectViewer, createWhepClient, h264PayloadNalTypes } from './testing';
import type { WhepTestClient } from './testing';
import { RemoteWhepBackend, serveWhep } from './whep-remote';
import type { WhepWorkerCommand, WhepWorkerMessage, WhepWorkerSide } from './whep-remote';
import type { OpenHub } from './types';

const logger = createLogger({ level: 'silent' });

async function waitUntil(pred: () => boolean, timeoutMs: number): Promise<void> {
  const t0 = performance.now();
  while (!pred()) {
    if (performance.now() - t0 > timeoutMs) throw new Error(`condition not met in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('WHEP viewers in a remote host', () => {
  let cam: CameraHub;
  const clients: WhepTestClient[] = [];
  const closeAfter: Array<{ close(): Promise<void> }> = [];

  /** A LiveService whose camera viewers run in `serveWhep` behind a cloning, async channel. */
  function remoteService(opts: { openHub?: OpenHub; dropCommands?: boolean } = {}) {
    const toWorker: WhepWorkerCommand[] = [];
    const closed: string[] = [];
    /** Reasons LiveService was told its viewers ended with (from the worker, or for a dead one). */
    const ended: string[] = [];
    let remote: RemoteWhepBackend | undefined;
    let dead = false; // a worker that died sends nothing more
    const worker: WhepWorkerSide = serveWhep({
      openHub: opts.openHub ?? cam.openHub,
      post: (m: WhepWorkerMessage) => {
        if (dead) return;
        if (m.type === 'whep.closed') closed.push(m.reason);
        const copy = structuredClone(m);
        setImmediate(() => remote?.handle(copy));
      },
      nativeSrtp: () => undefined,
      logger,
      statsIntervalMs: 100,
    });
    const service = new LiveService({
      openHub: cam.openHub,
      iceBindAddress: '127.0.0.1',
      maxViewersPerStream: 4,
      maxViewersTotal: 8,
      sessionTimeoutMs: 10_000,
      trackWaitMs: 200,
      gatherTimeoutMs: 200,
      logger,
      whepBackend: (events, settings) =>
        (remote = new RemoteWhepBackend({
          send: (cameraId, stream, cmd) => {
            if (cameraId !== 'cam')
              throw new NvrError('not_found', `camera ${cameraId} is not running`);
            toWorker.push(cmd);
            if (opts.dropCommands) return;
            const copy = structuredClone(cmd);
            setImmediate(() => worker.handle(copy));
          },
          events: {
            ...events,
            onClosed: (id, reason) => {
              ended.push(reason);
              events.onClosed(id, reason);
            },
          },
          settings,
          answerTimeoutMs: 500,
        })),
    });
    closeAfter.push(service, worker);
    return {
      service,
      worker,
      toWorker,
      closed,
      ended,
      remote: () => remote!,
      die: () => void (dead = true),
    };
  }

  beforeAll(async () => {
    cam = await startCameraHub('door-sub.h264');
    await cam.ready;
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    for (const c of closeAfter.splice(0).reverse()) await c.close();
  });
  afterAll(async () => {
    await cam.close();
  });

  it('plays through the remote host, reports its figures, and ends on DELETE', async () => {
    const { service, closed } = remoteService();
    const { client, sessionId } = await connectViewer(service, clients);
    await client.waitFor((p) => p.some((x) => h264PayloadNalTypes(x.payload).includes(5)), 5000);

    await waitUntil(() => (service.viewerStats('cam')[0]?.bytesSent ?? 0) > 0, 3000);
    const [stats] = service.viewerStats('cam');
    expect(stats).toMatchObject({ kind: 'webrtc', state: 'connected', codec: 'h264' });
    expect(stats!.packetsSent).toBeGreaterThan(0);
    expect(service.viewerCount('cam', 'main')).toBe(1);

    await service.stopWhep(sessionId);
    expect(service.viewerCount('cam', 'main')).toBe(0);
    await waitUntil(() => closed.includes('deleted'), 3000);
    const received = client.packets.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(client.packets.length - received).toBeLessThan(5); // in flight at most
  });

  it('a stream that stops in its worker ends its viewers there and here', async () => {
    const { service, worker, closed } = remoteService();
    const { client, sessionId } = await connectViewer(service, clients);
    await client.waitForPackets(5, 5000);
    worker.streamStopped('cam', 'main');
    await waitUntil(() => service.viewerCount('cam', 'main') === 0, 3000);
    expect(closed).toEqual(['source-ended']);
    await expect(service.stopWhep(sessionId)).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('errors cross with their kind, and a failed start keeps no viewer', async () => {
    const { service } = remoteService({
      openHub: () => Promise.reject(new NvrError('not_found', 'no such stream here')),
    });
    const client = await createWhepClient();
    clients.push(client);
    await expect(
      service.startWhep({ cameraId: 'cam', stream: 'main', offerSdp: client.offerSdp }),
    ).rejects.toMatchObject({ kind: 'not_found', message: 'no such stream here' });
    // A stream no worker runs fails before anything is sent.
    await expect(
      service.startWhep({ cameraId: 'other', stream: 'main', offerSdp: client.offerSdp }),
    ).rejects.toMatchObject({ kind: 'not_found' });
    expect(service.viewerStats()).toEqual([]);
  });

  it('a worker that never answers: the start fails as unavailable and the worker is told to stop', async () => {
    const { service, toWorker } = remoteService({ dropCommands: true });
    const client = await createWhepClient();
    clients.push(client);
    await expect(
      service.startWhep({ cameraId: 'cam', stream: 'main', offerSdp: client.offerSdp }),
    ).rejects.toMatchObject({ kind: 'unavailable' });
    expect(service.viewerCount('cam', 'main')).toBe(0);
    expect(toWorker.map((c) => c.type)).toEqual(['whep.start', 'whep.stop']);
  });

  it('a worker that died: its viewers end here as worker-crashed, a start in flight fails, the caps free', async () => {
    const { service, die, ended, remote } = remoteService();
    const { client, sessionId } = await connectViewer(service, clients);
    await client.waitForPackets(5, 5000);
    die();
    const pending = await createWhepClient();
    clients.push(pending);
    const { service: quiet, remote: quietRemote } = remoteService({ dropCommands: true });
    const inFlight = quiet.startWhep({
      cameraId: 'cam',
      stream: 'main',
      offerSdp: pending.offerSdp,
    });
    remote().streamLost('cam', 'main', 'worker-crashed');
    quietRemote().streamLost('cam', 'main', 'worker-crashed');
    expect(ended).toEqual(['worker-crashed']);
    expect(service.viewerCount('cam', 'main')).toBe(0);
    await expect(service.stopWhep(sessionId)).rejects.toMatchObject({ kind: 'not_found' });
    await expect(inFlight).rejects.toMatchObject({
      kind: 'unavailable',
      message: 'the stream worker died',
    });
    expect(quiet.viewerCount('cam', 'main')).toBe(0);
    // Another stream's viewers are not touched.
    remote().streamLost('cam', 'sub', 'worker-crashed');
    expect(ended).toEqual(['worker-crashed']);
  });
});
