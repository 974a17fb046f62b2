// The playing tiles as one group: the shared clock never runs more than a little ahead of the slowest
// tile that is keeping up, so tiles that cannot follow the speed (16× over byte-range HLS on a busy
// machine) hold the others back instead of falling seconds behind them. A tile that stops advancing for
// a while (a stall, a missing fragment) leaves the hold until it moves again, so it never freezes the
// clock. Module state: the members of the page's one group; the hold arithmetic is pure.
import { clockAt, type TimeState } from '../../stores';

/** How far the clock may run ahead of the slowest member (ms of footage) at a speed. */
export function holdSlackMs(rate: number): number {
  return Math.max(40, 25 * rate);
}

/** The latest time the clock may show given the members' shown times, or undefined (no member). */
export function holdLimitMs(shownMs: readonly number[], rate: number): number | undefined {
  if (shownMs.length === 0) return undefined;
  return Math.min(...shownMs) + holdSlackMs(rate);
}

/** A tile that has not advanced for this long (wall ms) no longer holds the clock. */
export const STALL_RELEASE_MS = 1_500;

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

/** One tile: its shown wall-clock time while it plays and keeps up, else undefined. */
export type GroupMember = () => number | undefined;

const members = new Set<GroupMember>();

/** Adds a tile to the group; returns its removal. */
export function joinSyncGroup(member: GroupMember): () => void {
  members.add(member);
  return () => members.delete(member);
}

/** The clock's limit from the group now (for the time store's tick), or undefined when nobody holds. */
export function groupHoldMs(rate: number): number | undefined {
  const shown: number[] = [];
  for (const m of members) {
    const t = m();
    if (t !== undefined) shown.push(t);
  }
  return holdLimitMs(shown, rate);
}

/** The clock as the tiles follow it: the store's clock, held back by the slowest member. */
export function groupClockAt(
  s: Pick<TimeState, 'mode' | 'playheadMs' | 'playing' | 'rate' | 'lastTickMs'>,
  nowMs: number,
): number {
  const clockMs = clockAt(s, nowMs);
  if (s.mode !== 'playback' || !s.playing) return clockMs;
  const holdMs = groupHoldMs(s.rate);
  return holdMs === undefined ? clockMs : Math.max(s.playheadMs, Math.min(clockMs, holdMs));
}
