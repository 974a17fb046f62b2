// index: timeline queries over a synthetic index of real shape (64 cameras × 30 days of 60-s segments
// by default): ranges + gaps + per-day and per-hour coverage of every camera, one camera's 30 days, one
// stream-hour of segments (a playlist's input); database size per stream-day. Target: < 50 ms.
// (The file is not called index.ts: that name is the scenario registry.)
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DAY_MS, queryTimeline } from '../../src-main/playback';
import { RecordingIndex, fillSyntheticIndex } from '../lib/synthetic-index';
import { percentile } from '../lib/percentile';
import type { BenchRow, Scenario } from '../lib/types';

const END_MS = Date.UTC(2026, 0, 31);

function timeIt(runs: number, fn: () => unknown): number[] {
  fn(); // warm the statement cache and the page cache once
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    out.push(performance.now() - t);
  }
  return out;
}

export const indexQuery: Scenario = {
  name: 'index',
  description:
    'Timeline query time over a synthetic index (64 cameras × 30 days): all cameras with per-day and per-hour coverage, one camera, one stream-hour of segments; index size per stream-day. Target < 50 ms.',
  async run(ctx) {
    const cameras = Number(ctx.option('cameras', '64'));
    const days = Number(ctx.option('days', '30'));
    const runs = Number(ctx.option('runs', '30'));
    const dir = ctx.tempDir();
    ctx.log(`building ${cameras} cameras × ${days} days …`);
    const t0 = performance.now();
    let index = RecordingIndex.open({ dataDir: dir, clock: { nowMs: () => END_MS } });
    const { cameraIds, segments } = fillSyntheticIndex(index, { cameras, days, endMs: END_MS });
    index.close();
    const buildSec = (performance.now() - t0) / 1000;
    const dbBytes = fs.statSync(path.join(dir, 'index.db')).size;
    index = RecordingIndex.open({ dataDir: dir, clock: { nowMs: () => END_MS } });
    const streams = cameraIds.map((cameraId) => ({ cameraId, stream: 'main' }));
    const window = { fromMs: END_MS - days * DAY_MS, toMs: END_MS };
    ctx.log(`built ${segments} segments in ${buildSec.toFixed(1)} s; measuring …`);

    const cases: { name: string; fn: () => unknown }[] = [
      {
        name: `${cameras} cameras × ${days} d, ranges + gaps + per-day coverage`,
        fn: () => queryTimeline(index, { streams, ...window, bucket: 'day' }),
      },
      {
        name: `${cameras} cameras × ${days} d, ranges + gaps + per-hour coverage`,
        fn: () => queryTimeline(index, { streams, ...window, bucket: 'hour' }),
      },
      {
        name: `1 camera × ${days} d, ranges + gaps`,
        fn: () => queryTimeline(index, { streams: streams.slice(0, 1), ...window }),
      },
      {
        name: `${cameras} cameras × 1 d (the day view)`,
        fn: () =>
          queryTimeline(index, { streams, fromMs: END_MS - DAY_MS, toMs: END_MS, bucket: 'hour' }),
      },
      {
        name: '1 stream × 1 h of segments (a playlist’s rows)',
        fn: () =>
          index.querySegments({
            cameraId: cameraIds[0]!,
            stream: 'main',
            fromMs: END_MS - 5 * 3_600_000,
            toMs: END_MS - 4 * 3_600_000,
          }),
      },
    ];
    const rows: BenchRow[] = [];
    const summary: Record<string, number> = { cameras, days, segments, buildSec, dbBytes };
    for (const c of cases) {
      const samples = timeIt(runs, c.fn);
      rows.push({ case: c.name, metric: 'p50', value: percentile(samples, 50), unit: 'ms' });
      rows.push({ case: c.name, metric: 'p95', value: percentile(samples, 95), unit: 'ms' });
      summary[`${c.name}: p50 ms`] = percentile(samples, 50);
      summary[`${c.name}: p95 ms`] = percentile(samples, 95);
    }
    const perStreamDayKiB = dbBytes / (cameras * days) / 1024;
    rows.push({
      case: 'index size',
      metric: 'database per stream-day',
      value: perStreamDayKiB,
      unit: 'KiB',
    });
    rows.push({
      case: 'index size',
      metric: 'whole database',
      value: dbBytes / 2 ** 20,
      unit: 'MiB',
    });
    summary.perStreamDayKiB = perStreamDayKiB;
    index.close();
    return { rows, summary };
  },
};
