// Composition root: builds the engine from a config (store, event bus, API, HTTP server, demo cameras)
// and owns start/stop order. Pure Node; never imports electron. Everything long-lived is disposed in stop().
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { DisposableStore, NvrError, createLogger, systemClock } from '../base';
import type { Clock, Logger } from '../base';
import { OnvifService, createOnvifHandlers, isDeviceAdded } from '../camera/onvif';
import type { OnvifServiceOptions } from '../camera/onvif';
import {
  AuthService,
  MemoryAuthStore,
  createAuthHandlers,
  createHttpServer,
  generatePassword,
} from '../server';
import type { AuthStore, HttpServer, ResourceHandlers } from '../server';
import type { NvrApi, NvrHandlers } from '../../src-preload/contract';
import { bindApi, createHandlers } from './api-handlers';
import { MemoryCameraStore, migrateUrlCredentials } from './camera-store';
import type { CameraStore, StoredCamera } from './camera-store';
import type { ViewStore } from './views';
import { EngineRecording } from './recording';
import type { RecordingOptions } from './recording';
import type { EngineConfig } from './config';
import { authModeOf } from './config';
import { loadTlsFiles, selfSignedTls } from './tls';
import { keyFileCipher, loadOrCreateKey } from './secret-key';
import type { SecretCipher } from './secret-key';
import { startDemo } from './demo';
import type { DemoRtspServer } from './demo';
import { EventBus } from './event-bus';
import { createEngineLive } from './live';
import { createEnginePlayback } from './playback';
import type { EnginePlaybackOptions } from './playback';
import type { EngineLiveOptions } from './live';
import { readVersion, resolveRendererDir, resolveResourcesDir } from './paths';

export interface EngineDeps {
  logger?: Logger;
  clock?: Clock;
  cameraStore?: CameraStore;
  /** Playlist / JPEG / MP4 routes; absent ones answer 501. */
  resources?: ResourceHandlers;
  /** The RTSP server behind `--demo` (the project's RtspServer by default). */
  createDemoServer?: () => DemoRtspServer;
  version?: string;
  /** ONVIF discovery, probing and PTZ (a real OnvifService by default). */
  onvifService?: OnvifService;
  /** Where the default OnvifService looks for devices (interfaces, WS-Discovery port); tests use loopback. */
  onvifDiscovery?: OnvifServiceOptions['discovery'];
  /** Period of `system.stats` events while anyone listens; 5 s by default, 0 turns them off. */
  statsIntervalMs?: number;
  /** Export cap and ffmpeg for playback (playback needs recording: it reads the index). */
  playback?: EnginePlaybackOptions;
  /** Live view limits and ICE servers (WebRTC needs recording: it watches the workers' hubs). */
  live?: EngineLiveOptions;
  /** Recording options (workers, segment length, quota); `false` runs the engine without recording. */
  recording?: Omit<RecordingOptions, 'dataDir' | 'logger' | 'clock' | 'bus'> | false;
  /** Users and tokens when the engine runs without recording (memory); the index's tables otherwise. */
  authStore?: AuthStore;
  /** Seals camera passwords at rest; a 0600 key file in the data folder by default (the app: safeStorage). */
  secretCipher?: SecretCipher;
  /** With no admin and no NVR_ADMIN_PASSWORD in 'required' mode: make one up (headless serve) instead of refusing. */
  generateAdminPassword?: boolean;
}

export interface EngineStartResult {
  url: string;
  /** Set once, on the run that created the first admin with a generated password: show it, never store it. */
  generatedAdminPassword?: string;
  /** SHA-256 fingerprint of the TLS certificate when serving HTTPS. */
  tlsFingerprint?: string;
}

export interface Engine {
  readonly config: EngineConfig;
  /** The validated API: what IPC and HTTP call. */
  readonly api: NvrApi;
  readonly events: EventBus;
  readonly logger: Logger;
  readonly version: string;
  /** Base URL of the HTTP server once started. */
  readonly url: string | undefined;
  /** Users, sessions, API tokens and the audit log. */
  readonly auth: AuthService;
  /** Creates the data folder, starts the HTTP server (and the demo cameras); resolves with the URL. */
  start(): Promise<EngineStartResult>;
  /** Stops accepting requests, stops cameras, flushes and closes. Idempotent. */
  stop(): Promise<void>;
}

/** For IPC clients, resource URLs must be dialable: a wildcard bind is reached through loopback. */
function dialableUrl(url: string, host: string): string {
  if (host === '0.0.0.0') return url.replace('//0.0.0.0:', '//127.0.0.1:');
  if (host === '::') return url.replace('//[::]:', '//[::1]:');
  return url;
}

