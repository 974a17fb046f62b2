// The NvrApi implementation: handlers over the camera store, event bus and system counters, and
// bindApi(), which validates every input with the contract's schemas before a handler sees it.
// Features whose modules do not exist yet (live, playback, export, ONVIF) answer `not_implemented`.
import { NvrError } from '../base';
import type { Clock, Logger } from '../base';
import { NVR_METHOD_NAMES, methodPath, validateInput } from '../../src-preload/contract';
import type {
  CameraStatus,
  NvrApi,
  NvrEventListener,
  NvrHandlers,
  NvrMethodName,
  SystemInfo,
  Unsubscribe,
} from '../../src-preload/contract';
import { AUTH_METHOD_NAMES } from '../server';
import type { AuthHandlers } from '../server';
import {
  applyCameraPatch,
  cameraIdFromName,
  cameraIdTaken,
  patchWithUrlCredentials,
  splitUrlCredentials,
  toApiCamera,
} from './camera-store';
import type { CameraStore, StoredCamera } from './camera-store';
import type { EventBus } from './event-bus';
import { CpuMeter, EventLoopDelayMeter, cpuFigures, diskUsage, memoryFigures } from './system-info';
import { MemoryViewStore, createViewHandlers } from './views';
import type { ViewStore } from './views';
import { testStream } from './stream-test';
import { cameraStreamTestInput } from './camera-stream-test';
import { findFfmpeg } from '../../native';

export interface HandlerDeps {
  store: CameraStore;
  bus: EventBus;
  clock: Clock;
  logger: Logger;
  version: string;
  dataDir: string;
  /** Base URL of the engine's HTTP server once listening (for resource URLs handed to IPC clients). */
  baseUrl: () => string | undefined;
  /** Live status of a camera from its session; idle until camera sessions exist. */
  cameraStatus?: (id: string) => CameraStatus | undefined;
  /** Bytes the recordings take (from storage); 0 until storage exists. */
  recordingsBytes?: () => number;
  /** Recorded ranges of a camera stream over a window (from the index). */
  recordedRanges?: (
    cameraId: string,
    stream: 'main' | 'sub',
    fromMs: number,
    toMs: number,
  ) => { startMs: number; endMs: number }[];
  /** A camera was added or edited (recording applies the change live), or removed. */
  onCameraChanged?: (camera: StoredCamera) => void;
  onCameraRemoved?: (id: string) => void;
  /** ONVIF handlers (camera/onvif); without them those methods answer `not_implemented`. */
  onvif?: Pick<NvrHandlers, OnvifMethodName>;
  /** WebRTC live view (src-main/live); without it startLive/stopLive answer `not_implemented`. */
  live?: Pick<NvrHandlers, 'startLive' | 'stopLive'>;
  /** Saved views (the index's table with recording; in memory otherwise). */
  views?: ViewStore;
  /** Users, API tokens and first run (server's createAuthHandlers); absent → `not_implemented`. */
  auth?: AuthHandlers;
  /** The stream test (wizard and camera settings); default: stream-test.ts with the ffmpeg found on this machine. */
  testStream?: NvrHandlers['testStream'];
}

/** The methods camera/onvif implements (the same list as its ONVIF_METHODS). */
type OnvifMethodName =
  | 'discover'
  | 'probe'
  | 'addCameraFromProbe'
  | 'getPtz'
  | 'ptzMove'
  | 'ptzStop'
  | 'ptzHome'
  | 'listPtzPresets'
  | 'gotoPtzPreset'
  | 'setPtzPreset';

const onvifNotImplemented: Pick<NvrHandlers, OnvifMethodName> = {
  discover: async () => notImplemented('ONVIF discovery'),
  probe: async () => notImplemented('ONVIF probing'),
  addCameraFromProbe: async () => notImplemented('ONVIF probing'),
  getPtz: async () => notImplemented('PTZ'),
  ptzMove: async () => notImplemented('PTZ'),
  ptzStop: async () => notImplemented('PTZ'),
  ptzHome: async () => notImplemented('PTZ'),
  listPtzPresets: async () => notImplemented('PTZ'),
  gotoPtzPreset: async () => notImplemented('PTZ'),
  setPtzPreset: async () => notImplemented('PTZ'),
};

function notImplemented(what: string): never {
  throw new NvrError('not_implemented', `${what} is not implemented yet`);
}

