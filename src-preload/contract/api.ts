// NvrApi: the one contract between the engine and every client. NVR_API_METHODS is the single method
// table (input schema, output schema, HTTP binding) from which the IPC layer, the preload, the HTTP
// server and the HTTP client are derived: no route or channel strings at call sites. Only zod here.
import { z } from 'zod';
import {
  AddCameraFromProbeSchema,
  CameraIdSchema,
  CameraInputSchema,
  CameraPatchSchema,
  CameraRefSchema,
  CameraSchema,
  CameraStatusSchema,
  DiscoverRequestSchema,
  DiscoveryResultSchema,
  EmptyInputSchema,
  ExportIdSchema,
  ExportJobSchema,
  ExportRequestSchema,
  HealthSchema,
  LiveAnswerSchema,
  LiveTranscodeSchema,
  ProbeRequestSchema,
  ProbeResultSchema,
  PtzInfoSchema,
  PtzMoveSchema,
  PtzPresetNameSchema,
  PtzPresetSchema,
  PtzPresetTokenSchema,
  RecordingRangesSchema,
  ResourceUrlSchema,
  SdpSchema,
  SnapshotQuerySchema,
  ThumbnailQuerySchema,
  TimelineRequestSchema,
  TimelineSchema,
  StreamNameSchema,
  SystemInfoSchema,
  TimeMsSchema,
} from './schemas';
import {
  ApiTokenIdSchema,
  ApiTokenInputSchema,
  ApiTokenSchema,
  AuthSetupSchema,
  CreatedApiTokenSchema,
  FirstAdminInputSchema,
  UserIdSchema,
  UserInputSchema,
  UserPatchSchema,
  UserSchema,
} from './auth-schemas';
import {
  CameraStreamTestRequestSchema,
  StreamTestRequestSchema,
  StreamTestResultSchema,
} from './stream-test-schemas';
import { ViewInputSchema, ViewRefSchema, ViewSchema } from './view-schemas';
import { MAX_PLAYBACK_WINDOW_MS, MAX_QUERY_WINDOW_MS, windowRefinement } from './limits';
import type { NvrEventListener, Unsubscribe } from './events';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface HttpBinding {
  method: HttpMethod;
  /** Route with `:name` parameters taken from the input's keys of the same name. */
  path: string;
  /**
   * Where the request body goes in the input: '*' spreads a JSON body into it (POST /api/cameras),
   * a key nests it (`patch` in `{ id, patch }`). Input keys not in the path or the body travel in the query.
   */
  body?: '*' | string;
  /** Body and answer are SDP text (application/sdp) instead of JSON (WHEP). */
  sdp?: true;
  /** Status of a successful answer; 200 unless said. */
  status?: number;
  /**
   * The route answers with a resource (HLS playlist, JPEG, MP4) the client loads itself (hls.js, <img>,
   * a download): the API method returns `{ url }` of that route instead of calling it.
   */
  resource?: 'hls' | 'jpeg' | 'mp4';
}

export interface MethodSpec {
  input: z.ZodType;
  output: z.ZodType;
  http: HttpBinding;
}

const OkSchema = z.object({ ok: z.literal(true) });

const windowShape = {
  from: TimeMsSchema,
  to: TimeMsSchema,
  stream: StreamNameSchema.default('main'),
};
/** `{ id }` of a camera plus a time window `from < to`, at most `maxMs` long (the errors name `to`). */
const cameraWindowOf = (maxMs: number) =>
  z.object({ id: CameraIdSchema, ...windowShape }).superRefine(windowRefinement(maxMs));
/** Recordings lists: up to the longest retention. */
const cameraWindow = cameraWindowOf(MAX_QUERY_WINDOW_MS);
/** VOD playlists and clip downloads: work and output grow with the window's fragments. */
const playbackWindow = cameraWindowOf(MAX_PLAYBACK_WINDOW_MS);
const cameraStream = z.object({ id: CameraIdSchema, stream: StreamNameSchema.default('main') });
const exportRef = z.object({ id: ExportIdSchema });

