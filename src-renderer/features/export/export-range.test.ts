// Export dialog logic: default range, validation, local input round trip, job merging, sizes.
import { describe, expect, it } from 'vitest';
import type { ExportJob } from '../../../src-preload/contract';
import {
  defaultExportRange,
  formatBytes,
  fromLocalInput,
  rangeProblem,
  toLocalInput,
  upsertJob,
} from './export-range';

const NOW = 1_790_000_000_500;

describe('export range', () => {
  it('defaults to the 5 minutes before the playhead, or before now when live', () => {
    expect(defaultExportRange('live', 0, NOW)).toEqual({
      from: 1_790_000_000_000 - 300_000,
      to: 1_790_000_000_000,
    });
    expect(defaultExportRange('playback', NOW - 3_600_000, NOW)).toEqual({
      from: 1_789_996_400_000 - 300_000,
      to: 1_789_996_400_000,
    });
    expect(defaultExportRange('playback', NOW - 10_000, NOW, 60_000).to - 60_000).toBe(
      defaultExportRange('playback', NOW - 10_000, NOW, 60_000).from,
    );
  });

  it('says what is wrong with a range', () => {
    expect(rangeProblem({ from: NOW - 1_000, to: NOW }, NOW)).toBeNull();
    expect(rangeProblem({ from: NOW, to: NOW - 1 }, NOW)).toMatch(/after the start/);
    expect(rangeProblem({ from: NaN, to: NOW }, NOW)).toMatch(/Enter/);
    expect(rangeProblem({ from: NOW + 5_000, to: NOW + 9_000 }, NOW)).toMatch(/future/);
    expect(rangeProblem({ from: NOW - 25 * 3_600_000, to: NOW }, NOW)).toMatch(/24 hours/);
  });

  it('round-trips local datetime-input text on whole seconds', () => {
    const ms = 1_790_000_123_000;
    expect(toLocalInput(ms)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
    expect(fromLocalInput(toLocalInput(ms))).toBe(ms);
    expect(fromLocalInput(toLocalInput(ms).slice(0, 16))).toBe(ms - ((ms / 1000) % 60) * 1000);
    expect(fromLocalInput('yesterday')).toBeNaN();
  });

  it('merges progress events into the job list', () => {
    const job = (id: string, progress: number): ExportJob => ({
      id,
      state: progress < 1 ? 'running' : 'done',
      progress,
      bytes: 0,
      request: { cameraIds: ['door'], from: 0, to: 1, stream: 'main', gaps: 'preserve' },
      createdMs: 0,
    });
    let jobs = upsertJob([], job('a', 0));
    jobs = upsertJob(jobs, job('b', 0));
    jobs = upsertJob(jobs, job('a', 0.5));
    expect(jobs.map((j) => [j.id, j.progress])).toEqual([
      ['a', 0.5],
      ['b', 0],
    ]);
  });

  it('formats sizes', () => {
    expect([512, 12_345, 4_500_000, 2_100_000_000].map(formatBytes)).toEqual([
      '512 B',
      '12 kB',
      '4.5 MB',
      '2.1 GB',
    ]);
  });
});
