// Pointer and wheel gestures of the timeline canvas, wired to the time store: click plays from a time,
// drag anywhere (ruler, playhead or a camera's row; mouse, pen or one finger) scrubs, Shift+drag or
// middle-button drag pans, wheel zooms around the cursor (a horizontal swipe pans), trackpad pinch
// (ctrl+wheel) and two-finger touch pinch zoom around the pinch centre and pan with it, and the export
// selection's handles and band drag. Owns no state the UI shows except the hover position.
import { useEffect, type RefObject } from 'react';
import { timeStore } from '../../stores';
import { dragRange, hitRange, type ExportRange, type RangePart } from '../export';
import { HEADER_PX } from './draw-timeline';
import { msAt, xOf, type TimeScale } from './ticks';
import { pinchView, wheelZoomFactor, type PinchPoints } from './zoom-gesture';

/** A press that moves less than this is a click. */
const CLICK_SLOP_PX = 4;
/** How near the playhead a press grabs it for scrubbing. */
const PLAYHEAD_GRAB_PX = 6;

type Gesture =
  /** On a row: a click seeks there, moving past the slop turns it into a scrub. */
  | { kind: 'press'; x: number }
  | { kind: 'scrub' }
  | { kind: 'pan'; x: number }
  | { kind: 'pinch'; start: PinchPoints; scale: TimeScale; ids: [number, number] }
  | { kind: 'select'; part: RangePart; x: number; range: ExportRange }
  | { kind: 'idle' };

export interface GestureCallbacks {
  /** Pointer position over the canvas (css px), or null when it left. */
  onHover(x: number | null, y: number | null, dragging: boolean): void;
}

function scaleOf(canvas: HTMLCanvasElement): TimeScale {
  const s = timeStore.getState();
  return { startMs: s.viewStartMs, spanMs: s.viewSpanMs, widthPx: canvas.clientWidth || 1 };
}

/** What a press at (x, y) grabs, for the cursor and the gesture. */
function grabAt(canvas: HTMLCanvasElement, x: number, y: number): 'scrub' | RangePart | null {
  const s = timeStore.getState();
  const scale = scaleOf(canvas);
  if (s.selection) {
    const part = hitRange(xOf(scale, s.selection.from), xOf(scale, s.selection.to), x);
    if (part) return part;
  }
  const playX = xOf(scale, s.mode === 'live' ? Date.now() : s.playheadMs);
  if (y < HEADER_PX || Math.abs(x - playX) <= PLAYHEAD_GRAB_PX) return 'scrub';
  return null;
}

const CURSORS: Record<string, string> = {
  from: 'ew-resize',
  to: 'ew-resize',
  band: 'grab',
  scrub: 'col-resize',
};