/** Every NvrApi method: input schema, output schema and HTTP binding (DESIGN §7). */
export const NVR_API_METHODS = {
  health: {
    input: EmptyInputSchema,
    output: HealthSchema,
    http: { method: 'GET', path: '/api/health' },
  },

  listCameras: {
    input: EmptyInputSchema,
    output: z.array(CameraSchema),
    http: { method: 'GET', path: '/api/cameras' },
  },
  getCamera: {
    input: CameraRefSchema,
    output: CameraSchema,
    http: { method: 'GET', path: '/api/cameras/:id' },
  },
  addCamera: {
    input: CameraInputSchema,
    output: CameraSchema,
    http: { method: 'POST', path: '/api/cameras', body: '*', status: 201 },
  },
  updateCamera: {
    input: z.object({ id: CameraIdSchema, patch: CameraPatchSchema }),
    output: CameraSchema,
    http: { method: 'PATCH', path: '/api/cameras/:id', body: 'patch' },
  },
  deleteCamera: {
    input: CameraRefSchema,
    output: OkSchema,
    http: { method: 'DELETE', path: '/api/cameras/:id' },
  },
  getCameraStatus: {
    input: CameraRefSchema,
    output: CameraStatusSchema,
    http: { method: 'GET', path: '/api/cameras/:id/status' },
  },
  listRecordings: {
    input: cameraWindow,
    output: RecordingRangesSchema,
    http: { method: 'GET', path: '/api/cameras/:id/recordings' },
  },

  /** WebRTC (WHEP): SDP offer in, SDP answer out; `sessionId` is the viewer for stopLive. */
  startLive: {
    input: z.object({
      id: CameraIdSchema,
      stream: StreamNameSchema.default('main'),
      offerSdp: SdpSchema,
      transcode: LiveTranscodeSchema.optional(),
    }),
    output: LiveAnswerSchema,
    http: {
      method: 'POST',
      path: '/api/cameras/:id/whep',
      body: 'offerSdp',
      sdp: true,
      status: 201,
    },
  },
  stopLive: {
    input: z.object({ id: CameraIdSchema, sessionId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) }),
    output: OkSchema,
    http: { method: 'DELETE', path: '/api/cameras/:id/whep/:sessionId' },
  },
  /** Live HLS (fMP4) playlist URL: the fallback for clients without WebRTC. */
  getLivePlaylistUrl: {
    input: cameraStream.extend({ transcode: LiveTranscodeSchema.optional() }),
    output: ResourceUrlSchema,
    http: { method: 'GET', path: '/api/cameras/:id/hls/live.m3u8', resource: 'hls' },
  },
  /** Playback playlist URL (byte-range fMP4 HLS) for a window. */
  getVodPlaylistUrl: {
    input: playbackWindow,
    output: ResourceUrlSchema,
    http: { method: 'GET', path: '/api/cameras/:id/hls/vod.m3u8', resource: 'hls' },
  },
  /** JPEG URL: live when `time` is absent. */
  getSnapshotUrl: {
    input: z.object({ id: CameraIdSchema, ...SnapshotQuerySchema.shape }),
    output: ResourceUrlSchema,
    http: { method: 'GET', path: '/api/cameras/:id/snapshot', resource: 'jpeg' },
  },
  /** Direct MP4 download URL of one camera's window (the export is built while downloading). */
  getClipDownloadUrl: {
    input: playbackWindow,
    output: ResourceUrlSchema,
    http: { method: 'GET', path: '/api/cameras/:id/export.mp4', resource: 'mp4' },
  },

  /** Timeline data of several cameras: recorded ranges, gaps and per-hour/day coverage. */
  getTimeline: {
    input: TimelineRequestSchema,
    output: TimelineSchema,
    http: { method: 'POST', path: '/api/timeline', body: '*' },
  },
  /** Timeline thumbnail (small JPEG) of the interval holding `time`, cached with the video. */
  getThumbnailUrl: {
    input: z.object({ id: CameraIdSchema, ...ThumbnailQuerySchema.shape }),
    output: ResourceUrlSchema,
    http: { method: 'GET', path: '/api/cameras/:id/thumbnail', resource: 'jpeg' },
  },

  startExport: {
    input: ExportRequestSchema,
    output: ExportJobSchema,
    http: { method: 'POST', path: '/api/exports', body: '*', status: 201 },
  },
  listExports: {
    input: EmptyInputSchema,
    output: z.array(ExportJobSchema),
    http: { method: 'GET', path: '/api/exports' },
  },
  getExport: {
    input: exportRef,
    output: ExportJobSchema,
    http: { method: 'GET', path: '/api/exports/:id' },
  },
  cancelExport: {
    input: exportRef,
    output: ExportJobSchema,
    http: { method: 'DELETE', path: '/api/exports/:id' },
  },
  /** Deletes an export's file and forgets the job (cancelling it first): its owner or an admin. */
  deleteExport: {
    input: exportRef,
    output: OkSchema,
    http: { method: 'DELETE', path: '/api/exports/:id/file' },
  },
  /** The finished export's file (also given as `downloadUrl` on the job). */
  getExportFileUrl: {
    input: exportRef,
    output: ResourceUrlSchema,
    http: { method: 'GET', path: '/api/exports/:id/file', resource: 'mp4' },
  },

  /** ONVIF WS-Discovery; results also stream as `discovery.result` events. */
  discover: {
    input: DiscoverRequestSchema,
    output: DiscoveryResultSchema,
    http: { method: 'POST', path: '/api/onvif/discover', body: '*' },
  },
  /** Device info and media profiles for a host and credentials. */
  probe: {
    input: ProbeRequestSchema,
    output: ProbeResultSchema,
    http: { method: 'POST', path: '/api/onvif/probe', body: '*' },
  },
  /** Probes a device and adds it as a camera (main + sub streams, credentials, name) in one call. */
  addCameraFromProbe: {
    input: AddCameraFromProbeSchema,
    output: CameraSchema,
    http: { method: 'POST', path: '/api/onvif/cameras', body: '*', status: 201 },
  },

  /** PTZ of a camera added from ONVIF: what it supports and its presets (`supported: false` otherwise). */
  getPtz: {
    input: CameraRefSchema,
    output: PtzInfoSchema,
    http: { method: 'GET', path: '/api/cameras/:id/ptz' },
  },
  /** Continuous move until ptzStop (or `timeoutMs`). */
  ptzMove: {
    input: z.object({ id: CameraIdSchema, ...PtzMoveSchema.shape }),
    output: OkSchema,
    http: { method: 'POST', path: '/api/cameras/:id/ptz/move', body: '*' },
  },
  ptzStop: {
    input: CameraRefSchema,
    output: OkSchema,
    http: { method: 'POST', path: '/api/cameras/:id/ptz/stop' },
  },
  ptzHome: {
    input: CameraRefSchema,
    output: OkSchema,
    http: { method: 'POST', path: '/api/cameras/:id/ptz/home' },
  },
  listPtzPresets: {
    input: CameraRefSchema,
    output: z.object({ presets: z.array(PtzPresetSchema) }),
    http: { method: 'GET', path: '/api/cameras/:id/ptz/presets' },
  },
  gotoPtzPreset: {
    input: z.object({ id: CameraIdSchema, token: PtzPresetTokenSchema }),
    output: OkSchema,
    http: { method: 'POST', path: '/api/cameras/:id/ptz/presets/:token/goto' },
  },
  /** Saves the current position as a new preset. */
  setPtzPreset: {
    input: z.object({ id: CameraIdSchema, name: PtzPresetNameSchema }),
    output: PtzPresetSchema,
    http: { method: 'POST', path: '/api/cameras/:id/ptz/presets', body: '*', status: 201 },
  },

  /** Add-camera wizard: opens an RTSP URL (or an ONVIF snapshot URI) and answers one picture and the format. */
  testStream: {
    input: StreamTestRequestSchema,
    output: StreamTestResultSchema,
    http: { method: 'POST', path: '/api/streams/test', body: '*' },
  },
  /** Camera settings: a stored camera's stream, with the form's edits, tested with its stored password. */
  testCameraStream: {
    input: CameraStreamTestRequestSchema,
    output: StreamTestResultSchema,
    http: { method: 'POST', path: '/api/cameras/:id/test', body: '*' },
  },

  getSystem: {
    input: EmptyInputSchema,
    output: SystemInfoSchema,
    http: { method: 'GET', path: '/api/system' },
  },

  /** Users (admin only; the engine's auth service, actor = the caller or the local admin over IPC). */
  listUsers: {
    input: EmptyInputSchema,
    output: z.array(UserSchema),
    http: { method: 'GET', path: '/api/auth/users' },
  },
  addUser: {
    input: UserInputSchema,
    output: UserSchema,
    http: { method: 'POST', path: '/api/auth/users', body: '*', status: 201 },
  },
  updateUser: {
    input: z.object({ id: UserIdSchema, patch: UserPatchSchema }),
    output: UserSchema,
    http: { method: 'PATCH', path: '/api/auth/users/:id', body: 'patch' },
  },
  deleteUser: {
    input: z.object({ id: UserIdSchema }),
    output: z.undefined(),
    http: { method: 'DELETE', path: '/api/auth/users/:id', status: 204 },
  },
  /** Long-lived, viewer-scoped API tokens for scripts and embeds; the secret is returned once. */
  listApiTokens: {
    input: EmptyInputSchema,
    output: z.array(ApiTokenSchema),
    http: { method: 'GET', path: '/api/auth/tokens' },
  },
  createApiToken: {
    input: ApiTokenInputSchema,
    output: CreatedApiTokenSchema,
    http: { method: 'POST', path: '/api/auth/tokens', body: '*', status: 201 },
  },
  revokeApiToken: {
    input: z.object({ id: ApiTokenIdSchema }),
    output: z.undefined(),
    http: { method: 'DELETE', path: '/api/auth/tokens/:id', status: 204 },
  },
  /** First run: whether an admin exists; createFirstAdmin works only while none does. */
  getAuthSetup: {
    input: EmptyInputSchema,
    output: AuthSetupSchema,
    http: { method: 'GET', path: '/api/auth/setup' },
  },
  createFirstAdmin: {
    input: FirstAdminInputSchema,
    output: UserSchema,
    http: { method: 'POST', path: '/api/auth/setup', body: '*', status: 201 },
  },

  /** Saved views (named grid arrangements) shared by every client; writes are admin-only. */
  listViews: {
    input: EmptyInputSchema,
    output: z.array(ViewSchema),
    http: { method: 'GET', path: '/api/views' },
  },
  /** Creates a view (no `id`) or replaces the view with that `id`; names are unique (case-insensitive). */
  saveView: {
    input: ViewInputSchema,
    output: ViewSchema,
    http: { method: 'POST', path: '/api/views', body: '*' },
  },
  deleteView: {
    input: ViewRefSchema,
    output: OkSchema,
    http: { method: 'DELETE', path: '/api/views/:id' },
  },
} as const satisfies Record<string, MethodSpec>;

