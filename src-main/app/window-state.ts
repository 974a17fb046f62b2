// Window placement: restore saved bounds onto a display that still exists (a wall display unplugged, a
// laptop undocked) and pick the display for a wall window. Pure: displays are passed in.
import type { Display, Rectangle } from 'electron';

export type DisplayLike = Pick<Display, 'id' | 'bounds' | 'workArea'>;

function overlapArea(a: Rectangle, b: Rectangle): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/** The display showing most of `bounds`, else the primary. */
export function displayFor(
  bounds: Rectangle,
  displays: readonly DisplayLike[],
  primary: DisplayLike,
): DisplayLike {
  let best = primary;
  let bestArea = 0;
  for (const d of displays) {
    const area = overlapArea(bounds, d.workArea);
    if (area > bestArea) {
      best = d;
      bestArea = area;
    }
  }
  return best;
}

/**
 * Saved bounds moved and shrunk to fit the work area of a display that exists. Bounds mostly off every
 * display are centred on the primary one.
 */
export function clampBounds(
  bounds: Rectangle,
  displays: readonly DisplayLike[],
  primary: DisplayLike,
): Rectangle {
  const visible = displays.some(
    (d) => overlapArea(bounds, d.workArea) >= 0.25 * bounds.width * bounds.height,
  );
  const target = visible ? displayFor(bounds, displays, primary) : primary;
  const area = target.workArea;
  const width = Math.min(Math.max(bounds.width, 320), area.width);
  const height = Math.min(Math.max(bounds.height, 240), area.height);
  if (!visible) {
    return {
      x: area.x + Math.round((area.width - width) / 2),
      y: area.y + Math.round((area.height - height) / 2),
      width,
      height,
    };
  }
  const x = Math.min(Math.max(bounds.x, area.x), area.x + area.width - width);
  const y = Math.min(Math.max(bounds.y, area.y), area.y + area.height - height);
  return { x, y, width, height };
}

/** Where a wall for `displayId` goes: that display if connected, else the primary (it moves back later). */
export function wallDisplay(
  displayId: number,
  displays: readonly DisplayLike[],
  primary: DisplayLike,
): { display: DisplayLike; fallback: boolean } {
  const found = displays.find((d) => d.id === displayId);
  return found ? { display: found, fallback: false } : { display: primary, fallback: true };
}
