// What a principal may see of the engine's output: events (the WebSocket) and call results (HTTP) are
// cut down to the caller's camera scope, and camera configurations never carry secrets (credentials
// embedded in RTSP URLs are stripped for everyone). Pure functions over the contract's shapes.
import type {
  Camera,
  ExportJob,
  NvrEvent,
  NvrMethodName,
  SystemInfo,
  View,
} from '../../src-preload/contract';
import type { Principal } from './auth-service';

/** `cameras: null` (admins, unscoped viewers, loopback-open) sees every camera. */
export function cameraAllowed(p: Pick<Principal, 'cameras'>, cameraId: string): boolean {
  return p.cameras === null || p.cameras.includes(cameraId);
}

/** An RTSP URL without `user:pass@` (credentials are write-only; the engine splits them out on save). */
export function stripUrlCredentials(url: string): string {
  const m = /^(rtsps?:\/\/)([^/?#]*)(.*)$/is.exec(url);
  if (!m) return url;
  const at = m[2]!.lastIndexOf('@');
  return at < 0 ? url : m[1]! + m[2]!.slice(at + 1) + m[3]!;
}

/** A camera as any client may see it: URLs without embedded credentials (no password field exists). */
export function redactCamera(camera: Camera): Camera {
  const { main, sub } = camera.streams;
  return {
    ...camera,
    streams: {
      main: { ...main, url: stripUrlCredentials(main.url) },
      ...(sub ? { sub: { ...sub, url: stripUrlCredentials(sub.url) } } : {}),
    },
  };
}

function exportAllowed(p: Pick<Principal, 'cameras'>, job: Pick<ExportJob, 'request'>): boolean {
  return (job.request?.cameraIds ?? []).every((c) => cameraAllowed(p, c));
}

/** A saved view with the tiles of cameras outside the scope emptied (the arrangement stays usable). */
function scopeView(p: Pick<Principal, 'cameras'>, view: View): View {
  return {
    ...view,
    tiles: view.tiles.map((id) => (id !== null && cameraAllowed(p, id) ? id : null)),
  };
}

function scopeSystem(p: Pick<Principal, 'cameras'>, info: SystemInfo): SystemInfo {
  return { ...info, cameras: info.cameras.filter((c) => cameraAllowed(p, c.id)) };
}

/**
 * The event as this receiver may see it, or undefined to drop it. `p` undefined = the local admin
 * (loopback-open). Discovery results are for admins only; camera configs are redacted for everyone.
 */
export function scopeEvent(
  event: NvrEvent,
  p: Pick<Principal, 'cameras' | 'role'> | undefined,
): NvrEvent | undefined {
  const who = p ?? { cameras: null, role: 'admin' as const };
  switch (event.type) {
    case 'camera.added':
    case 'camera.updated':
      if (!cameraAllowed(who, event.payload.camera.id)) return undefined;
      return { type: event.type, payload: { camera: redactCamera(event.payload.camera) } };
    case 'camera.state':
    case 'camera.stats':
    case 'camera.removed':
    case 'recording.progress':
      return cameraAllowed(who, event.payload.id) ? event : undefined;
    case 'export.progress':
      return exportAllowed(who, event.payload) ? event : undefined;
    case 'discovery.result':
    case 'discovery.done':
      return who.role === 'admin' ? event : undefined;
    case 'system.stats':
      return who.cameras === null
        ? event
        : { type: event.type, payload: scopeSystem(who, event.payload) };
    case 'views.changed':
      return who.cameras === null
        ? event
        : {
            type: event.type,
            payload: { views: event.payload.views.map((v) => scopeView(who, v)) },
          };
    default: {
      // A new event type must decide its scope here; until then only admins get it.
      const unknown: { type: string } = event;
      return who.role === 'admin' && who.cameras === null ? (unknown as NvrEvent) : undefined;
    }
  }
}

/**
 * A contract call's result as this caller may see it: lists filtered to the scope, cameras redacted,
 * system figures and saved views cut to the scope. Other results pass unchanged.
 */
export function scopeResult(
  method: NvrMethodName | undefined,
  payload: unknown,
  p: Pick<Principal, 'cameras'> | undefined,
): unknown {
  const who = p ?? { cameras: null };
  switch (method) {
    case 'listCameras':
      return Array.isArray(payload)
        ? (payload as Camera[]).filter((c) => cameraAllowed(who, String(c.id))).map(redactCamera)
        : payload;
    case 'getCamera':
    case 'addCamera':
    case 'updateCamera':
    case 'addCameraFromProbe':
      return isCamera(payload) ? redactCamera(payload) : payload;
    case 'listExports':
      return Array.isArray(payload)
        ? (payload as ExportJob[]).filter((j) => exportAllowed(who, j))
        : payload;
    case 'getSystem':
      return who.cameras === null || !isSystem(payload) ? payload : scopeSystem(who, payload);
    case 'listViews':
      return who.cameras === null || !Array.isArray(payload)
        ? payload
        : (payload as View[]).map((v) => scopeView(who, v));
    default:
      return payload;
  }
}

function isCamera(v: unknown): v is Camera {
  return typeof v === 'object' && v !== null && 'streams' in v && 'id' in v;
}
function isSystem(v: unknown): v is SystemInfo {
  return typeof v === 'object' && v !== null && Array.isArray((v as SystemInfo).cameras);
}
