// Export dialog logic: default range, validation, local input round trip, job merging, sizes.
import { describe, expect, it } from 'vitest';
import type { ExportJob } from '../../../src-preload/contract';
import {
  MAX_EXPORT_MS,
  MIN_EXPORT_MS,
  defaultExportRange,
  dragRange,
  estimateSizes,
  hitRange,
  presetRange,
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

  it('drags a handle within its limits, on whole seconds', () => {
    const r = { from: 1_790_000_000_000 - 300_000, to: 1_790_000_000_000 };
    expect(dragRange(r, 'from', -60_400, NOW)).toEqual({ from: r.from - 60_000, to: r.to });
    // The start cannot pass the end (at least a second), nor sit more than 24 h before it.
    expect(dragRange(r, 'from', 10 * 60_000, NOW)).toEqual({
      from: r.to - MIN_EXPORT_MS,
      to: r.to,
    });
    expect(dragRange(r, 'from', -48 * 3_600_000, NOW).from).toBe(r.to - MAX_EXPORT_MS);
    // The end stops at now.
    expect(dragRange({ ...r, to: r.to - 60_000 }, 'to', 10 * 60_000, NOW).to).toBe(
      1_790_000_000_000,
    );
    expect(dragRange(r, 'to', -400_000, NOW)).toEqual({ from: r.from, to: r.from + MIN_EXPORT_MS });
  });

  it('moves the band whole, never past now', () => {
    const r = { from: NOW - 3_600_000, to: NOW - 3_000_000 };
    const moved = dragRange(r, 'band', 100_000, NOW);
    expect(moved.to - moved.from).toBe(r.to - r.from);
    expect(moved.to).toBe(Math.round((r.to + 100_000) / 1000) * 1000);
    const capped = dragRange(r, 'band', 7_200_000, NOW);
    expect(capped.to).toBe(1_790_000_000_000);
    expect(capped.to - capped.from).toBe(r.to - r.from);
  });

  it('applies a preset length ending at the range end', () => {
    expect(presetRange({ from: NOW - 900_000, to: NOW - 500 }, 30_000, NOW)).toEqual({
      from: NOW - 500 - 30_000,
      to: NOW - 500,
    });
    expect(presetRange({ from: 0, to: NOW + 9_000 }, 60_000, NOW).to).toBe(1_790_000_000_000);
  });

  it('hit-tests the handles and the band', () => {
    expect(hitRange(100, 300, 104)).toBe('from');
    expect(hitRange(100, 300, 296)).toBe('to');
    expect(hitRange(100, 300, 200)).toBe('band');
    expect(hitRange(100, 300, 50)).toBeNull();
    // Handles close together: the nearer one wins.
    expect(hitRange(100, 104, 103)).toBe('to');
    expect(hitRange(100, 104, 101)).toBe('from');
  });

  it('estimates sizes from recorded time and bitrate', () => {
    const e = estimateSizes([
      { id: 'door', recordedMs: 60_000, bitrateKbps: 2_000 },
      { id: 'yard', recordedMs: 30_000, bitrateKbps: 1_000 },
      { id: 'lobby', recordedMs: 60_000, bitrateKbps: undefined },
    ]);
    expect(e.bytes).toEqual({ door: 15_000_000, yard: 3_750_000, lobby: undefined });
    expect(e.totalBytes).toBe(18_750_000);
  });

  it("prefers the index's recorded bytes over the live bitrate (a 0 kb/s live reading)", () => {
    const e = estimateSizes([
      { id: 'door', recordedMs: 60_000, recordedBytes: 2_600_000, bitrateKbps: 0 },
      { id: 'yard', recordedMs: 0, recordedBytes: 0, bitrateKbps: 1_000 },
    ]);
    expect(e.bytes).toEqual({ door: 2_600_000, yard: 0 });
    expect(e.totalBytes).toBe(2_600_000);
  });
});
