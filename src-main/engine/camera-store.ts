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
  /** True when a camera was removed. */
  delete(id: string): boolean;
}

export class MemoryCameraStore implements CameraStore {
  private readonly cameras = new Map<string, StoredCamera>();

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
    return this.cameras.delete(id);
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
