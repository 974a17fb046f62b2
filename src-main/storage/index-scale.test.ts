// Scale check: a synthetic index of 64 cameras × 30 days (60-s segments of ~1-s fragments).
// Prints build time, database size per stream-day and query times; asserts results, not timings.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeFragmentIndex } from './fragment-index';
import type { FragmentRecord } from './fragment-index';
import { segmentRelativePath } from './paths';
import { RecordingIndex } from './recording-index';
import { DAY_MS, RetentionManager } from './retention';
import { makeTempDir } from './test-support';
import type { TempDir } from './test-support';

/** NVR_INDEX_SCALE_CAMERAS scales the build down (about 30 µs and 500 bytes per segment). */
const CAMERAS = Number(process.env.NVR_INDEX_SCALE_CAMERAS ?? 4);
const DAYS = 30;
const SEGMENT_MS = 60_000;
const SEGMENTS_PER_DAY = DAY_MS / SEGMENT_MS;
const T0 = Date.UTC(2024, 0, 1);
const INIT_SIZE = 700;

let tmp: TempDir;
let index: RecordingIndex;
const lines: string[] = [];

/** A pseudo-random 60-s segment: 2 Mbit/s ± 30 %, 15 fps with timestamp jitter, keyframe every 2 s. */
function makeBlob(seed: number): { blob: Uint8Array; sizeBytes: number } {
  let x = seed * 2654435761;
  const rnd = () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const fragments: FragmentRecord[] = [];
  let offset = INIT_SIZE;
  let pts = seed * 5_400_000;
  for (let i = 0; i < 60; i++) {
    const sizeBytes = Math.round(250_000 * (0.7 + 0.6 * rnd()));
    const duration90k = 90_000 + Math.round((rnd() - 0.5) * 200);
    fragments.push({
      offset,
      sizeBytes,
      startPts90k: pts,
      duration90k,
      sampleCount: 15,
      isKeyframe: i % 2 === 0,
    });
    offset += sizeBytes;
    pts += duration90k;
  }
  return { blob: encodeFragmentIndex(fragments), sizeBytes: offset };
}

function ms(fn: () => unknown): [number, unknown] {
  const t = performance.now();
  const r = fn();
  return [performance.now() - t, r];
}

beforeAll(() => {
  tmp = makeTempDir('nvr-index-scale-');
  index = RecordingIndex.open({ dataDir: tmp.dir, clock: { nowMs: () => T0 + DAYS * DAY_MS } });
  const blobs = Array.from({ length: 97 }, (_, i) => makeBlob(i + 1));
  const insert = index.db.prepare(
    `INSERT INTO segments (stream_id, run_id, start_ms, end_ms, path, size_bytes, init_size, codec, open,
       fragment_count, fragment_index) VALUES (?, ?, ?, ?, ?, ?, ?, 'h264', 0, 60, ?)`,
  );
  const t = performance.now();
  let n = 0;
  const cameras = Array.from({ length: CAMERAS }, (_, c) => `cam-${String(c).padStart(2, '0')}`);
  for (const id of cameras)
    index.cameras.insert({
      id,
      config: { recording: { retentionDays: DAYS } },
      createdMs: 0,
      updatedMs: 0,
    });
  const streamIds = cameras.map((id) => index.streamId(id, 'main'));
  // Day by day, all cameras at once (the order a recorder writes in); one run per camera-day,
  // split by a 10-minute outage at a camera-specific time.
  for (let d = 0; d < DAYS; d++) {
    const dayStart = T0 + d * DAY_MS;
    index.transaction(() => {
      const runs = cameras.map((cameraId) =>
        index.createRun({ cameraId, stream: 'main', startMs: dayStart }),
      );
      for (let s = 0; s < SEGMENTS_PER_DAY; s++) {
        const startMs = dayStart + s * SEGMENT_MS;
        for (let c = 0; c < CAMERAS; c++) {
          const outage = (c * 37 + d * 11) % (SEGMENTS_PER_DAY - 20);
          if (s >= outage && s < outage + 10) continue;
          if (s === outage + 10)
            runs[c] = index.createRun({ cameraId: cameras[c]!, stream: 'main', startMs });
          const b = blobs[n++ % blobs.length]!;
          const path = segmentRelativePath(cameras[c]!, 'main', startMs);
          insert.run(
            streamIds[c],
            runs[c],
            startMs,
            startMs + SEGMENT_MS,
            path,
            b.sizeBytes,
            INIT_SIZE,
            b.blob,
          );
        }
      }
      for (const runId of runs) index.closeRun(runId, 0);
    });
  }
  index.db
    .prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('max_segment_ms', ?)")
    .run(SEGMENT_MS);
  index.db.pragma('wal_checkpoint(TRUNCATE)');
  index.close();
  index = RecordingIndex.open({ dataDir: tmp.dir, clock: { nowMs: () => T0 + DAYS * DAY_MS } });
  const buildMs = performance.now() - t;
  const dbBytes = fs.statSync(path.join(tmp.dir, 'index.db')).size;
  const streamDays = CAMERAS * DAYS;
  const fragmentBytes = index.db
    .prepare('SELECT SUM(LENGTH(fragment_index)) FROM segments')
    .pluck()
    .get() as number;
  lines.push(
    `built ${n} segments (${CAMERAS} cameras × ${DAYS} days) in ${(buildMs / 1000).toFixed(1)} s`,
    `database ${(dbBytes / 2 ** 20).toFixed(0)} MiB = ${(dbBytes / streamDays / 1024).toFixed(0)} KiB per stream-day ` +
      `(${(dbBytes / streamDays / 1440).toFixed(0)} B per stream-minute); fragment indexes alone ` +
      `${(fragmentBytes / streamDays / 1024).toFixed(0)} KiB per stream-day (${(fragmentBytes / n / 60).toFixed(2)} B per fragment)`,
  );
}, 600_000);

