import { describe, expect, it } from 'vitest';
import { MOVE_REFRESH_MS, MOVE_TIMEOUT_MS, PAD_GRID, keyAction, velocityOf } from './ptz-moves';

describe('ptz moves', () => {
  it('turns directions into pan/tilt velocities at the chosen speed', () => {
    expect(velocityOf('up', 0.5)).toEqual({ pan: 0, tilt: 0.5, zoom: 0 });
    expect(velocityOf('down-left', 1)).toEqual({ pan: -1, tilt: -1, zoom: 0 });
    expect(velocityOf('in', 0.3)).toEqual({ pan: 0, tilt: 0, zoom: 0.3 });
    expect(velocityOf('out', 2)).toEqual({ pan: 0, tilt: 0, zoom: -1 });
    // Never a zero-speed move, never -0.
    expect(velocityOf('right', 0).pan).toBeGreaterThan(0);
    expect(Object.is(velocityOf('right', 1).tilt, -0)).toBe(false);
  });

  it('maps arrows and +/- to moves and nothing else', () => {
    expect(keyAction('ArrowLeft')).toBe('left');
    expect(keyAction('ArrowUp')).toBe('up');
    expect(keyAction('+')).toBe('in');
    expect(keyAction('-')).toBe('out');
    expect(keyAction('l')).toBeUndefined();
    expect(keyAction(' ')).toBeUndefined();
  });

  it('has eight directions around home and refreshes a held move before it times out', () => {
    expect(PAD_GRID).toHaveLength(9);
    expect(PAD_GRID[4]).toBe('home');
    expect(new Set(PAD_GRID).size).toBe(9);
    expect(MOVE_REFRESH_MS).toBeLessThan(MOVE_TIMEOUT_MS);
  });
});
