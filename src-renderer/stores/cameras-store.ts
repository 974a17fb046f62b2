// The camera list and each camera's live status, kept current from API answers and engine events.
// Pure zustand (vanilla) store: it never calls the API itself (app/engine-sync does) and knows nothing of the DOM.
import { createStore } from 'zustand/vanilla';
import type { Camera, CameraStatus, NvrEvent, StreamStatus } from '../../src-preload/contract';
import { naturalCompare } from './natural-compare';

export type LoadState = 'idle' | 'loading' | 'ready' | 'error';

export interface CamerasState {
  /** Cameras in display order (by name). */
  cameras: Camera[];
  statuses: Record<string, CameraStatus>;
  loadState: LoadState;
  loadError: string | null;
  /** Sidebar filter text. */
  query: string;
  selectedId: string | null;
  setLoading(): void;
  setLoadError(message: string): void;
  setCameras(cameras: readonly Camera[]): void;
  upsertCamera(camera: Camera): void;
  removeCamera(id: string): void;
  setStatus(id: string, status: CameraStatus): void;
  /** Applies one engine event; returns true when it changed the store. */
  applyEvent(event: NvrEvent): boolean;
  setQuery(query: string): void;
  select(id: string | null): void;
}

const byName = (a: Camera, b: Camera) => naturalCompare(a.name, b.name) || a.id.localeCompare(b.id);

function mergeStreams(
  prev: CameraStatus['streams'] | undefined,
  next: { main?: StreamStatus | undefined; sub?: StreamStatus | undefined },
): CameraStatus['streams'] {
  const out: CameraStatus['streams'] = { ...prev };
  if (next.main) out.main = { ...prev?.main, ...next.main };
  if (next.sub) out.sub = { ...prev?.sub, ...next.sub };
  return out;
}

export function createCamerasStore() {
  return createStore<CamerasState>()((set, get) => ({
    cameras: [],
    statuses: {},
    loadState: 'idle',
    loadError: null,
    query: '',
    selectedId: null,
    setLoading: () => set({ loadState: 'loading', loadError: null }),
    setLoadError: (message) => set({ loadState: 'error', loadError: message }),
    setCameras: (cameras) =>
      set((s) => {
        const ids = new Set(cameras.map((c) => c.id));
        const kept = Object.entries(s.statuses).filter(([id]) => ids.has(id));
        const sorted = [...cameras].sort(byName);
        // A reload that finds what is already shown (the catch-up after the event link opens, at
        // start-up) keeps the same objects: nothing that shows cameras renders again.
        const unchanged =
          sorted.length === s.cameras.length &&
          sorted.every((c, i) => JSON.stringify(c) === JSON.stringify(s.cameras[i]));
        return {
          cameras: unchanged ? s.cameras : sorted,
          statuses:
            kept.length === Object.keys(s.statuses).length ? s.statuses : Object.fromEntries(kept),
          loadState: 'ready',
          loadError: null,
          selectedId: s.selectedId !== null && ids.has(s.selectedId) ? s.selectedId : null,
        };
      }),
    upsertCamera: (camera) =>
      set((s) => ({
        cameras: [...s.cameras.filter((c) => c.id !== camera.id), camera].sort(byName),
      })),
    removeCamera: (id) =>
      set((s) => {
        const { [id]: _gone, ...statuses } = s.statuses;
        return {
          cameras: s.cameras.filter((c) => c.id !== id),
          statuses,
          selectedId: s.selectedId === id ? null : s.selectedId,
        };
      }),
    setStatus: (id, status) => set((s) => ({ statuses: { ...s.statuses, [id]: status } })),
    applyEvent: (event) => {
      const s = get();
      switch (event.type) {
        case 'camera.state':
          s.setStatus(event.payload.id, event.payload.status);
          return true;
        case 'camera.stats': {
          const prev = s.statuses[event.payload.id];
          if (!prev) return false; // stats before any state: wait for the state event or the status fetch
          s.setStatus(event.payload.id, {
            ...prev,
            streams: mergeStreams(prev.streams, event.payload.streams),
          });
          return true;
        }
        case 'camera.added':
        case 'camera.updated':
          s.upsertCamera(event.payload.camera);
          return true;
        case 'camera.removed':
          s.removeCamera(event.payload.id);
          return true;
        default:
          return false;
      }
    },
    setQuery: (query) => set({ query }),
    select: (id) => set({ selectedId: id }),
  }));
}

export type CamerasStore = ReturnType<typeof createCamerasStore>;

/** Cameras whose name matches the filter (case- and accent-insensitive substring). */
export function filterCameras(cameras: readonly Camera[], query: string): Camera[] {
  const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const q = fold(query.trim());
  return q === '' ? [...cameras] : cameras.filter((c) => fold(c.name).includes(q));
}
