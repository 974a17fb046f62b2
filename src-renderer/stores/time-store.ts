// Selected time and the timeline's visible window: live vs playback, the playhead, zoom and pan.
// Pure zustand (vanilla) store with an injected clock; draws nothing and fetches nothing.
import { createStore } from 'zustand/vanilla';

export type TimeMode = 'live' | 'playback';

/** Zoom limits of the timeline window: from 30 s to 7 days. */
export const MIN_SPAN_MS = 30_000;
export const MAX_SPAN_MS = 7 * 24 * 3_600_000;
/** Where "now" sits in the window when following live (fraction of the width from the left). */
export const LIVE_EDGE = 0.92;

export interface TimeState {
  mode: TimeMode;
  /** Playhead in ms since epoch; meaningful in playback (in live the playhead is `now()`). */
  playheadMs: number;
  /** Visible timeline window. */
  viewStartMs: number;
  viewSpanMs: number;
  /** When live, the window follows now; panning by hand stops that until `goLive`. */
  followLive: boolean;
  goLive(): void;
  /** Moves the playhead; a time at or after now means live. */
  seek(ms: number): void;
  /** Steps the playhead by a signed amount (from now when live). */
  step(deltaMs: number): void;
  /** Multiplies the span by `factor` (< 1 zooms in) keeping `anchorMs` at the same screen position. */
  zoom(factor: number, anchorMs: number): void;
  pan(deltaMs: number): void;
  /** Recomputes the window from the clock when following live (call from an animation tick). */
  tick(): void;
}

export interface TimeStoreOptions {
  now?: () => number;
  spanMs?: number;
}

/** Returns the playhead time shown to the user: now when live. */
export function playheadAt(s: Pick<TimeState, 'mode' | 'playheadMs'>, nowMs: number): number {
  return s.mode === 'live' ? nowMs : s.playheadMs;
}

export function clampSpan(spanMs: number): number {
  return Math.min(MAX_SPAN_MS, Math.max(MIN_SPAN_MS, spanMs));
}

export function createTimeStore(options: TimeStoreOptions = {}) {
  const now = options.now ?? Date.now;
  const initialSpan = clampSpan(options.spanMs ?? 4 * 3_600_000);
  const liveStart = (spanMs: number) => now() - spanMs * LIVE_EDGE;
  return createStore<TimeState>()((set, get) => ({
    mode: 'live',
    playheadMs: now(),
    viewStartMs: liveStart(initialSpan),
    viewSpanMs: initialSpan,
    followLive: true,
    goLive: () =>
      set((s) => ({
        mode: 'live',
        playheadMs: now(),
        followLive: true,
        viewStartMs: liveStart(s.viewSpanMs),
      })),
    seek: (ms) => {
      const t = now();
      if (ms >= t) return get().goLive();
      set((s) => {
        // Keep the playhead visible: recentre the window when it falls outside.
        const inView = ms >= s.viewStartMs && ms <= s.viewStartMs + s.viewSpanMs;
        return {
          mode: 'playback',
          playheadMs: ms,
          followLive: false,
          viewStartMs: inView ? s.viewStartMs : ms - s.viewSpanMs / 2,
        };
      });
    },
    step: (deltaMs) => {
      const s = get();
      get().seek(playheadAt(s, now()) + deltaMs);
    },
    zoom: (factor, anchorMs) =>
      set((s) => {
        const spanMs = clampSpan(s.viewSpanMs * factor);
        if (spanMs === s.viewSpanMs) return s;
        const ratio = (anchorMs - s.viewStartMs) / s.viewSpanMs;
        const viewStartMs = s.followLive ? now() - spanMs * LIVE_EDGE : anchorMs - ratio * spanMs;
        return { viewSpanMs: spanMs, viewStartMs };
      }),
    pan: (deltaMs) => set((s) => ({ viewStartMs: s.viewStartMs + deltaMs, followLive: false })),
    tick: () =>
      set((s) =>
        s.followLive && s.mode === 'live'
          ? { viewStartMs: liveStart(s.viewSpanMs), playheadMs: now() }
          : s,
      ),
  }));
}

export type TimeStore = ReturnType<typeof createTimeStore>;
