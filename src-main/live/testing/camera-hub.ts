// Test support: a StreamHub fed by the project's RTSP server looping a demo clip through a real
// RtspCameraSession, on loopback, plus an `openHub` over it. Only tests import this.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NvrError } from '../../base';
import { RtspCameraSession, RtspServer, StreamHub, toStreamTrack } from '../../camera';
import type { StreamTrack, TrackInfo } from '../../camera';
import type { OpenHub } from '../types';

export const DEMO_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../resources/demo',
);

export interface CameraHub {
  server: RtspServer;
  session: RtspCameraSession;
  hub: StreamHub;
  /** rtsp path of the clip mount, e.g. /cam/main */
  mountPath: string;
  /** openHub serving camera 'cam' (main) from this hub; other ids answer not_found. */
  openHub: OpenHub;
  /** Resolves once the hub has a track and a cached keyframe group. */
  ready: Promise<void>;
  runs: number;
  close(): Promise<void>;
}

/** Starts an RTSP server with `clip` (a file in resources/demo) and a camera session into a hub. */
export async function startCameraHub(clip: string, cameraId = 'cam'): Promise<CameraHub> {
  const server = new RtspServer();
  const mountPath = `/${cameraId}/main`;
  await server.addClipStream(mountPath, { file: path.join(DEMO_DIR, clip) });
  const { port } = await server.listen({ host: '127.0.0.1', port: 0 });
  const session = new RtspCameraSession({
    url: `rtsp://127.0.0.1:${port}${mountPath}`,
    transport: 'tcp',
    initialBackoffMs: 50,
    maxBackoffMs: 200,
  });
  const hub = new StreamHub();
  let track: StreamTrack | undefined;
  const onTrack = (t: TrackInfo): void => {
    track = toStreamTrack(t, track);
    if (track) hub.setTrack(track);
  };
  const result: CameraHub = {
    server,
    session,
    hub,
    mountPath,
    runs: 0,
    ready: Promise.resolve(),
    openHub: async (id, stream) => {
      if (id !== cameraId || stream !== 'main')
        throw new NvrError('not_found', `no camera ${id}`, { cameraId: id, stream });
      return { hub, release: () => undefined };
    },
    close: async () => {
      await session.stop();
      session.removeAllListeners();
      await server.close();
    },
  };
  session.on('track', onTrack);
  session.on('run', (info) => {
    onTrack(info.track);
    result.runs++;
    if (info.runIndex > 0) hub.breakRun();
  });
  result.ready = new Promise<void>((resolve) => {
    session.on('accessUnit', (au) => {
      hub.publish(au);
      if (hub.gop.length >= 2) resolve();
    });
  });
  session.start();
  return result;
}