export function createHandlers(deps: HandlerDeps): NvrHandlers {
  const { store, bus, clock } = deps;
  const startedMs = clock.monotonicMs();
  const cpu = new CpuMeter(clock);
  const loopDelay = new EventLoopDelayMeter();

  const mustGet = (id: string): StoredCamera => {
    const camera = store.get(id);
    if (!camera) throw new NvrError('not_found', `no camera ${id}`, { field: 'id', camera: id });
    return camera;
  };
  const statusOf = (id: string): CameraStatus =>
    deps.cameraStatus?.(id) ?? { state: 'idle', streams: {} };
  const runStreamTest: NvrHandlers['testStream'] =
    deps.testStream ?? (async (input) => testStream(input, { ffmpegPath: findFfmpeg() }));
  const resourceUrl = (method: NvrMethodName, input: unknown) => {
    const base = deps.baseUrl();
    if (!base) throw new NvrError('unavailable', 'the HTTP server is not listening yet');
    return { url: base + methodPath(method, input) };
  };

  return {
    health: async () => ({ ok: true, version: deps.version }),

    listCameras: async () => store.list().map(toApiCamera),
    getCamera: async ({ id }) => toApiCamera(mustGet(id)),
    addCamera: async (input) => {
      const nowMs = clock.nowMs();
      // Ids are never reused: a deleted camera's recordings must not show up under a new one.
      const id = cameraIdFromName(input.name, (candidate) => cameraIdTaken(store, candidate));
      const config = splitUrlCredentials(input);
      const stored: StoredCamera = { id, config, createdMs: nowMs, updatedMs: nowMs };
      store.insert(stored);
      deps.onCameraChanged?.(stored);
      const camera = toApiCamera(stored);
      deps.logger.info({ camera: id }, 'camera added');
      bus.emit('camera.added', { camera });
      return camera;
    },
    updateCamera: async ({ id, patch }) => {
      const current = mustGet(id);
      const next: StoredCamera = {
        ...current,
        config: splitUrlCredentials(
          applyCameraPatch(current.config, patchWithUrlCredentials(patch)),
        ),
        updatedMs: clock.nowMs(),
      };
      store.update(next);
      deps.onCameraChanged?.(next);
      const camera = toApiCamera(next);
      bus.emit('camera.updated', { camera });
      return camera;
    },
    deleteCamera: async ({ id }) => {
      mustGet(id);
      store.delete(id);
      deps.onCameraRemoved?.(id);
      deps.logger.info({ camera: id }, 'camera removed');
      bus.emit('camera.removed', { id });
      return { ok: true };
    },
    getCameraStatus: async ({ id }) => {
      mustGet(id);
      return statusOf(id);
    },
    listRecordings: async ({ id, stream, from, to }) => {
      mustGet(id);
      return { ranges: deps.recordedRanges?.(id, stream, from, to) ?? [] };
    },

    startLive: async (input) => {
      mustGet(input.id);
      return deps.live ? deps.live.startLive(input) : notImplemented('WebRTC live view');
    },
    stopLive: async (input) =>
      deps.live ? deps.live.stopLive(input) : notImplemented('WebRTC live view'),
    getLivePlaylistUrl: async (input) => (
      mustGet(input.id),
      resourceUrl('getLivePlaylistUrl', input)
    ),
    getVodPlaylistUrl: async (input) => (
      mustGet(input.id),
      resourceUrl('getVodPlaylistUrl', input)
    ),
    getSnapshotUrl: async (input) => (mustGet(input.id), resourceUrl('getSnapshotUrl', input)),
    getClipDownloadUrl: async (input) => (
      mustGet(input.id),
      resourceUrl('getClipDownloadUrl', input)
    ),

    startExport: async ({ cameraIds }) => {
      for (const id of cameraIds) mustGet(id);
      return notImplemented('Export');
    },
    listExports: async () => [],
    getExport: async ({ id }) => {
      throw new NvrError('not_found', `no export ${id}`, { field: 'id' });
    },
    cancelExport: async ({ id }) => {
      throw new NvrError('not_found', `no export ${id}`, { field: 'id' });
    },
    getExportFileUrl: async ({ id }) => {
      throw new NvrError('not_found', `no export ${id}`, { field: 'id' });
    },
    deleteExport: async ({ id }) => {
      throw new NvrError('not_found', `no export ${id}`, { field: 'id' });
    },
    // Replaced by src-main/playback's handlers when recording is on (engine.ts).
    getTimeline: async () => notImplemented('Timeline data'),
    getThumbnailUrl: async (input) => (mustGet(input.id), resourceUrl('getThumbnailUrl', input)),

    ...(deps.onvif ?? onvifNotImplemented),
    ...createViewHandlers({ store: deps.views ?? new MemoryViewStore(), bus, clock }),
    ...(deps.auth ??
      (Object.fromEntries(
        AUTH_METHOD_NAMES.map((m) => [m, async () => notImplemented('User management')]),
      ) as unknown as AuthHandlers)),

    testStream: runStreamTest,
    // The stored password stays in the engine: the settings dialog tests without ever holding it.
    testCameraStream: async (input) =>
      runStreamTest(cameraStreamTestInput(mustGet(input.id), input)),

    getSystem: async (): Promise<SystemInfo> => {
      const disk = diskUsage(deps.dataDir);
      const loop = loopDelay.read();
      return {
        version: deps.version,
        uptimeMs: Math.round(clock.monotonicMs() - startedMs),
        disk: { ...disk, recordingsBytes: deps.recordingsBytes?.() ?? 0 },
        cpu: cpuFigures(cpu),
        memory: memoryFigures(),
        ...(loop ? { eventLoopDelayMs: loop } : {}),
        cameras: store.list().map((c) => {
          const streams = statusOf(c.id).streams;
          return {
            id: c.id,
            bitrateKbps: (streams.main?.bitrateKbps ?? 0) + (streams.sub?.bitrateKbps ?? 0),
          };
        }),
      };
    },
  };
}

type AnyHandler = (input: unknown) => Promise<unknown>;

/**
 * Wraps handlers into the NvrApi every transport uses: each call's input is validated with its schema
 * (failures throw NvrError('bad_request') with `context.field`), then the handler runs.
 */
export function bindApi(
  handlers: NvrHandlers,
  subscribe: (listener: NvrEventListener) => Unsubscribe,
): NvrApi {
  const api: Record<string, unknown> = { subscribe };
  for (const name of NVR_METHOD_NAMES) {
    const handler = handlers[name] as AnyHandler;
    api[name] = async (input?: unknown) => {
      const parsed = validateInput(name, input);
      if (!parsed.ok) {
        const { message, field } = parsed.error;
        throw new NvrError(
          'bad_request',
          message,
          field ? { field, method: name } : { method: name },
        );
      }
      return handler(parsed.value);
    };
  }
  return api as unknown as NvrApi;
}
