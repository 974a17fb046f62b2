import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RtpTimeline, toRtp } from './rtp-timeline';

describe('RtpTimeline', () => {
  it('compresses a cached group to 1 ms steps, then keeps live spacing', () => {
    const t = new RtpTimeline({ initialTimestamp: 1000 });
    expect(t.mapBurst([0, 6000, 12000, 18000], 10_000)).toEqual([1000, 1090, 1180, 1270]);
    expect(t.map(24000, 10_066)).toBe(1270 + 6000);
    expect(t.map(30000, 10_133)).toBe(1270 + 12000);
  });

  it('rebases after a run break by the wall-clock gap', () => {
    const t = new RtpTimeline({ initialTimestamp: 0 });
    t.map(900_000, 0);
    t.map(906_000, 66);
    t.breakRun();
    // The camera restarts at pts 0, 2 s later.
    expect(t.map(0, 2066)).toBe(6000 + 2000 * 90);
    expect(t.map(6000, 2133)).toBe(6000 + 2000 * 90 + 6000);
  });

  it('rebases a backwards or huge forward step even without a break', () => {
    const t = new RtpTimeline({ initialTimestamp: 0 });
    t.map(100_000, 0);
    expect(t.map(50_000, 100)).toBe(9000);
    expect(t.map(50_000 + 90_000 * 3600, 200)).toBe(18000);
  });

  it('a replay after live frames continues forward', () => {
    const t = new RtpTimeline({ initialTimestamp: 0 });
    t.map(0, 0);
    t.map(6000, 66);
    expect(t.mapBurst([0, 6000], 70)).toEqual([6090, 6180]);
    expect(t.map(12000, 133)).toBe(12180);
  });

  it('never goes backwards (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            pts: fc.integer({ min: 0, max: 2 ** 40 }),
            dtMs: fc.integer({ min: 0, max: 5000 }),
            brk: fc.boolean(),
            burst: fc.integer({ min: 0, max: 3 }),
          }),
          { maxLength: 60 },
        ),
        (steps) => {
          const t = new RtpTimeline({ initialTimestamp: 123 });
          let wall = 0;
          let last = -Infinity;
          for (const s of steps) {
            wall += s.dtMs;
            if (s.brk) t.breakRun();
            const outs =
              s.burst > 0
                ? t.mapBurst(
                    Array.from({ length: s.burst }, (_, i) => s.pts + i * 3000),
                    wall,
                  )
                : [t.map(s.pts, wall)];
            for (const o of outs) {
              expect(o).toBeGreaterThan(last);
              last = o;
            }
          }
        },
      ),
    );
  });

  it('folds into 32 bits', () => {
    expect(toRtp(2 ** 32 + 5)).toBe(5);
    expect(toRtp(-1)).toBe(2 ** 32 - 1);
  });
});