export function createEngine(config: EngineConfig, deps: EngineDeps = {}): Engine {
  const logger = deps.logger ?? createLogger({ level: config.logLevel });
  const clock = deps.clock ?? systemClock;
  const version = deps.version ?? readVersion();
  const events = new EventBus(logger.child({ module: 'events' }));
  const disposables = new DisposableStore();
  // Recording owns the index (SQLite): cameras persist there unless a store is injected. Its events
  // reach clients through live view, which adds the viewer counts (below).
  const recordingEvents = new EventBus(logger.child({ module: 'events' }));
  const recording =
    deps.recording === false
      ? undefined
      : new EngineRecording({
          dataDir: config.dataDir,
          logger: logger.child({ module: 'recording' }),
          clock,
          bus: recordingEvents,
          ...deps.recording,
        });
  if (recording) disposables.defer(() => recording.close());
  // Camera passwords are sealed at rest whenever they live in SQLite.
  if (recording)
    recording.index.cameras.useCipher(
      deps.secretCipher ?? keyFileCipher(loadOrCreateKey(config.dataDir)),
    );
  // Live view watches the recording workers' hubs; closed before recording (reverse order).
  const live = recording
    ? createEngineLive({
        openHub: (id, stream) => recording.service.openHub(id, stream),
        workers: {
          send: (id, stream, body) => recording.service.sendExtension(id, stream, body),
          onMessage: (listener) => recording.service.onExtensionMessage(listener),
          onStreamsLost: (listener) => void recording.service.onWorkerCrash(listener),
        },
        host: config.host,
        logger: logger.child({ module: 'live' }),
        ...(deps.live ? { options: deps.live } : {}),
      })
    : undefined;
  if (live) disposables.defer(() => live.close());
  disposables.defer(
    recordingEvents.subscribe((e) => {
      const out = live ? live.withViewerCounts(e) : e;
      events.emit(out.type, out.payload as never);
    }),
  );
  const store: CameraStore =
    deps.cameraStore ??
    (recording ? (recording.index.cameras as CameraStore) : new MemoryCameraStore());
  // Cameras saved by older versions may carry credentials in their URLs: move them to the sealed fields.
  const migrated = migrateUrlCredentials(store);
  if (migrated > 0) logger.info({ cameras: migrated }, 'moved credentials out of camera URLs');

  const authMode = authModeOf(config);
  const auth = new AuthService({
    store: deps.authStore ?? (recording ? recording.index.auth : new MemoryAuthStore()),
    nowMs: () => clock.nowMs(),
    ...(config.sessionTtlMs ? { sessionTtlMs: config.sessionTtlMs } : {}),
    cameraExists: (id) => store.get(id) !== undefined,
  });

  let server: HttpServer | undefined;
  let url: string | undefined;
  let state: 'new' | 'starting' | 'running' | 'stopping' | 'stopped' = 'new';
  let stopped: Promise<void> | undefined;

  const onvifService =
    deps.onvifService ??
    new OnvifService({
      isAlreadyAdded: (host, device) =>
        isDeviceAdded(
          store.list().map((c) => c.config),
          host,
          device,
        ),
      nowMs: () => clock.nowMs(),
      monotonicMs: () => clock.monotonicMs(),
      ...(deps.onvifDiscovery ? { discovery: deps.onvifDiscovery } : {}),
    });
  disposables.defer(() => onvifService.close());
  const onvif = createOnvifHandlers({
    service: onvifService,
    getCameraConfig: (id) => store.get(id)?.config,
    addCamera: (config) => handlers.addCamera(config),
    emit: (type, payload) => events.emit(type, payload),
  });

  // Playback reads the index; disposed before recording closes it (reverse order).
  const playback = recording
    ? createEnginePlayback({
        recording,
        store,
        dataDir: config.dataDir,
        clock,
        logger: logger.child({ module: 'playback' }),
        bus: events,
        baseUrl: () => (url ? dialableUrl(url, config.host) : undefined),
        ...(deps.playback ? { options: deps.playback } : {}),
        ...(deps.recording && deps.recording.minFreeBytes !== undefined
          ? { minFreeBytes: deps.recording.minFreeBytes }
          : {}),
      })
    : undefined;
  if (playback) disposables.defer(() => playback.close());

  const handlers: NvrHandlers = createHandlers({
    onvif,
    auth: createAuthHandlers(auth),
    ...(live ? { live: live.handlers } : {}),
    store,
    ...(recording ? { views: recording.index.views as ViewStore } : {}),
    bus: events,
    clock,
    logger: logger.child({ module: 'api' }),
    version,
    dataDir: config.dataDir,
    baseUrl: () => (url ? dialableUrl(url, config.host) : undefined),
    ...(recording
      ? {
          cameraStatus: (id: string) =>
            live ? live.withViewers(id, recording.status(id)) : recording.status(id),
          recordingsBytes: () => recording.recordingsBytes(),
          recordedRanges: (
            cameraId: string,
            stream: 'main' | 'sub',
            fromMs: number,
            toMs: number,
          ) => recording.index.queryRanges({ cameraId, stream, fromMs, toMs }),
          onCameraChanged: (camera: StoredCamera) => recording.apply(camera),
          onCameraRemoved: (id: string) => recording.remove(id),
        }
      : {}),
  });
  if (playback) Object.assign(handlers, playback.handlers);
  const api = bindApi(handlers, (listener) => events.subscribe(listener));

  /**
   * Creates the first admin (user "admin") from NVR_ADMIN_PASSWORD in any mode; in 'required' mode without
   * it, generates one or refuses to go on. Loopback-open with neither: the UI invites to set one.
   */
  async function ensureAdmin(): Promise<string | undefined> {
    if (auth.hasAdmin()) return undefined;
    if (authMode !== 'required' && config.adminPassword === undefined) return undefined;
    const generated =
      config.adminPassword === undefined && deps.generateAdminPassword
        ? generatePassword()
        : undefined;
    const password = config.adminPassword ?? generated;
    if (password === undefined)
      throw new NvrError(
        'forbidden',
        'no admin user: set NVR_ADMIN_PASSWORD to create one (login is required on this address)',
        { host: config.host },
      );
    await auth.createUser({ username: 'admin', password, role: 'admin' }, null, null);
    logger.warn(
      { username: 'admin', generated: generated !== undefined },
      'created the first admin user',
    );
    return generated;
  }

  async function start(): Promise<EngineStartResult> {
    if (state !== 'new') throw new Error(`engine cannot start from state ${state}`);
    state = 'starting';
    try {
      await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
      const generatedAdminPassword = await ensureAdmin();
      const tls = config.tlsCertFile
        ? await loadTlsFiles(config.tlsCertFile, config.tlsKeyFile ?? '')
        : config.https
          ? await selfSignedTls(config.dataDir, { hostNames: [config.host] })
          : undefined;
      if (tls)
        logger.info(
          { fingerprint: tls.fingerprint, generated: tls.generated },
          'TLS certificate (SHA-256 fingerprint)',
        );
      server = await createHttpServer({
        auth: {
          mode: authMode,
          service: auth,
          ...(config.corsOrigins ? { corsOrigins: config.corsOrigins } : {}),
          ...(recording
            ? { segmentCamera: (id: number) => recording.index.getSegment(id)?.cameraId }
            : {}),
          exportCameras: (id: string) =>
            api.getExport({ id }).then(
              (job) => job.request.cameraIds,
              () => undefined,
            ),
        },
        ...(tls ? { tls: { cert: tls.cert, key: tls.key, fingerprint: tls.fingerprint } } : {}),
        api,
        logger,
        rendererDir: resolveRendererDir(config.rendererDir),
        resources: { ...live?.resources, ...playback?.resources, ...deps.resources },
        ...(playback ? { segmentFiles: playback.segmentFiles } : {}),
        ...(live ? { liveFiles: live.liveFiles } : {}),
      });
      const srv = server;

      if (config.demo) {
        const resourcesDir = resolveResourcesDir(config.resourcesDir);
        if (!resourcesDir)
          throw new Error('cannot find the resources folder for --demo (set NVR_RESOURCES_DIR)');
        const demo = await startDemo(
          path.join(resourcesDir, 'demo'),
          logger.child({ module: 'demo' }),
          deps.createDemoServer,
          { quirks: config.demoQuirks === true },
        );
        disposables.add({ dispose: () => demo.close() });
        // Demo cameras keep their ids across restarts: the same name gets its new URLs.
        for (const camera of demo.cameras) {
          const existing = store.list().find((c) => c.config.name === camera.name);
          // The PTZ demo camera's fake ONVIF device has a new port each run (not a patchable field).
          if (existing && camera.onvif)
            store.update({
              ...existing,
              config: { ...existing.config, onvif: { port: 80, ...camera.onvif } },
            });
          if (existing)
            await api.updateCamera({ id: existing.id, patch: { streams: camera.streams } });
          else await api.addCamera(camera);
        }
      }
      if (recording) for (const camera of store.list()) recording.apply(camera);

      const statsIntervalMs = deps.statsIntervalMs ?? 5000;
      if (statsIntervalMs > 0) {
        const timer = setInterval(() => {
          if (events.size === 0) return;
          handlers.getSystem(undefined).then(
            (info) => events.emit('system.stats', info),
            (err: unknown) => logger.warn({ err }, 'system stats failed'),
          );
        }, statsIntervalMs);
        timer.unref();
        disposables.defer(() => clearInterval(timer));
      }

      url = await srv.listen({ host: config.host, port: config.port });
      state = 'running';
      logger.info({ url, dataDir: config.dataDir, version, auth: authMode }, 'engine started');
      return {
        url,
        ...(generatedAdminPassword ? { generatedAdminPassword } : {}),
        ...(tls ? { tlsFingerprint: tls.fingerprint } : {}),
      };
    } catch (err) {
      await stop().catch(() => undefined);
      throw err;
    }
  }

  function stop(): Promise<void> {
    stopped ??= (async () => {
      state = 'stopping';
      // HTTP server first (stop accepting, close sockets and WebSockets), then the rest in reverse
      // order of creation: camera sessions, recorder flush and the database close slot in there.
      await server?.close();
      await disposables.dispose();
      state = 'stopped';
      logger.info('engine stopped');
    })();
    return stopped;
  }

  return {
    config,
    api,
    events,
    logger,
    version,
    auth,
    get url() {
      return url;
    },
    start,
    stop,
  };
}
