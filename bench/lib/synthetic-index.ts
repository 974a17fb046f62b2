// A synthetic recording index of real shape for benchmarks: N cameras × D days of 60-s segments of 1-s
// fragments (4 Mbit/s ± 30 %, camera timestamp jitter, a keyframe every 2 s), one run per camera-day
// split by a 10-minute outage at a camera-specific time. Rows only (no files), written in bulk.
import {
  DAY_MS,
  RecordingIndex,
  encodeFragmentIndex,
  segmentRelativePath,
} from '../../src-main/storage';
import type { FragmentRecord } from '../../src-main/storage';

const SEGMENT_MS = 60_000;
const INIT_SIZE = 700;

function makeBlob(seed: number, bytesPerSecond: number): { blob: Uint8Array; sizeBytes: number } {
  let x = seed * 2654435761;
  const rnd = () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const fragments: FragmentRecord[] = [];
  let offset = INIT_SIZE;
  let pts = seed * 5_400_000;
  for (let i = 0; i < 60; i++) {
    const sizeBytes = Math.round(bytesPerSecond * (0.7 + 0.6 * rnd()));
    const duration90k = 90_000 + Math.round((rnd() - 0.5) * 200);
    fragments.push({
      offset,
      sizeBytes,
      startPts90k: pts,
      duration90k,
      sampleCount: 25,
      isKeyframe: i % 2 === 0,
    });
    offset += sizeBytes;
    pts += duration90k;
  }
  return { blob: encodeFragmentIndex(fragments), sizeBytes: offset };
}

export interface SyntheticIndexOptions {
  cameras: number;
  days: number;
  /** The synthetic recordings end here (exclusive). */
  endMs: number;
  /** Camera ids `<prefix>00`, `<prefix>01`, … */
  prefix?: string;
  bitrateKbps?: number;
  /** Leave this window of camera 0 free (real recordings go there). */
  holeFor0?: { fromMs: number; toMs: number };
}

/** Fills the index; returns the camera ids and the segment count. */
export function fillSyntheticIndex(
  index: RecordingIndex,
  opts: SyntheticIndexOptions,
): { cameraIds: string[]; segments: number } {
  const blobs = Array.from({ length: 97 }, (_, i) =>
    makeBlob(i + 1, ((opts.bitrateKbps ?? 4000) * 1000) / 8),
  );
  const insert = index.db.prepare(
    `INSERT INTO segments (stream_id, run_id, start_ms, end_ms, path, size_bytes, init_size, codec, open,
       fragment_count, fragment_index) VALUES (?, ?, ?, ?, ?, ?, ?, 'avc1.64001f', 0, 60, ?)`,
  );
  const prefix = opts.prefix ?? 'cam-';
  const cameraIds = Array.from(
    { length: opts.cameras },
    (_, c) => `${prefix}${String(c).padStart(2, '0')}`,
  );
  const streamIds = cameraIds.map((id) => index.streamId(id, 'main'));
  const perDay = DAY_MS / SEGMENT_MS;
  const startMs0 = opts.endMs - opts.days * DAY_MS;
  let n = 0;
  for (let d = 0; d < opts.days; d++) {
    const dayStart = startMs0 + d * DAY_MS;
    index.transaction(() => {
      const runs: (number | undefined)[] = cameraIds.map(() => undefined);
      const run = (c: number, startMs: number) => {
        const open = runs[c];
        if (open !== undefined) index.closeRun(open, 0);
        runs[c] = index.createRun({ cameraId: cameraIds[c]!, stream: 'main', startMs });
        return runs[c];
      };
      for (let s = 0; s < perDay; s++) {
        const startMs = dayStart + s * SEGMENT_MS;
        for (let c = 0; c < cameraIds.length; c++) {
          const outage = (c * 37 + d * 11) % (perDay - 20);
          if (s >= outage && s < outage + 10) continue;
          const hole = c === 0 ? opts.holeFor0 : undefined;
          if (hole && startMs + SEGMENT_MS > hole.fromMs && startMs < hole.toMs) {
            const open = runs[c];
            if (open !== undefined) index.closeRun(open, 0);
            runs[c] = undefined;
            continue;
          }
          const runId = runs[c] === undefined || s === outage + 10 ? run(c, startMs) : runs[c]!;
          const b = blobs[n++ % blobs.length]!;
          insert.run(
            streamIds[c],
            runId,
            startMs,
            startMs + SEGMENT_MS,
            segmentRelativePath(cameraIds[c]!, 'main', startMs),
            b.sizeBytes,
            INIT_SIZE,
            b.blob,
          );
        }
      }
      for (const r of runs) if (r !== undefined) index.closeRun(r, 0);
    });
  }
  index.db
    .prepare(
      "INSERT INTO meta (key, value) VALUES ('max_segment_ms', ?) ON CONFLICT (key) DO UPDATE SET value = MAX(value, excluded.value)",
    )
    .run(SEGMENT_MS);
  index.db.pragma('wal_checkpoint(TRUNCATE)');
  return { cameraIds, segments: n };
}

export { RecordingIndex };