afterAll(() => {
  console.log([`index scale (${CAMERAS} cameras × ${DAYS} days):`, ...lines].join('\n  '));
  index?.close();
  tmp?.cleanup();
});

describe('index at many cameras × 30 days', () => {
  it('answers timeline range queries', () => {
    const w = (
      fromMs: number,
      toMs: number,
      cameraId = `cam-${String(Math.min(7, CAMERAS - 1)).padStart(2, '0')}`,
    ) => ({
      cameraId,
      stream: 'main',
      fromMs,
      toMs,
    });
    index.queryRanges(w(T0, T0 + DAY_MS)); // warm the statement
    const [dayMs, day] = ms(() => index.queryRanges(w(T0 + 5 * DAY_MS, T0 + 6 * DAY_MS)));
    expect(day).toHaveLength(2); // the outage splits the day
    const [monthMs, month] = ms(() => index.queryRanges(w(T0, T0 + DAYS * DAY_MS)));
    expect((month as unknown[]).length).toBeGreaterThanOrEqual(DAYS + 1);
    expect((month as unknown[]).length).toBeLessThanOrEqual(2 * DAYS);
    const [allHourMs, allHour] = ms(() =>
      Array.from({ length: CAMERAS }, (_, c) =>
        index.queryRanges(
          w(T0 + 9.5 * DAY_MS, T0 + 9.5 * DAY_MS + 3_600_000, `cam-${String(c).padStart(2, '0')}`),
        ),
      ),
    );
    expect((allHour as unknown[][]).every((r) => r.length >= 1)).toBe(true);
    const [allDayMs] = ms(() =>
      Array.from({ length: CAMERAS }, (_, c) =>
        index.queryRanges(
          w(T0 + 9 * DAY_MS, T0 + 10 * DAY_MS, `cam-${String(c).padStart(2, '0')}`),
        ),
      ),
    );
    const [allMonthMs] = ms(() =>
      Array.from({ length: CAMERAS }, (_, c) =>
        index.queryRanges(w(T0, T0 + DAYS * DAY_MS, `cam-${String(c).padStart(2, '0')}`)),
      ),
    );
    lines.push(
      `queryRanges: 1 stream × 1 day ${dayMs.toFixed(2)} ms; 1 stream × 30 days ${monthMs.toFixed(1)} ms; ` +
        `${CAMERAS} streams × 1 hour ${allHourMs.toFixed(1)} ms; ${CAMERAS} streams × 1 day ${allDayMs.toFixed(1)} ms; ` +
        `${CAMERAS} streams × 30 days ${allMonthMs.toFixed(0)} ms`,
    );
  });

  it('gives the same ranges as merging the segments themselves', () => {
    const cameraId = `cam-${String(Math.min(33, CAMERAS - 1)).padStart(2, '0')}`;
    const streamId = index.streamId(cameraId, 'main');
    const segs = index.db
      .prepare('SELECT start_ms, end_ms FROM segments WHERE stream_id = ? ORDER BY start_ms')
      .raw()
      .all(streamId) as [number, number][];
    const merged: { startMs: number; endMs: number }[] = [];
    for (const [startMs, endMs] of segs) {
      const last = merged[merged.length - 1];
      // Runs also break at midnight here, although the segments touch.
      if (last && startMs === last.endMs && startMs % DAY_MS !== T0 % DAY_MS) last.endMs = endMs;
      else merged.push({ startMs, endMs });
    }
    expect(index.queryRanges({ cameraId, stream: 'main', fromMs: 0, toMs: T0 * 2 })).toEqual(
      merged,
    );
  });

  it('answers segment queries with decoded fragment indexes', () => {
    const [hourMs, segs] = ms(() =>
      index.querySegments({
        cameraId: `cam-${String(CAMERAS - 1).padStart(2, '0')}`,
        stream: 'main',
        fromMs: T0 + 20 * DAY_MS + 3_600_000,
        toMs: T0 + 20 * DAY_MS + 7_200_000,
      }),
    );
    const rows = segs as { fragments: unknown[] }[];
    expect(rows.length).toBeGreaterThanOrEqual(50);
    expect(rows.every((s) => s.fragments.length === 60)).toBe(true);
    const [usageMs, usage] = ms(() => index.usage());
    expect(usage).toHaveLength(CAMERAS);
    lines.push(
      `querySegments 1 stream × 1 hour ${hourMs.toFixed(2)} ms; usage() ${usageMs.toFixed(2)} ms`,
    );
  });

  it('runs retention passes', () => {
    const mgr = new RetentionManager({ index });
    const [idleMs, idle] = ms(() => mgr.run());
    expect(idle).toMatchObject({ deletedSegments: 0 });
    const total = index.usage().reduce((n, u) => n + u.sizeBytes, 0);
    const perMinute = total / (CAMERAS * DAYS * (SEGMENTS_PER_DAY - 10));
    mgr.configure({ quotaBytes: total - CAMERAS * 60 * perMinute }); // about the oldest hour of every camera
    const [quotaMs, report] = ms(() => mgr.run());
    expect((report as { deletedSegments: number }).deletedSegments).toBeGreaterThan(CAMERAS * 55);
    lines.push(
      `retention: idle pass ${idleMs.toFixed(1)} ms; quota pass deleting ${(report as { deletedSegments: number }).deletedSegments} segments ${quotaMs.toFixed(0)} ms`,
    );
    mgr.dispose();
  });
});
