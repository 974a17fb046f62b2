import { describe, expect, it } from 'vitest';
import {
  LIVE_EDGE,
  MAX_SPAN_MS,
  MIN_SPAN_MS,
  clockAt,
  createTimeStore,
  playheadAt,
} from './time-store';

function fakeClock(startMs = 1_790_000_000_000) {
  let t = startMs;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('time store', () => {
  it('starts live with now near the right edge of a 4 h window', () => {
    const clock = fakeClock();
    const s = createTimeStore({ now: clock.now }).getState();
    expect(s.mode).toBe('live');
    expect(s.viewSpanMs).toBe(4 * 3_600_000);
    expect(s.viewStartMs + s.viewSpanMs * LIVE_EDGE).toBeCloseTo(clock.now());
  });

  it('seeking into the past enters playback; seeking to now or later goes live', () => {
    const clock = fakeClock();
    const store = createTimeStore({ now: clock.now });
    store.getState().seek(clock.now() - 60_000);
    expect(store.getState().mode).toBe('playback');
    expect(playheadAt(store.getState(), clock.now())).toBe(clock.now() - 60_000);
    store.getState().seek(clock.now() + 5);
    expect(store.getState().mode).toBe('live');
    expect(playheadAt(store.getState(), clock.now())).toBe(clock.now());
  });

  it('the clock between ticks runs on from the last tick at the speed while playing', () => {
    const clock = fakeClock();
    const store = createTimeStore({ now: clock.now });
    store.getState().seek(clock.now() - 60_000);
    store.getState().setRate(4);
    const p0 = store.getState().playheadMs;
    clock.advance(50);
    expect(clockAt(store.getState(), clock.now())).toBe(p0 + 200);
    store.getState().togglePlay(); // pause
    clock.advance(50);
    expect(clockAt(store.getState(), clock.now())).toBe(p0);
    store.getState().goLive();
    expect(clockAt(store.getState(), clock.now())).toBe(clock.now());
  });

  it("a tick waits at the tiles' hold instead of running ahead, and never moves back", () => {
    const clock = fakeClock();
    const store = createTimeStore({ now: clock.now });
    store.getState().seek(clock.now() - 60_000);
    store.getState().setRate(16);
    const p0 = store.getState().playheadMs;
    clock.advance(100);
    store.getState().tick(p0 + 500);
    expect(store.getState().playheadMs).toBe(p0 + 500);
    clock.advance(100);
    store.getState().tick(p0 - 1_000);
    expect(store.getState().playheadMs).toBe(p0 + 500);
    clock.advance(100);
    store.getState().tick();
    expect(store.getState().playheadMs).toBe(p0 + 500 + 1_600);
  });

  it('steps from now when live and from the playhead in playback', () => {
    const clock = fakeClock();
    const store = createTimeStore({ now: clock.now });
    store.getState().step(-10_000);
    expect(store.getState().playheadMs).toBe(clock.now() - 10_000);
    store.getState().step(-60_000);
    expect(store.getState().playheadMs).toBe(clock.now() - 70_000);
    store.getState().step(+70_000);
    expect(store.getState().mode).toBe('live');
  });

  it('recentres the window when the playhead leaves it', () => {
    const clock = fakeClock();
    const store = createTimeStore({ now: clock.now, spanMs: 3_600_000 });
    const target = clock.now() - 24 * 3_600_000;
    store.getState().seek(target);
    const s = store.getState();
    expect(target).toBeGreaterThanOrEqual(s.viewStartMs);
    expect(target).toBeLessThanOrEqual(s.viewStartMs + s.viewSpanMs);
  });

  it('zooms around the anchor, clamped to 10 s … 7 days', () => {
    const clock = fakeClock();
    const store = createTimeStore({ now: clock.now });
    store.getState().pan(-3_600_000); // stop following live so the anchor rules
    const { viewStartMs, viewSpanMs } = store.getState();
    const anchor = viewStartMs + viewSpanMs * 0.25;
    store.getState().zoom(0.5, anchor);
    const s = store.getState();
    expect(s.viewSpanMs).toBe(viewSpanMs / 2);
    expect((anchor - s.viewStartMs) / s.viewSpanMs).toBeCloseTo(0.25);
    for (let i = 0; i < 40; i++) store.getState().zoom(0.5, anchor);
    expect(store.getState().viewSpanMs).toBe(MIN_SPAN_MS);
    for (let i = 0; i < 40; i++) store.getState().zoom(2, anchor);
    expect(store.getState().viewSpanMs).toBe(MAX_SPAN_MS);
  });

  it('follows now while live; panning stops following until goLive', () => {
    const clock = fakeClock();
    const store = createTimeStore({ now: clock.now });
    clock.advance(5_000);
    store.getState().tick();
    expect(store.getState().playheadMs).toBe(clock.now());
    const startAfterTick = store.getState().viewStartMs;
    store.getState().pan(-1_000);
    clock.advance(5_000);
    store.getState().tick();
    expect(store.getState().viewStartMs).toBe(startAfterTick - 1_000);
    store.getState().goLive();
    expect(store.getState().followLive).toBe(true);
    expect(store.getState().viewStartMs + store.getState().viewSpanMs * LIVE_EDGE).toBeCloseTo(
      clock.now(),
    );
  });
});

describe('time store playback clock', () => {
  it('advances the playhead at the rate while playing, holds it when paused', () => {
    const clock = fakeClock();
    const store = createTimeStore({ now: clock.now });
    const t0 = clock.now() - 600_000;
    store.getState().seek(t0);
    const seq = store.getState().seekSeq;
    clock.advance(1_000);
    store.getState().tick();
    expect(store.getState().playheadMs).toBe(t0 + 1_000);
    store.getState().setRate(4);
    clock.advance(500);
    store.getState().tick();
    expect(store.getState().playheadMs).toBe(t0 + 3_000);
    store.getState().togglePlay();
    clock.advance(10_000);
    store.getState().tick();
    expect(store.getState().playheadMs).toBe(t0 + 3_000);
    store.getState().togglePlay();
    clock.advance(250);
    store.getState().tick();
    expect(store.getState().playheadMs).toBe(t0 + 4_000);
    expect(store.getState().seekSeq).toBe(seq); // ticks are not seeks
    store.getState().setRate(100);
    expect(store.getState().rate).toBe(16);
  });

  it('goes live when playback catches up with now; pausing live freezes now', () => {
    const clock = fakeClock();
    const store = createTimeStore({ now: clock.now });
    store.getState().seek(clock.now() - 2_000);
    store.getState().setRate(2);
    clock.advance(2_000);
    store.getState().tick();
    expect(store.getState().mode).toBe('live');
    expect(store.getState().rate).toBe(1);
    store.getState().togglePlay();
    expect(store.getState().mode).toBe('playback');
    expect(store.getState().playing).toBe(false);
  });
});

describe('time store: pinch view and export selection', () => {
  it('setView clamps the span around the requested centre; following live keeps now in place', () => {
    const clock = fakeClock();
    const store = createTimeStore({ now: clock.now });
    store.getState().pan(-1_000);
    store.getState().setView(1_000_000, 1_000);
    expect(store.getState().viewSpanMs).toBe(MIN_SPAN_MS);
    expect(store.getState().viewStartMs + MIN_SPAN_MS / 2).toBe(1_000_500);
    store.getState().goLive();
    store.getState().setView(0, 3_600_000);
    const s = store.getState();
    expect(s.viewSpanMs).toBe(3_600_000);
    expect(s.viewStartMs + s.viewSpanMs * LIVE_EDGE).toBeCloseTo(clock.now());
  });

  it('shows a selection, revealing it when asked, and hides it', () => {
    const clock = fakeClock();
    const store = createTimeStore({ now: clock.now, spanMs: 3_600_000 });
    store.getState().seek(clock.now() - 10 * 3_600_000);
    const sel = { from: clock.now() - 30 * 3_600_000, to: clock.now() - 29 * 3_600_000 };
    store.getState().setSelection(sel);
    expect(store.getState().selection).toEqual(sel);
    const before = store.getState().viewStartMs;
    expect(before).toBeGreaterThan(sel.to);
    store.getState().setSelection(sel, true);
    const s = store.getState();
    expect(s.viewStartMs).toBeLessThanOrEqual(sel.from);
    expect(s.viewStartMs + s.viewSpanMs).toBeGreaterThanOrEqual(sel.to);
    store.getState().setSelection(null);
    expect(store.getState().selection).toBeNull();
  });
});
