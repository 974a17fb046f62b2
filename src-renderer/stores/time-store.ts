// Selected time and the timeline's visible window: live vs playback, the playhead, zoom and pan.
// Pure zustand (vanilla) store with an injected clock; draws nothing and fetches nothing.
import { createStore } from 'zustand/vanilla';

export type TimeMode = 'live' | 'playback';

/** A time range chosen on the timeline (export handles), ms since epoch, from < to. */
export interface TimeSelection {
  from: number;
  to: number;
}

/** Zoom limits of the timeline window: from 10 s (1 s ticks) to 7 days. */
export const MIN_SPAN_MS = 10_000;
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
  /** Playback runs (the playhead advances at `rate` on every tick) or is paused. */
  playing: boolean;
  /** Playback speed, one of PLAYBACK_RATES. */
  rate: number;
  /** Bumped on every explicit seek: players resync to the playhead when it changes. */
  seekSeq: number;
  /** Clock time of the last tick (for advancing the playhead). */
  lastTickMs: number;
  /** The export range shown with handles on the timeline, or null when not selecting. */
  selection: TimeSelection | null;
  goLive(): void;
  togglePlay(): void;
  setRate(rate: number): void;
  /** Moves the playhead; a time at or after now means live. */
  seek(ms: number): void;
  /** Steps the playhead by a signed amount (from now when live). */
  step(deltaMs: number): void;
  /** Multiplies the span by `factor` (< 1 zooms in) keeping `anchorMs` at the same screen position. */
  zoom(factor: number, anchorMs: number): void;
  pan(deltaMs: number): void;
  /** Sets the window (pinch: zoom and pan at once); the span is clamped. Following live keeps now in place. */
  setView(startMs: number, spanMs: number): void;
  /** Shows (a range) or hides (null) the export selection; `reveal` moves/zooms the window to show it. */
  setSelection(selection: TimeSelection | null, reveal?: boolean): void;
  /**
   * Advances the playhead at `rate` while playing and recomputes the window when following live (call
   * from a timer). `holdMs`: the playback tiles' limit — the playhead waits there rather than run ahead
   * of the slowest tile (it never moves back).
   */
  tick(holdMs?: number): void;
}

/** Playback speeds offered in the UI. */
export const PLAYBACK_RATES = [0.25, 0.5, 1, 2, 4, 8, 16] as const;

export interface TimeStoreOptions {
  now?: () => number;
  spanMs?: number;
}

/** Returns the playhead time shown to the user: now when live. */
export function playheadAt(s: Pick<TimeState, 'mode' | 'playheadMs'>, nowMs: number): number {
  return s.mode === 'live' ? nowMs : s.playheadMs;
}

/**
 * The shared clock between ticks: the playhead advanced by the time since the last tick at `rate` while
 * playing (players sync to this, not to the 10 Hz steps of `playheadMs`).
 */
export function clockAt(
  s: Pick<TimeState, 'mode' | 'playheadMs' | 'playing' | 'rate' | 'lastTickMs'>,
  nowMs: number,
): number {
  if (s.mode === 'live') return nowMs;
  return s.playing ? s.playheadMs + Math.max(0, nowMs - s.lastTickMs) * s.rate : s.playheadMs;
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
    playing: true,
    rate: 1,
    seekSeq: 0,
    lastTickMs: now(),
    selection: null,
    goLive: () =>
      set((s) => ({
        mode: 'live',
        playheadMs: now(),
        followLive: true,
        playing: true,
        rate: 1,
        viewStartMs: liveStart(s.viewSpanMs),
      })),
    togglePlay: () => {
      const s = get();
      // Pausing live freezes the picture at this moment: playback of now, paused.
      if (s.mode === 'live') {
        get().seek(now() - 1);
        set({ playing: false });
        return;
      }
      set({ playing: !s.playing, lastTickMs: now() });
    },
    setRate: (rate) => set({ rate: Math.min(16, Math.max(0.25, rate)) }),
    seek: (ms) => {
      const t = now();
      if (ms >= t) return get().goLive();
      set((s) => {
        // Keep the playhead visible: recentre the window when it falls outside.
        const inView = ms >= s.viewStartMs && ms <= s.viewStartMs + s.viewSpanMs;
        return {
          mode: 'playback',
          playheadMs: ms,
          seekSeq: s.seekSeq + 1,
          lastTickMs: t,
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
    setView: (startMs, spanMs) =>
      set((s) => {
        const span = clampSpan(spanMs);
        if (s.followLive) return { viewSpanMs: span, viewStartMs: liveStart(span) };
        // A clamped span keeps the requested centre.
        return { viewSpanMs: span, viewStartMs: startMs + (spanMs - span) / 2 };
      }),
    setSelection: (selection, reveal = false) =>
      set((s) => {
        if (!selection || !reveal) return { selection };
        const len = selection.to - selection.from;
        const right = s.viewStartMs + s.viewSpanMs;
        const fits = selection.from >= s.viewStartMs && selection.to <= right;
        if (fits || s.followLive) {
          // Zoom out when the range is wider than ~80 % of the window (following live keeps now).
          if (len <= s.viewSpanMs * 0.8) return { selection };
          const span = clampSpan(len / 0.6);
          return s.followLive
            ? { selection, viewSpanMs: span, viewStartMs: liveStart(span) }
            : { selection, viewSpanMs: span, viewStartMs: selection.from - span * 0.2 };
        }
        const span = Math.max(s.viewSpanMs, clampSpan(len / 0.6));
        return {
          selection,
          viewSpanMs: span,
          viewStartMs: (selection.from + selection.to) / 2 - span / 2,
        };
      }),
    tick: (holdMs) => {
      const t = now();
      const s = get();
      if (s.mode === 'live') {
        if (s.followLive)
          set({ viewStartMs: liveStart(s.viewSpanMs), playheadMs: t, lastTickMs: t });
        return;
      }
      if (!s.playing) return set({ lastTickMs: t });
      const freeMs = s.playheadMs + (t - s.lastTickMs) * s.rate;
      const playheadMs =
        holdMs === undefined ? freeMs : Math.max(s.playheadMs, Math.min(freeMs, holdMs));
      // Playback that catches up with now becomes live.
      if (playheadMs >= t - 500) return get().goLive();
      const right = s.viewStartMs + s.viewSpanMs;
      set({
        playheadMs,
        lastTickMs: t,
        // Page the window when the playhead runs off its right edge.
        viewStartMs: playheadMs > right ? playheadMs - s.viewSpanMs * 0.1 : s.viewStartMs,
      });
    },
  }));
}

export type TimeStore = ReturnType<typeof createTimeStore>;
