// Camera configuration storage behind a small interface. MemoryCameraStore keeps cameras in memory
// until the SQLite-backed store (src-main/storage) arrives; it never returns passwords to the API
// (toApiCamera drops them).
import type { Camera, CameraConfig, CameraPatch } from '../../src-preload/contract';

/** A camera as stored: the validated config (with its password) plus identity and times. */
export interface StoredCamera {
  id: string;
  config: CameraConfig;
  createdMs: number;
  updatedMs: number;
}

export interface CameraStore {
  list(): StoredCamera[];
  get(id: string): StoredCamera | undefined;
  /** Adds a new camera; the id must be unused. */
  insert(camera: StoredCamera): void;
  /** Replaces an existing camera. */
  update(camera: StoredCamera): void;
  /** True when a camera was removed. Its id stays retired: no new camera ever gets it. */
  delete(id: string): boolean;
  /** True when a camera has or ever had this id (deleted cameras' recordings keep their id). */
  idUsed?(id: string): boolean;
}

export class MemoryCameraStore implements CameraStore {
  private readonly cameras = new Map<string, StoredCamera>();
  private readonly retired = new Set<string>();

  list(): StoredCamera[] {
    return [...this.cameras.values()].map(clone);
  }
  get(id: string): StoredCamera | undefined {
    const c = this.cameras.get(id);
    return c && clone(c);
  }
  insert(camera: StoredCamera): void {
    if (this.cameras.has(camera.id)) throw new Error(`camera ${camera.id} exists`);
    this.cameras.set(camera.id, clone(camera));
  }
  update(camera: StoredCamera): void {
    if (!this.cameras.has(camera.id)) throw new Error(`no camera ${camera.id}`);
    this.cameras.set(camera.id, clone(camera));
  }
  delete(id: string): boolean {
    if (!this.cameras.delete(id)) return false;
    this.retired.add(id);
    return true;
  }
  idUsed(id: string): boolean {
    return this.cameras.has(id) || this.retired.has(id);
  }
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

/** The API view of a stored camera: with id, without password. */
export function toApiCamera(stored: StoredCamera): Camera {
  const { password, username, streams, ...rest } = stored.config;
  return {
    id: stored.id,
    ...rest,
    streams: {
      main: { url: streams.main.url },
      ...(streams.sub ? { sub: { url: streams.sub.url } } : {}),
    },
    ...(username !== undefined ? { username } : {}),
    hasPassword: password !== undefined && password !== '',
    createdMs: stored.createdMs,
    updatedMs: stored.updatedMs,
  };
}

/** Applies a PATCH: absent keeps, `null` clears (sub stream, username, password). */
export function applyCameraPatch(config: CameraConfig, patch: CameraPatch): CameraConfig {
  const next: CameraConfig = structuredClone(config);
  if (patch.name !== undefined) next.name = patch.name;
  if (patch.enabled !== undefined) next.enabled = patch.enabled;
  if (patch.transport !== undefined) next.transport = patch.transport;
  if (patch.streams?.main) next.streams.main = { url: patch.streams.main.url };
  if (patch.streams?.sub === null) delete next.streams.sub;
  else if (patch.streams?.sub) next.streams.sub = { url: patch.streams.sub.url };
  if (patch.username === null) delete next.username;
  else if (patch.username !== undefined) next.username = patch.username;
  if (patch.password === null) delete next.password;
  else if (patch.password !== undefined) next.password = patch.password;
  if (patch.recording) next.recording = { ...next.recording, ...stripUndefined(patch.recording) };
  return next;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** A readable, URL- and path-safe id from the name (`Front Door` → `front-door`), unique in `taken`. */
export function cameraIdFromName(name: string, taken: (id: string) => boolean): string {
  const slug =
    name
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'camera';
  if (!taken(slug)) return slug;
  for (let n = 2; ; n++) if (!taken(`${slug}-${n}`)) return `${slug}-${n}`;
}

/** Whether a new camera may not take this id: in use now, or retired by a deleted camera. */
export function cameraIdTaken(store: CameraStore, id: string): boolean {
  return store.idUsed ? store.idUsed(id) : store.get(id) !== undefined;
}

/** `user:pass@` of an RTSP URL, decoded; undefined when the URL carries none. */
function urlCredentials(
  url: string,
): { url: string; username?: string; password?: string } | undefined {
  // The authority ends at the first / ? #; its credentials end at its last @.
  const m = /^(rtsps?:\/\/)([^/?#]*)(.*)$/is.exec(url);
  const at = m ? m[2]!.lastIndexOf('@') : -1;
  if (!m || at < 0) return undefined;
  const userinfo = m[2]!.slice(0, at);
  const colon = userinfo.indexOf(':');
  const decode = (v: string) => {
    try {
      return decodeURIComponent(v);
    } catch {
      return v;
    }
  };
  const username = decode(colon < 0 ? userinfo : userinfo.slice(0, colon));
  const password = colon < 0 ? undefined : decode(userinfo.slice(colon + 1));
  return {
    url: m[1]! + m[2]!.slice(at + 1) + m[3]!,
    ...(username !== '' ? { username } : {}),
    ...(password !== undefined && password !== '' ? { password } : {}),
  };
}

/**
 * Moves credentials embedded in the stream URLs (`rtsp://user:pass@host/...`) into the camera's
 * username/password, where the password is write-only and sealed at rest. The RTSP client already
 * prefers the camera's fields to the URL's, so the credentials it uses do not change: a field that
 * is set stays, a missing one is taken from the main URL, then the sub URL.
 */
export function splitUrlCredentials(config: CameraConfig): CameraConfig {
  const main = urlCredentials(config.streams.main.url);
  const sub = config.streams.sub ? urlCredentials(config.streams.sub.url) : undefined;
  if (!main && !sub) return config;
  const next: CameraConfig = structuredClone(config);
  for (const found of [main, sub]) {
    if (!found) continue;
    if (next.username === undefined && found.username !== undefined) next.username = found.username;
    if (next.password === undefined && found.password !== undefined) next.password = found.password;
  }
  if (main) next.streams.main = { ...next.streams.main, url: main.url };
  if (sub && next.streams.sub) next.streams.sub = { ...next.streams.sub, url: sub.url };
  return next;
}

/**
 * Credentials typed into a PATCH's URLs are meant to be used: they fill the patch's username/password
 * (unless the patch sets those itself), so they replace the stored ones; splitUrlCredentials then
 * strips the URLs.
 */
export function patchWithUrlCredentials(patch: CameraPatch): CameraPatch {
  const next: CameraPatch = { ...patch };
  for (const s of [patch.streams?.main, patch.streams?.sub]) {
    const found = s ? urlCredentials(s.url) : undefined;
    if (!found) continue;
    if (next.username === undefined && found.username !== undefined) next.username = found.username;
    if (next.password === undefined && found.password !== undefined) next.password = found.password;
  }
  return next;
}

/** Start-up migration: stored cameras with credentials in their URLs get them split out; how many. */
export function migrateUrlCredentials(store: CameraStore): number {
  let n = 0;
  for (const c of store.list()) {
    const config = splitUrlCredentials(c.config);
    if (config === c.config) continue;
    store.update({ ...c, config });
    n++;
  }
  return n;
}
