// Whether the live pictures the grid shows are still moving: tiles report a camera as stale when its
// video has presented no new frame for a few seconds (engine down, network gone) and fresh again when
// frames resume. The sidebar and wall count only moving cameras as live. Pure zustand (vanilla) store.
import { createStore } from 'zustand/vanilla';
import type { Camera, CameraStatus } from '../../src-preload/contract';
import type { EngineLink } from './connection-store';
import { describeStatus } from './status-words';

export interface FramesState {
  /** Camera id → wall-clock ms of its last frame, for cameras whose live picture is frozen. */
  staleSinceMs: Record<string, number>;
  /** `sinceMs` null: frames are moving again (or the tile is gone). */
  setStale(id: string, sinceMs: number | null): void;
}

export function createFramesStore() {
  return createStore<FramesState>()((set) => ({
    staleSinceMs: {},
    setStale: (id, sinceMs) =>
      set((s) => {
        if (sinceMs === null) {
          if (!(id in s.staleSinceMs)) return s;
          const next = { ...s.staleSinceMs };
          delete next[id];
          return { staleSinceMs: next };
        }
        if (s.staleSinceMs[id] === sinceMs) return s;
        return { staleSinceMs: { ...s.staleSinceMs, [id]: sinceMs } };
      }),
  }));
}

export type FramesStore = ReturnType<typeof createFramesStore>;

export interface LiveCounts {
  live: number;
  problem: number;
}

/**
 * The sidebar's "N live · M with problems": a camera is live when the engine says it streams, the
 * link to the engine is up and its picture (when shown) is not frozen; a frozen one is a problem;
 * with the link down, the engine's last word is not counted as live.
 */
export function countLive(
  cameras: readonly Camera[],
  statuses: Record<string, CameraStatus>,
  staleSinceMs: Record<string, number>,
  link: EngineLink,
): LiveCounts {
  let live = 0;
  let problem = 0;
  for (const c of cameras) {
    const tone = describeStatus(statuses[c.id], c.enabled).tone;
    if (tone === 'bad' || tone === 'warn') problem++;
    else if (tone !== 'ok') continue;
    else if (c.id in staleSinceMs) problem++;
    else if (link === 'online') live++;
  }
  return { live, problem };
}
