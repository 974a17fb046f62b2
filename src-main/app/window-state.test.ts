// Window placement: saved bounds clamp to a display that exists; a wall falls back to the primary display.
import { describe, expect, it } from 'vitest';
import { clampBounds, displayFor, wallDisplay, type DisplayLike } from './window-state';

const display = (id: number, x: number, width = 1920, height = 1080): DisplayLike => ({
  id,
  bounds: { x, y: 0, width, height },
  workArea: { x, y: 0, width, height: height - 40 },
});
const primary = display(1, 0);
const right = display(2, 1920);

describe('window state', () => {
  it('keeps bounds that fit a connected display', () => {
    const b = { x: 2000, y: 100, width: 1200, height: 800 };
    expect(clampBounds(b, [primary, right], primary)).toEqual(b);
    expect(displayFor(b, [primary, right], primary).id).toBe(2);
  });

  it('moves a window whose display was unplugged onto the primary display, centred', () => {
    const b = { x: 2000, y: 100, width: 1200, height: 800 };
    expect(clampBounds(b, [primary], primary)).toEqual({
      x: 360,
      y: 120,
      width: 1200,
      height: 800,
    });
  });

  it('shrinks and pulls in bounds that overhang the work area', () => {
    const b = { x: -100, y: 500, width: 3000, height: 900 };
    const out = clampBounds(b, [primary], primary);
    expect(out).toEqual({ x: 0, y: 140, width: 1920, height: 900 });
  });

  it('puts a wall on its display, or the primary one while it is gone', () => {
    expect(wallDisplay(2, [primary, right], primary)).toEqual({ display: right, fallback: false });
    expect(wallDisplay(2, [primary], primary)).toEqual({ display: primary, fallback: true });
  });
});
