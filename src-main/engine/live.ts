// Wires the live module into the engine: a LiveService over the recording workers' hubs (openHub),
// the startLive/stopLive handlers, the live playlist resource, the live HLS file route, and the
// viewer figures added to the camera status and to camera.state / camera.stats events. Holds no live
// state of its own.
import type { Logger } from '../base';
import { LiveService, RemoteWhepBackend, isWhepWorkerMessage } from '../live';
import type { IceServer, OpenHub } from '../live';
import { currentCallContext } from '../server';
import type { LiveFileHandler, ResourceHandlers } from '../server';
import { findFfmpeg } from '../../native';
import type {
  CameraStatus,
  NvrEvent,
  NvrHandlers,
  StreamName,
  StreamStatus,
} from '../../src-preload/contract';

export interface EngineLiveOptions {
  /** Default NVR_LIVE_MAX_PER_STREAM, else 16. */
  maxViewersPerStream?: number;
  /** Default NVR_LIVE_MAX_TOTAL, else 64. */
  maxViewersTotal?: number;
  /** Slots of one stream one signed-in user may hold; default NVR_LIVE_MAX_PER_USER, else half the stream's. */
  maxViewersPerUserPerStream?: number;
  /** A viewer that does not connect, or goes silent, for this long is closed. Default 15 s. */
  sessionTimeoutMs?: number;
  /** STUN/TURN servers; default from NVR_ICE_SERVERS (comma-separated URLs), else none. */
  iceServers?: IceServer[];
  /** ffmpeg for the opt-in H.264 transcode; found in native/ or PATH by default, `false` disables. */
  ffmpegPath?: string | false;
}

