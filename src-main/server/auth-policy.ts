// Who may call what: every route (contract methods by name, plus the server's own routes) is public,
// viewer or admin; camera-scoped routes name their camera by `:id`, a segment id, an export id or a body.
// Pure tables and functions; the hook (auth-hook.ts) applies them.
import { NVR_API_METHODS, NVR_EVENTS_PATH, NVR_METHOD_NAMES } from '../../src-preload/contract';
import type { NvrMethodName } from '../../src-preload/contract';
import { LIVE_FILE_ROUTE } from './live-routes';
import { SEGMENT_FILE_ROUTE } from './playback-routes';

export type Access = 'public' | 'viewer' | 'admin';

/** Contract methods a viewer may call (live, playback, export, snapshots, PTZ moves); the rest are admin. */
export const VIEWER_METHODS: ReadonlySet<NvrMethodName> = new Set<NvrMethodName>([
  'health',
  'listCameras',
  'getCamera',
  'getCameraStatus',
  'listRecordings',
  'startLive',
  'stopLive',
  'getLivePlaylistUrl',
  'getVodPlaylistUrl',
  'getSnapshotUrl',
  'getClipDownloadUrl',
  'getTimeline',
  'getThumbnailUrl',
  'startExport',
  'listExports',
  'getExport',
  'cancelExport',
  'deleteExport',
  'getExportFileUrl',
  'getPtz',
  'ptzMove',
  'ptzStop',
  'ptzHome',
  'listPtzPresets',
  'gotoPtzPreset',
  'getSystem',
  'getAuthSetup',
  'listViews',
]);

export const AUTH_LOGIN_PATH = '/api/auth/login';
export const AUTH_LOGOUT_PATH = '/api/auth/logout';
export const AUTH_WHOAMI_PATH = '/api/auth/whoami';
/** POST: a signed-in user (viewers too) changes their own password, the current one required. */
export const AUTH_PASSWORD_PATH = '/api/auth/password';
export const LOGIN_PAGE_PATH = '/login';
export const LOGIN_SCRIPT_PATH = '/login.js';

const routeKey = (method: string, url: string) => `${method} ${url}`;

/** `METHOD /pattern` of every contract route → method name. */
export const CONTRACT_ROUTES: ReadonlyMap<string, NvrMethodName> = new Map(
  NVR_METHOD_NAMES.map((name) => {
    const b = NVR_API_METHODS[name].http;
    return [routeKey(b.method, b.path), name] as const;
  }),
);

const PUBLIC_ROUTES = new Set([
  routeKey('GET', '/api/health'),
  routeKey('HEAD', '/api/health'),
  routeKey('POST', AUTH_LOGIN_PATH),
  routeKey('GET', LOGIN_PAGE_PATH),
  routeKey('HEAD', LOGIN_PAGE_PATH),
  routeKey('GET', LOGIN_SCRIPT_PATH),
  routeKey('HEAD', LOGIN_SCRIPT_PATH),
]);

const VIEWER_ROUTES = new Set([
  routeKey('GET', LIVE_FILE_ROUTE),
  routeKey('HEAD', LIVE_FILE_ROUTE),
  routeKey('GET', SEGMENT_FILE_ROUTE),
  routeKey('HEAD', SEGMENT_FILE_ROUTE),
  routeKey('GET', NVR_EVENTS_PATH),
  routeKey('GET', AUTH_WHOAMI_PATH),
  routeKey('POST', AUTH_LOGOUT_PATH),
  routeKey('POST', AUTH_PASSWORD_PATH),
]);

/**
 * Access for a matched route. `pattern` is fastify's route url (undefined for 404s and the static
 * renderer's wildcard); `rpcMethod` is `:method` of POST /api/rpc/:method.
 */
export function accessFor(method: string, pattern: string | undefined, rpcMethod?: string): Access {
  const m = method === 'HEAD' ? 'GET' : method;
  if (pattern === undefined) return 'viewer'; // 404s and the SPA's files: signed-in users only
  const key = routeKey(m, pattern);
  if (PUBLIC_ROUTES.has(routeKey(method, pattern)) || PUBLIC_ROUTES.has(key)) return 'public';
  if (VIEWER_ROUTES.has(key)) return 'viewer';
  const name = CONTRACT_ROUTES.get(key);
  if (name) return VIEWER_METHODS.has(name) ? 'viewer' : 'admin';
  if (pattern === '/api/rpc/:method')
    return rpcMethod && VIEWER_METHODS.has(rpcMethod as NvrMethodName) ? 'viewer' : 'admin';
  if (pattern.startsWith('/api/')) return 'admin';
  // Static renderer files (the wildcard route of @fastify/static).
  return 'viewer';
}

/** Methods that name exports by `:id` (scoped by the export's cameras). */
export const EXPORT_ID_METHODS: ReadonlySet<NvrMethodName> = new Set<NvrMethodName>([
  'getExport',
  'cancelExport',
  'deleteExport',
  'getExportFileUrl',
]);