export function useTimelineGestures(
  canvasRef: RefObject<HTMLCanvasElement | null>,
  callbacks: GestureCallbacks,
) {
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const pointers = new Map<number, number>();
    let g: Gesture = { kind: 'idle' };
    const local = (e: { clientX: number; clientY: number }) => {
      const r = canvas.getBoundingClientRect();
      return { x: e.clientX - r.left, y: e.clientY - r.top };
    };
    const seekTo = (x: number) => {
      // Held beyond the canvas (pointer capture), the playhead stops at the edge: no recentring jumps.
      const ms = Math.round(msAt(scaleOf(canvas), Math.min(Math.max(x, 0), canvas.clientWidth)));
      // Scrubbing past now returns to live; before the window is fine (the store recentres).
      timeStore.getState().seek(ms);
    };

    const onDown = (e: PointerEvent) => {
      const middle = e.pointerType === 'mouse' && e.button === 1;
      if (e.pointerType === 'mouse' && e.button !== 0 && !middle) return;
      const { x, y } = local(e);
      pointers.set(e.pointerId, x);
      try {
        canvas.setPointerCapture(e.pointerId);
      } catch {
        // Synthetic pointers (tests, some touch emulation) cannot be captured: moves still arrive.
      }
      if (pointers.size === 2) {
        const [a, b] = [...pointers.entries()];
        g = {
          kind: 'pinch',
          start: [a![1], b![1]],
          scale: scaleOf(canvas),
          ids: [a![0], b![0]],
        };
        return;
      }
      if (pointers.size > 2) return;
      if (middle || e.shiftKey) {
        g = { kind: 'pan', x };
        return;
      }
      const grab = grabAt(canvas, x, y);
      const sel = timeStore.getState().selection;
      if (grab && grab !== 'scrub' && sel) g = { kind: 'select', part: grab, x, range: sel };
      else if (grab === 'scrub') {
        g = { kind: 'scrub' };
        seekTo(x);
      } else g = { kind: 'press', x };
    };

    const onMove = (e: PointerEvent) => {
      const { x, y } = local(e);
      if (pointers.has(e.pointerId)) pointers.set(e.pointerId, x);
      callbacks.onHover(x, y, g.kind !== 'idle' && g.kind !== 'press');
      if (g.kind === 'idle') {
        canvas.style.cursor = CURSORS[grabAt(canvas, x, y) ?? ''] ?? 'crosshair';
        return;
      }
      if (g.kind === 'pinch') {
        const a = pointers.get(g.ids[0]);
        const b = pointers.get(g.ids[1]);
        if (a === undefined || b === undefined) return;
        const v = pinchView(g.scale, g.start, [a, b]);
        timeStore.getState().setView(v.startMs, v.spanMs);
      } else if (g.kind === 'select') {
        const scale = scaleOf(canvas);
        const deltaMs = ((x - g.x) / scale.widthPx) * scale.spanMs;
        timeStore.getState().setSelection(dragRange(g.range, g.part, deltaMs, Date.now()));
      } else if (g.kind === 'scrub') seekTo(x);
      else if (g.kind === 'press') {
        // A row dragged past the slop scrubs from where the pointer is now.
        if (Math.abs(x - g.x) < CLICK_SLOP_PX) return;
        g = { kind: 'scrub' };
        seekTo(x);
      } else {
        const dx = x - g.x;
        g.x = x;
        const scale = scaleOf(canvas);
        timeStore.getState().pan((-dx / scale.widthPx) * scale.spanMs);
      }
    };

    const onUp = (e: PointerEvent) => {
      const had = pointers.delete(e.pointerId);
      if (!had) return;
      if (g.kind === 'press' && e.type === 'pointerup') seekTo(local(e).x);
      // Lifting one finger of a pinch ends the gesture: the other does not start a pan (no jump).
      if (g.kind === 'pinch' || pointers.size === 0) g = { kind: 'idle' };
    };

    // The middle button pans: no autoscroll.
    const onMouseDown = (e: MouseEvent) => {
      if (e.button === 1) e.preventDefault();
    };

    const onLeave = () => {
      if (pointers.size === 0) callbacks.onHover(null, null, false);
    };

    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const s = timeStore.getState();
      const scale = scaleOf(canvas);
      // Horizontal two-finger swipe pans; vertical wheel and pinch zoom.
      if (!e.ctrlKey && Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
        s.pan((e.deltaX / scale.widthPx) * scale.spanMs);
        return;
      }
      const anchor = msAt(scale, local(e).x);
      s.zoom(wheelZoomFactor(e.deltaY, e.deltaMode, e.ctrlKey), anchor);
    };

    canvas.addEventListener('pointerdown', onDown);
    canvas.addEventListener('mousedown', onMouseDown);
    canvas.addEventListener('pointermove', onMove);
    canvas.addEventListener('pointerup', onUp);
    canvas.addEventListener('pointercancel', onUp);
    canvas.addEventListener('pointerleave', onLeave);
    canvas.addEventListener('wheel', onWheel, { passive: false });
    return () => {
      canvas.removeEventListener('pointerdown', onDown);
      canvas.removeEventListener('mousedown', onMouseDown);
      canvas.removeEventListener('pointermove', onMove);
      canvas.removeEventListener('pointerup', onUp);
      canvas.removeEventListener('pointercancel', onUp);
      canvas.removeEventListener('pointerleave', onLeave);
      canvas.removeEventListener('wheel', onWheel);
    };
    // The callbacks object is read at event time; it must be stable (useMemo in the caller).
  }, [canvasRef, callbacks]);
}