export interface EngineLive {
  readonly service: LiveService;
  readonly handlers: Pick<NvrHandlers, 'startLive' | 'stopLive'>;
  readonly resources: Pick<ResourceHandlers, 'getLivePlaylistUrl'>;
  readonly liveFiles: LiveFileHandler;
  /** The status with each stream's viewer counts and per-viewer statistics. */
  withViewers(cameraId: string, status: CameraStatus): CameraStatus;
  /** camera.state and camera.stats with each stream's viewer counts; other events unchanged. */
  withViewerCounts(event: NvrEvent): NvrEvent;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** A positive integer from the environment, or undefined. */
function envInt(env: Record<string, string | undefined>, name: string): number | undefined {
  const v = env[name];
  return v && /^\d{1,6}$/.test(v.trim()) && Number(v) > 0 ? Number(v) : undefined;
}

function iceServersFromEnv(env: Record<string, string | undefined>): IceServer[] {
  const list =
    env.NVR_ICE_SERVERS?.split(',')
      .map((s) => s.trim())
      .filter(Boolean) ?? [];
  return list.map((urls) => ({ urls }));
}

export function createEngineLive(opts: {
  openHub: OpenHub;
  /**
   * The recording workers: WebRTC viewers of camera streams run in the worker that owns the stream
   * (stream-worker.ts hosts them there). Without it they run in this thread over `openHub`.
   */
  workers?: {
    send(cameraId: string, stream: StreamName, body: unknown): void;
    onMessage(listener: (body: unknown) => void): void;
    /** Tells of streams whose worker died: their viewers end ('worker-crashed'). */
    onStreamsLost?(listener: (streams: { cameraId: string; stream: StreamName }[]) => void): void;
  };
  /** The HTTP bind address: a loopback-only engine keeps ICE on loopback too. */
  host: string;
  logger: Logger;
  options?: EngineLiveOptions;
  env?: Record<string, string | undefined>;
}): EngineLive {
  const o = opts.options ?? {};
  const env = opts.env ?? process.env;
  const perUser = o.maxViewersPerUserPerStream ?? envInt(env, 'NVR_LIVE_MAX_PER_USER');
  const workers = opts.workers;
  const ffmpegPath = o.ffmpegPath === false ? undefined : (o.ffmpegPath ?? findFfmpeg());
  const service = new LiveService({
    openHub: opts.openHub,
    ...(workers
      ? {
          whepBackend: (events, settings) => {
            const remote = new RemoteWhepBackend({ send: workers.send, events, settings });
            workers.onMessage((body) => {
              if (isWhepWorkerMessage(body)) remote.handle(body);
            });
            workers.onStreamsLost?.((streams) => {
              for (const s of streams) remote.streamLost(s.cameraId, s.stream, 'worker-crashed');
            });
            return remote;
          },
        }
      : {}),
    iceServers: o.iceServers ?? iceServersFromEnv(env),
    ...(LOOPBACK.has(opts.host) ? { iceBindAddress: '127.0.0.1' } : {}),
    maxViewersPerStream: o.maxViewersPerStream ?? envInt(env, 'NVR_LIVE_MAX_PER_STREAM') ?? 16,
    maxViewersTotal: o.maxViewersTotal ?? envInt(env, 'NVR_LIVE_MAX_TOTAL') ?? 64,
    ...(perUser !== undefined ? { maxViewersPerUserPerStream: perUser } : {}),
    sessionTimeoutMs: o.sessionTimeoutMs ?? 15_000,
    ...(envInt(env, 'NVR_LIVE_SILENCE_MS') !== undefined
      ? { silenceTimeoutMs: envInt(env, 'NVR_LIVE_SILENCE_MS') }
      : {}),
    logger: opts.logger,
    // werift stays out of the start-up path, and is usually loaded before the first viewer (where
    // the viewers run: in the workers, stream-worker.ts does it there).
    ...(workers ? {} : { prewarmWebRtcMs: 3000 }),
    ...(ffmpegPath ? { transcode: { ffmpegPath } } : {}),
  });

  const counts = (cameraId: string, stream: StreamName) => {
    const c = service.viewerCounts(cameraId, stream);
    return { webrtcViewers: c.webrtc, hlsClients: c.hls };
  };
  /** Each stream present gets its WebRTC session and live HLS player counts. */
  const withCounts = (cameraId: string, streams: CameraStatus['streams']) => {
    const out: { main?: StreamStatus; sub?: StreamStatus } = { ...streams };
    for (const name of ['main', 'sub'] as const) {
      const st = out[name];
      if (st) out[name] = { ...st, ...counts(cameraId, name) };
    }
    return out;
  };

  const uriFor = (stream: StreamName, transcode: 'h264' | undefined) => (file: string) =>
    `live/${file}?stream=${stream}${transcode ? `&transcode=${transcode}` : ''}`;

  return {
    service,
    handlers: {
      startLive: async ({ id, stream, offerSdp, transcode }) => {
        const user = currentCallContext()?.principal?.userId;
        const answer = await service.startWhep({
          cameraId: id,
          stream,
          offerSdp,
          ...(transcode ? { transcode } : {}),
          ...(user !== undefined ? { owner: `user:${user}` } : {}),
        });
        return { sdp: answer.answerSdp, sessionId: answer.sessionId };
      },
      stopLive: async ({ id, sessionId }) => {
        await service.stopWhep(sessionId, id);
        return { ok: true };
      },
    },
    resources: {
      getLivePlaylistUrl: async ({ id, stream, transcode }) => {
        const file = await service.liveHls(id, stream, 'live.m3u8', {
          uri: uriFor(stream, transcode),
          ...(transcode ? { transcode } : {}),
        });
        return {
          contentType: file.contentType,
          body: file.body,
          headers: { 'cache-control': 'no-cache' },
        };
      },
    },
    liveFiles: ({ id, stream, file, transcode }) =>
      service.liveHls(id, stream, file, transcode ? { transcode } : {}),
    withViewers(cameraId, status) {
      const viewers = service.viewerStats(cameraId);
      const streams = withCounts(cameraId, status.streams);
      for (const name of ['main', 'sub'] as const) {
        const mine = viewers.filter((v) => v.stream === name);
        if (mine.length === 0) continue;
        streams[name] = {
          ...(streams[name] ?? { state: status.state, ...counts(cameraId, name) }),
          viewers: mine.length,
          liveViewers: mine.map((v) => ({
            sessionId: v.sessionId,
            kind: v.kind,
            state: v.state,
            startedMs: v.startedMs,
            ...(v.connectedMs !== undefined ? { connectedMs: v.connectedMs } : {}),
            bytesSent: v.bytesSent,
            packetsSent: v.packetsSent,
            framesSent: v.framesSent,
            plis: v.plis,
            nacks: v.nacks,
            stalls: v.stalls,
          })),
        };
      }
      return { ...status, streams };
    },
    withViewerCounts(event) {
      if (event.type === 'camera.stats') {
        const { id, streams } = event.payload;
        return { type: event.type, payload: { id, streams: withCounts(id, streams) } };
      }
      if (event.type === 'camera.state') {
        const { id, status } = event.payload;
        const streams = withCounts(id, status.streams);
        return { type: event.type, payload: { id, status: { ...status, streams } } };
      }
      return event;
    },
    close: () => service.close(),
  };
}
