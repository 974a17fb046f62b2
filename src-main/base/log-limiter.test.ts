import { describe, expect, it } from 'vitest';
import { FakeClock } from './clock';
import { createLogger, memorySink } from './logger';
import { LogLimiter } from './log-limiter';

describe('LogLimiter', () => {
  it('logs the first records of a key per window, then one summary with the count', () => {
    const mem = memorySink();
    const clock = new FakeClock(0);
    const limiter = new LogLimiter(createLogger({ level: 'info', sink: mem.sink }), {
      perWindow: 3,
      windowMs: 60_000,
      nowMs: () => clock.monotonicMs(),
    });
    for (let i = 0; i < 1000; i++) {
      limiter.log('warn', 'cam1/main/malformed', { cameraId: 'cam1' }, 'bad timestamps');
      limiter.log('warn', 'cam2/main/malformed', { cameraId: 'cam2' }, 'bad timestamps');
      clock.advance(100); // 100 s in all
    }
    const recs = mem.records();
    // Two windows have opened per key (0 s, 60 s): 3 + 3 records each, the second with a summary.
    expect(recs.filter((r) => r.cameraId === 'cam1')).toHaveLength(6);
    expect(recs.filter((r) => r.cameraId === 'cam2')).toHaveLength(6);
    const summary = recs.find((r) => r.cameraId === 'cam1' && r.suppressed !== undefined);
    expect(summary).toMatchObject({ suppressed: 597, msg: 'bad timestamps' });
    expect(recs.filter((r) => r.rateLimited === true)).toHaveLength(4);
    expect(limiter.suppressedTotal).toBe(2000 - 12);
  });

  it('forgets the oldest keys beyond its bound', () => {
    const mem = memorySink();
    const limiter = new LogLimiter(createLogger({ level: 'info', sink: mem.sink }), {
      perWindow: 1,
      nowMs: () => 0,
      maxKeys: 2,
    });
    for (const k of ['a', 'b', 'c', 'a']) limiter.log('info', k, {}, k);
    expect(mem.records().map((r) => r.msg)).toEqual(['a', 'b', 'c', 'a']);
  });
});
