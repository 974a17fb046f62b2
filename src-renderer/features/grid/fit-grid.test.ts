import { describe, expect, it } from 'vitest';
import { fitGrid } from './fit-grid';

describe('fitGrid', () => {
  it('is limited by height in a wide pane and keeps 16:9', () => {
    const r = fitGrid({ widthPx: 1600, heightPx: 600, cols: 2, rows: 2, gapPx: 4, paddingPx: 0 });
    expect(r.cellHeightPx).toBeLessThanOrEqual(298);
    expect(r.cellWidthPx / r.cellHeightPx).toBeCloseTo(16 / 9, 1);
    expect(2 * r.cellHeightPx + 4).toBeLessThanOrEqual(600);
  });

  it('is limited by width in a tall pane', () => {
    const r = fitGrid({ widthPx: 800, heightPx: 2000, cols: 3, rows: 3, gapPx: 4, paddingPx: 6 });
    expect(3 * r.cellWidthPx + 2 * 4 + 12).toBeLessThanOrEqual(800);
    expect(r.cellWidthPx).toBe(Math.floor((800 - 12 - 8) / 3));
  });

  it('never goes negative', () => {
    expect(fitGrid({ widthPx: 0, heightPx: 0, cols: 4, rows: 4, gapPx: 4, paddingPx: 6 })).toEqual({
      cellWidthPx: 0,
      cellHeightPx: 0,
    });
  });
});
