import { afterEach, describe, expect, it } from 'vitest';
import {
  STALL_RELEASE_MS,
  STEP_PRESENT_WAIT_MS,
  StallWatch,
  groupClockAt,
  groupHoldMs,
  holdSlackMs,
  joinStepGroup,
  joinSyncGroup,
  playingLimitMs,
  presentNow,
  presentSteps,
  stepFootageMs,
  stepTargetMs,
  steppingLimitMs,
} from './sync-group';

const T = 1_790_000_000_000;
const leave: (() => void)[] = [];
afterEach(() => leave.splice(0).forEach((f) => f()));

describe('sync group', () => {
  it('limits the clock to a little past the slowest tile', () => {
    expect(groupHoldMs()).toBeUndefined();
    for (const t of [T + 30, T, T + 10]) leave.push(joinSyncGroup(() => playingLimitMs(t, 1)));
    expect(groupHoldMs()).toBe(T + holdSlackMs(1));
    // The slack stays within a frame at 1× and within half a second at 16×.
    expect(holdSlackMs(1)).toBeLessThanOrEqual(40);
    expect(holdSlackMs(16)).toBeLessThanOrEqual(500);
  });

  it('stepping tiles all show the same moment, and the clock waits one step for the slowest', () => {
    expect(stepFootageMs(16)).toBe(4_000);
    // Any clock time inside a step maps to its start, whoever asks.
    const q = stepTargetMs(T + 1, 16);
    expect(stepTargetMs(q + 3_999, 16)).toBe(q);
    expect(stepTargetMs(q + 4_000, 16)).toBe(q + 4_000);
    // A tile still on step q lets the clock ask for q + 4 s, not q + 8 s.
    const limit = steppingLimitMs(q, 16);
    expect(stepTargetMs(limit, 16)).toBe(q + 4_000);
  });

  it('a tile that stops advancing leaves the hold after a while, and rejoins when it moves', () => {
    const w = new StallWatch();
    expect(w.holding(T, 0)).toBe(true);
    expect(w.holding(T, STALL_RELEASE_MS)).toBe(true);
    expect(w.holding(T, STALL_RELEASE_MS + 1)).toBe(false);
    expect(w.holding(T + 40, STALL_RELEASE_MS + 2)).toBe(true);
  });

  it('holds the clock back for the slowest member while playing, never behind the playhead', () => {
    const s = { mode: 'playback' as const, playing: true, rate: 16, playheadMs: T, lastTickMs: 0 };
    // The free clock 100 ms after the tick is 1.6 s ahead; a member at +0.2 s holds it.
    leave.push(joinSyncGroup(() => playingLimitMs(T + 200, 16)));
    leave.push(joinSyncGroup(() => undefined)); // seeking or in a gap: no say
    expect(groupHoldMs()).toBe(T + 200 + holdSlackMs(16));
    expect(groupClockAt(s, 100)).toBe(T + 200 + holdSlackMs(16));
    // A member that fell behind the playhead does not move the clock back.
    leave.push(joinSyncGroup(() => playingLimitMs(T - 5_000, 16)));
    expect(groupClockAt(s, 100)).toBe(T);
    // Paused or live: the group has no say.
    expect(groupClockAt({ ...s, playing: false }, 100)).toBe(T);
    expect(groupClockAt({ ...s, mode: 'live' }, 100)).toBe(100);
  });

  it('without members the clock runs free', () => {
    const s = { mode: 'playback' as const, playing: true, rate: 4, playheadMs: T, lastTickMs: 0 };
    expect(groupHoldMs()).toBeUndefined();
    expect(groupClockAt(s, 100)).toBe(T + 400);
  });

  it('stepping tiles change picture together, or after a short wait for a slow one', () => {
    expect(presentNow([T, T, T], 0, 0)).toBe(true);
    expect(presentNow([T, undefined, T], 0, 100)).toBe(false);
    expect(presentNow([T, undefined, T], 0, STEP_PRESENT_WAIT_MS)).toBe(true);
    expect(presentNow([undefined, undefined], 0, 10_000)).toBe(false);

    const shown: number[] = [];
    const tile = () => {
      let staged: number | undefined;
      const m = {
        stagedStepMs: () => staged,
        present: () => {
          shown.push(staged!);
          staged = undefined;
        },
        stage: (ms: number) => (staged = ms),
      };
      leave.push(joinStepGroup(m));
      return m;
    };
    const [a, b] = [tile(), tile()];
    a.stage(T);
    presentSteps(0);
    expect(shown).toEqual([]); // b has not landed: a waits
    b.stage(T);
    presentSteps(50);
    expect(shown).toEqual([T, T]); // both at once
    a.stage(T + 4_000);
    presentSteps(100);
    presentSteps(100 + STEP_PRESENT_WAIT_MS);
    expect(shown).toEqual([T, T, T + 4_000]); // b too slow: a goes on
    b.stage(T + 4_000);
    presentSteps(100 + STEP_PRESENT_WAIT_MS + 10);
    expect(shown).toEqual([T, T, T + 4_000, T + 4_000]); // late b catches up at once
    // A seek back: the tiles wait for each other again.
    a.stage(T - 120_000);
    presentSteps(1_000);
    expect(shown).toHaveLength(4);
    b.stage(T - 120_000);
    presentSteps(1_010);
    expect(shown.slice(4)).toEqual([T - 120_000, T - 120_000]);
  });
});
