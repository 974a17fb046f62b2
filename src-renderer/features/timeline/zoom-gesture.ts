// Zoom gestures of the timeline as pure math: the span factor of a wheel or trackpad-pinch event, and
// the window of a two-finger pinch (zoom around the fingers' centre, pan with it). No DOM, no store.
import type { TimeScale } from './ticks';

/** WheelEvent.deltaMode: 0 pixels, 1 lines, 2 pages. */
const LINE_PX = 16;
const PAGE_PX = 400;

/**
 * Span factor (> 1 zooms out) of one wheel event. A trackpad pinch arrives as a wheel event with
 * `ctrlKey` and small continuous deltas: exponential, so pinching out and back returns to the same span.
 * A mouse wheel notch (~100 px) zooms by 1.25× either way; small deltas zoom proportionally less.
 */
export function wheelZoomFactor(deltaY: number, deltaMode: number, ctrlKey: boolean): number {
  const px = deltaY * (deltaMode === 1 ? LINE_PX : deltaMode === 2 ? PAGE_PX : 1);
  if (ctrlKey) return Math.exp(Math.max(-100, Math.min(100, px)) * 0.01);
  const notches = Math.max(-3, Math.min(3, px / 100));
  return Math.pow(1.25, notches);
}

/** A window (start, span). */
export interface TimeView {
  startMs: number;
  spanMs: number;
}

/** Two pointers' x positions (px from the canvas' left). */
export type PinchPoints = readonly [number, number];

/**
 * The window after a pinch moved from `start` to `now` points: the span scales by the inverse of the
 * finger distance ratio and the time under the start centre stays under the current centre (so the
 * gesture zooms around the pinch centre and pans with it). The caller clamps the span.
 */
export function pinchView(
  scale: TimeScale,
  start: PinchPoints,
  now: PinchPoints,
  minDistPx = 8,
): TimeView {
  const d0 = Math.max(minDistPx, Math.abs(start[0] - start[1]));
  const d1 = Math.max(minDistPx, Math.abs(now[0] - now[1]));
  const c0 = (start[0] + start[1]) / 2;
  const c1 = (now[0] + now[1]) / 2;
  const spanMs = scale.spanMs * (d0 / d1);
  const anchorMs = scale.startMs + (c0 / scale.widthPx) * scale.spanMs;
  return { startMs: anchorMs - (c1 / scale.widthPx) * spanMs, spanMs };
}
