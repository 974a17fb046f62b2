// Disk forecast arithmetic of the status panel.
import { describe, expect, it } from 'vitest';
import { cameraReconnects, cameraUptimeMs, daysAtRate, formatDays } from './system-math';

describe('disk forecast', () => {
  it('divides recordings + free space by the daily volume at the current rate', () => {
    // 8 Mb/s = 1 MB/s = 86.4 GB/day; 864 GB → 10 days
    expect(daysAtRate({ freeBytes: 800e9, recordingsBytes: 64e9 }, 8_000)).toBeCloseTo(10, 9);
    expect(daysAtRate({ freeBytes: 1e9, recordingsBytes: 0 }, 0)).toBeUndefined();
  });
  it('says it in words', () => {
    expect([undefined, 0.2, 10.4, 400].map(formatDays)).toEqual([
      'nothing is recording',
      'about 5 hours',
      'about 10 days',
      'more than a year',
    ]);
  });
});

describe('camera uptime and reconnects', () => {
  it('takes the main stream uptime and sums reconnects of both streams', () => {
    const status = {
      state: 'streaming' as const,
      streams: {
        main: { state: 'streaming' as const, uptimeMs: 5000, reconnects: 2 },
        sub: { state: 'streaming' as const, uptimeMs: 9000, reconnects: 1 },
      },
    };
    expect(cameraUptimeMs(status)).toBe(5000);
    expect(cameraReconnects(status)).toBe(3);
    expect(cameraUptimeMs({ state: 'idle', streams: {} })).toBeUndefined();
    expect(cameraReconnects({ state: 'idle', streams: {} })).toBeUndefined();
    expect(cameraUptimeMs(undefined)).toBeUndefined();
  });
});
