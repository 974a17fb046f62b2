// The contract's HTTP bindings as renderer data: a mirror of NVR_API_METHODS[*].http that the compiler
// holds EQUAL to the contract (a route added, renamed or changed there fails `tsc` here). Data only.
import type { NVR_API_METHODS, NvrMethodName } from '../../src-preload/contract';

/** The contract's binding of every method, as literal types (NVR_API_METHODS is `as const`). */
export type ContractHttpRoutes = {
  readonly [K in NvrMethodName]: (typeof NVR_API_METHODS)[K]['http'];
};

/**
 * Why a mirror: the renderer may import only types from the contract (lint rule 3: no zod, no engine-side
 * code in the window), and a type has no runtime value. `satisfies` plus the exactness check below make
 * any difference a compile error, so this table cannot drift from the contract.
 */
export const HTTP_ROUTES = {
  health: { method: 'GET', path: '/api/health' },
  listCameras: { method: 'GET', path: '/api/cameras' },
  getCamera: { method: 'GET', path: '/api/cameras/:id' },
  addCamera: { method: 'POST', path: '/api/cameras', body: '*', status: 201 },
  updateCamera: { method: 'PATCH', path: '/api/cameras/:id', body: 'patch' },
  deleteCamera: { method: 'DELETE', path: '/api/cameras/:id' },
  getCameraStatus: { method: 'GET', path: '/api/cameras/:id/status' },
  listRecordings: { method: 'GET', path: '/api/cameras/:id/recordings' },
  startLive: {
    method: 'POST',
    path: '/api/cameras/:id/whep',
    body: 'offerSdp',
    sdp: true,
    status: 201,
  },
  stopLive: { method: 'DELETE', path: '/api/cameras/:id/whep/:sessionId' },
  getLivePlaylistUrl: { method: 'GET', path: '/api/cameras/:id/hls/live.m3u8', resource: 'hls' },
  getVodPlaylistUrl: { method: 'GET', path: '/api/cameras/:id/hls/vod.m3u8', resource: 'hls' },
  getSnapshotUrl: { method: 'GET', path: '/api/cameras/:id/snapshot', resource: 'jpeg' },
  getClipDownloadUrl: { method: 'GET', path: '/api/cameras/:id/export.mp4', resource: 'mp4' },
  startExport: { method: 'POST', path: '/api/exports', body: '*', status: 201 },
  listExports: { method: 'GET', path: '/api/exports' },
  getExport: { method: 'GET', path: '/api/exports/:id' },
  cancelExport: { method: 'DELETE', path: '/api/exports/:id' },
  deleteExport: { method: 'DELETE', path: '/api/exports/:id/file' },
  getExportFileUrl: { method: 'GET', path: '/api/exports/:id/file', resource: 'mp4' },
  getTimeline: { method: 'POST', path: '/api/timeline', body: '*' },
  getThumbnailUrl: { method: 'GET', path: '/api/cameras/:id/thumbnail', resource: 'jpeg' },
  discover: { method: 'POST', path: '/api/onvif/discover', body: '*' },
  probe: { method: 'POST', path: '/api/onvif/probe', body: '*' },
  addCameraFromProbe: { method: 'POST', path: '/api/onvif/cameras', body: '*', status: 201 },
  getPtz: { method: 'GET', path: '/api/cameras/:id/ptz' },
  ptzMove: { method: 'POST', path: '/api/cameras/:id/ptz/move', body: '*' },
  ptzStop: { method: 'POST', path: '/api/cameras/:id/ptz/stop' },
  ptzHome: { method: 'POST', path: '/api/cameras/:id/ptz/home' },
  listPtzPresets: { method: 'GET', path: '/api/cameras/:id/ptz/presets' },
  gotoPtzPreset: { method: 'POST', path: '/api/cameras/:id/ptz/presets/:token/goto' },
  setPtzPreset: { method: 'POST', path: '/api/cameras/:id/ptz/presets', body: '*', status: 201 },
  testStream: { method: 'POST', path: '/api/streams/test', body: '*' },
  testCameraStream: { method: 'POST', path: '/api/cameras/:id/test', body: '*' },
  getSystem: { method: 'GET', path: '/api/system' },
  listUsers: { method: 'GET', path: '/api/auth/users' },
  addUser: { method: 'POST', path: '/api/auth/users', body: '*', status: 201 },
  updateUser: { method: 'PATCH', path: '/api/auth/users/:id', body: 'patch' },
  deleteUser: { method: 'DELETE', path: '/api/auth/users/:id', status: 204 },
  listApiTokens: { method: 'GET', path: '/api/auth/tokens' },
  createApiToken: { method: 'POST', path: '/api/auth/tokens', body: '*', status: 201 },
  revokeApiToken: { method: 'DELETE', path: '/api/auth/tokens/:id', status: 204 },
  getAuthSetup: { method: 'GET', path: '/api/auth/setup' },
  createFirstAdmin: { method: 'POST', path: '/api/auth/setup', body: '*', status: 201 },
  listViews: { method: 'GET', path: '/api/views' },
  saveView: { method: 'POST', path: '/api/views', body: '*' },
  deleteView: { method: 'DELETE', path: '/api/views/:id' },
} as const satisfies ContractHttpRoutes;

// Exactness both ways (satisfies alone would accept a looser literal in some positions).
type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const exact: Equal<typeof HTTP_ROUTES, ContractHttpRoutes> = true;
void exact;

/** One binding, widened (what the generic request builder reads). */
export interface HttpRoute {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly body?: string;
  readonly sdp?: true;
  readonly status?: number;
  readonly resource?: 'hls' | 'jpeg' | 'mp4';
}

export interface HttpRequestParts {
  /** Path with parameters filled in and the query appended. */
  url: string;
  /** JSON value, or SDP text when the route says `sdp`; undefined when the route takes no body. */
  body: unknown;
}

/** Input keys holding wall-clock ms (the engine accepts integers only). */
const MS_KEYS = ['from', 'to', 'time'] as const;

/**
 * Splits one input object over path, query and body the way the engine reads it back: `:name` path
 * parameters come from the input's keys of the same name, `body: '*'` sends the rest as JSON, `body: key`
 * sends that key, everything else (not null/undefined) goes to the query string.
 */
export function buildRequest(route: HttpRoute, input: unknown): HttpRequestParts {
  const values: Record<string, unknown> =
    typeof input === 'object' && input !== null ? { ...input } : {};
  // Wall-clock times are integer ms at the API edge (a zoomed window computes fractions).
  for (const k of MS_KEYS) {
    const v = values[k];
    if (typeof v === 'number' && Number.isFinite(v) && !Number.isInteger(v))
      values[k] = Math.round(v);
  }
  const path = route.path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_m, name: string) => {
    const v = values[name];
    delete values[name];
    return encodeURIComponent(String(v ?? ''));
  });
  if (route.body === '*') return { url: path, body: values };
  let body: unknown;
  if (route.body !== undefined) {
    body = values[route.body];
    delete values[route.body];
  }
  const query = Object.entries(values)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  return { url: query ? `${path}?${query}` : path, body };
}
