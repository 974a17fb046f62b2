// The playing tiles as one group: the shared clock never runs more than a little ahead of the slowest
// tile that is keeping up, so a tile that cannot follow holds the others back instead of falling behind
// them. A tile that stops advancing for a while (a stall, a missing fragment) leaves the hold until it
// moves again, so it never freezes the clock. At 8× and faster the tiles step instead of playing: every
// tile shows the same moment of the clock, quantized to a step of ¼ s of wall time, and the clock waits
// for the slowest tile to land one step before it moves two (decoding 4 tiles × 240 frames/s at 16× is
// more than a small machine does). Module state: the members of the page's one group; the arithmetic
// is pure.
import { clockAt, type TimeState } from '../../stores';

/** How far the clock may run ahead of the slowest member (ms of footage) at a speed. */
export function holdSlackMs(rate: number): number {
  return Math.max(40, 25 * rate);
}

/** The latest time the clock may show for a playing tile that shows `shownMs`. */
export function playingLimitMs(shownMs: number, rate: number): number {
  return shownMs + holdSlackMs(rate);
}

/** From this speed on the tiles step (seek together) instead of playing. */
export const STEP_FROM_RATE = 8;
/** Wall time between steps. */
export const STEP_WALL_MS = 250;

/** Footage between two steps at a speed (4 s at 16×). */
export function stepFootageMs(rate: number): number {
  return rate * STEP_WALL_MS;
}

/** The moment every stepping tile shows for a clock time: the same for all tiles. */
export function stepTargetMs(clockMs: number, rate: number): number {
  const q = stepFootageMs(rate);
  return Math.floor(clockMs / q) * q;
}

/** The latest time the clock may show for a stepping tile that landed on `landedMs`: one step on. */
export function steppingLimitMs(landedMs: number, rate: number): number {
  return landedMs + 2 * stepFootageMs(rate) - 1;
}

/** A tile that has not advanced for this long (wall ms) no longer holds the clock. */
export const STALL_RELEASE_MS = 2_500;

/**
 * Watches one member's shown time: `holding` says whether it may hold the clock (it advanced within
 * STALL_RELEASE_MS). Pure: the caller passes the wall time.
 */
export class StallWatch {
  private lastShownMs: number | undefined;
  private lastMoveAtMs = 0;

  holding(shownMs: number, nowMs: number): boolean {
    if (this.lastShownMs === undefined || shownMs !== this.lastShownMs) {
      this.lastShownMs = shownMs;
      this.lastMoveAtMs = nowMs;
    }
    return nowMs - this.lastMoveAtMs <= STALL_RELEASE_MS;
  }

  reset(): void {
    this.lastShownMs = undefined;
  }
}

/** One tile: the latest clock time it allows (`playingLimitMs`, `steppingLimitMs`), or undefined. */
export type GroupMember = () => number | undefined;

const members = new Set<GroupMember>();

/** Adds a tile to the group; returns its removal. */
export function joinSyncGroup(member: GroupMember): () => void {
  members.add(member);
  return () => members.delete(member);
}

/** The clock's limit from the group now (for the time store's tick), or undefined when nobody holds. */
export function groupHoldMs(): number | undefined {
  let limit: number | undefined;
  for (const m of members) {
    const t = m();
    if (t !== undefined && (limit === undefined || t < limit)) limit = t;
  }
  return limit;
}

/** The clock as the tiles follow it: the store's clock, held back by the slowest member. */
export function groupClockAt(
  s: Pick<TimeState, 'mode' | 'playheadMs' | 'playing' | 'rate' | 'lastTickMs'>,
  nowMs: number,
): number {
  const clockMs = clockAt(s, nowMs);
  if (s.mode !== 'playback' || !s.playing) return clockMs;
  const holdMs = groupHoldMs();
  return holdMs === undefined ? clockMs : Math.max(s.playheadMs, Math.min(clockMs, holdMs));
}

/**
 * Stepping tiles change picture together: each draws its landed step off screen, and all show theirs in
 * the same task once every stepping tile has the newest step, or STEP_PRESENT_WAIT_MS after the first
 * had it (a slow tile shows its step when it lands).
 */
export interface StepMember {
  /** The step drawn off screen and not shown yet, or undefined. */
  stagedStepMs(): number | undefined;
  /** Shows the staged step. */
  present(): void;
}

export const STEP_PRESENT_WAIT_MS = 2_000;

/** Whether to show the staged steps now: all members have the newest, or it has waited long enough. */
export function presentNow(
  staged: readonly (number | undefined)[],
  newestSinceMs: number,
  nowMs: number,
): boolean {
  const defined = staged.filter((x): x is number => x !== undefined);
  if (defined.length === 0) return false;
  const newest = Math.max(...defined);
  return staged.every((x) => x === newest) || nowMs - newestSinceMs >= STEP_PRESENT_WAIT_MS;
}

const steppers = new Set<StepMember>();
let newestStaged: { stepMs: number; sinceMs: number } | undefined;
let lastPresentedMs = -Infinity;

/** Adds a stepping tile; returns its removal. */
export function joinStepGroup(member: StepMember): () => void {
  steppers.add(member);
  return () => {
    steppers.delete(member);
    if (steppers.size === 0) lastPresentedMs = -Infinity;
  };
}

/** A staged step this far before the one shown is a seek back, not a late tile. */
const SEEK_BACK_MS = 60_000;

/** Call when a tile staged a step and on every sync: shows the staged steps when it is time. */
export function presentSteps(nowMs: number): void {
  const members = [...steppers];
  // A late tile catches up at once: the others already show that step or a later one.
  for (const m of members) {
    const t = m.stagedStepMs();
    if (t !== undefined && t < lastPresentedMs - SEEK_BACK_MS) lastPresentedMs = -Infinity;
    else if (t !== undefined && t <= lastPresentedMs) m.present();
  }
  const staged = members.map((m) => m.stagedStepMs());
  const newest = Math.max(...staged.map((x) => x ?? -Infinity));
  if (!Number.isFinite(newest)) return;
  if (!newestStaged || newestStaged.stepMs !== newest)
    newestStaged = { stepMs: newest, sinceMs: nowMs };
  if (!presentNow(staged, newestStaged.sinceMs, nowMs)) return;
  for (const m of members) if (m.stagedStepMs() !== undefined) m.present();
  lastPresentedMs = newest;
}
