// Timeline geometry: time ↔ x, and which ticks to draw for a window (local-time aligned, labels ≥ ~90 px apart).
// Pure functions (tested); drawing lives in draw-timeline.ts.
const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

/** Candidate label steps, smallest first. */
export const TICK_STEPS_MS = [
  1 * S,
  5 * S,
  10 * S,
  30 * S,
  1 * M,
  5 * M,
  10 * M,
  15 * M,
  30 * M,
  1 * H,
  2 * H,
  3 * H,
  6 * H,
  12 * H,
  1 * D,
];

export interface Tick {
  ms: number;
  xPx: number;
  /** Major ticks carry a label. */
  major: boolean;
}

export interface TimeScale {
  startMs: number;
  spanMs: number;
  widthPx: number;
}

export const xOf = (s: TimeScale, ms: number) => ((ms - s.startMs) / s.spanMs) * s.widthPx;
export const msAt = (s: TimeScale, xPx: number) => s.startMs + (xPx / s.widthPx) * s.spanMs;

/** The smallest step whose labels are at least `minLabelPx` apart. */
export function pickStep(s: TimeScale, minLabelPx = 90): number {
  const pxPerMs = s.widthPx / s.spanMs;
  return (
    TICK_STEPS_MS.find((step) => step * pxPerMs >= minLabelPx) ??
    TICK_STEPS_MS[TICK_STEPS_MS.length - 1]!
  );
}

/** Minor subdivisions per major step. */
function minorCount(stepMs: number): number {
  if (stepMs === 5 * S || stepMs === 5 * M || stepMs === 10 * M) return 5;
  if (stepMs === 15 * M || stepMs === 3 * H) return 3;
  if (stepMs === 6 * H || stepMs === 12 * H || stepMs === D) return stepMs / H >= 12 ? 4 : 6;
  return stepMs === 30 * S || stepMs === 30 * M ? 6 : stepMs >= H ? 4 : 2;
}

/**
 * Ticks of the window, aligned to local wall-clock (a 1 h step lands on :00 local; a 1 d step on local
 * midnight). `tzOffsetMin` is `Date#getTimezoneOffset()` (minutes, UTC − local), injectable for tests.
 */
export function computeTicks(
  s: TimeScale,
  tzOffsetMin = new Date(s.startMs).getTimezoneOffset(),
  minLabelPx = 90,
): Tick[] {
  if (s.widthPx <= 0 || s.spanMs <= 0) return [];
  const step = pickStep(s, minLabelPx);
  const minor = step / minorCount(step);
  const offsetMs = -tzOffsetMin * M; // local = utc + offset
  const first = Math.floor((s.startMs + offsetMs) / minor) * minor - offsetMs;
  const out: Tick[] = [];
  for (let ms = first; ms <= s.startMs + s.spanMs; ms += minor) {
    if (ms < s.startMs) continue;
    const local = ms + offsetMs;
    out.push({ ms, xPx: xOf(s, ms), major: ((local % step) + step) % step === 0 });
    if (out.length > 2000) break;
  }
  return out;
}