export type NvrMethodName = keyof typeof NVR_API_METHODS;

/**
 * Generic call route: `POST /api/rpc/<method>` with the method's input as the JSON body answers its
 * result (resource methods answer `{ url }` with a same-origin path). For transports that know only
 * method names (the renderer may import types only, so it has no table at run time).
 */
export const NVR_RPC_PATH = '/api/rpc/:method';
export const NVR_METHOD_NAMES = Object.keys(NVR_API_METHODS) as NvrMethodName[];

/** What a caller passes (defaults optional). */
export type MethodInput<K extends NvrMethodName> = z.input<(typeof NVR_API_METHODS)[K]['input']>;
/** What the implementation receives after validation (defaults filled in). */
export type MethodParsedInput<K extends NvrMethodName> = z.output<
  (typeof NVR_API_METHODS)[K]['input']
>;
export type MethodResult<K extends NvrMethodName> = z.output<(typeof NVR_API_METHODS)[K]['output']>;

type CallSignature<In, Out> = undefined extends In
  ? (input?: In) => Promise<Out>
  : (input: In) => Promise<Out>;

/** The request/response part of NvrApi, derived from the method table. */
export type NvrMethods = { [K in NvrMethodName]: CallSignature<MethodInput<K>, MethodResult<K>> };

/**
 * The one contract: every method is async and takes one input object (validated with its schema on the
 * engine side); `subscribe` delivers the event map (events.ts) until the returned function is called.
 */
export interface NvrApi extends NvrMethods {
  subscribe(listener: NvrEventListener): Unsubscribe;
}

/** Implementation side: each handler receives the validated, defaults-filled input. */
export type NvrHandlers = {
  [K in NvrMethodName]: (input: MethodParsedInput<K>) => Promise<MethodResult<K>>;
};

export function isNvrMethodName(value: unknown): value is NvrMethodName {
  return typeof value === 'string' && Object.hasOwn(NVR_API_METHODS, value);
}
