import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RecordingIndex } from './recording-index';
import { DAY_MS, RetentionManager } from './retention';
import { recordSegment, makeTempDir, writeSegmentFile } from './test-support';
import type { TempDir } from './test-support';

let tmp: TempDir;
let index: RecordingIndex;
let nowMs = 0;
const T0 = Date.UTC(2024, 0, 1);

beforeEach(() => {
  tmp = makeTempDir();
  nowMs = T0;
  index = RecordingIndex.open({ dataDir: tmp.dir, clock: { nowMs: () => nowMs } });
});
afterEach(() => {
  index.close();
  tmp.cleanup();
});

interface Seg {
  id: number;
  name: string;
  path: string;
  sizeBytes: number;
}

/** Records `count` back-to-back segments of `fragments` s each; names them `<cam>/<stream>#i`. */
function record(
  cameraId: string,
  stream: string,
  startMs: number,
  count: number,
  fragments: number,
  stepMs = fragments * 1000,
): Seg[] {
  const runId = index.createRun({ cameraId, stream, startMs });
  const out: Seg[] = [];
  for (let i = 0; i < count; i++) {
    const id = recordSegment(index, runId, cameraId, stream, startMs + i * stepMs, fragments);
    const row = index.getSegment(id)!;
    out.push({
      id,
      name: `${cameraId}/${stream}#${i}`,
      path: path.join(tmp.dir, row.path),
      sizeBytes: row.sizeBytes,
    });
  }
  index.closeRun(runId, startMs + count * stepMs);
  return out;
}

const exists = (s: Seg) => index.getSegment(s.id) !== undefined && fs.existsSync(s.path);
const names = (segs: Seg[]) => segs.filter(exists).map((s) => s.name);

describe('retention by age', () => {
  it("deletes segments past each camera's retentionDays, rows and files and empty day folders", () => {
    const camera = (id: string, retentionDays: number) =>
      index.cameras.insert({
        id,
        config: { recording: { retentionDays } },
        createdMs: 0,
        updatedMs: 0,
      });
    camera('short', 2);
    camera('long', 30);
    const short = record('short', 'main', T0, 5, 2, DAY_MS); // one 2-s segment per day
    const long = record('long', 'main', T0, 5, 2, DAY_MS);
    const other = record('unknown', 'main', T0, 2, 2, DAY_MS); // no config: default applies
    nowMs = T0 + 4 * DAY_MS + 10_000;
    const mgr = new RetentionManager({ index, defaultRetentionDays: 3 });
    const report = mgr.run();
    // short keeps days >= now - 2d: days 3 and 4 (day 2 ended at T0+2d+2s, before the cutoff).
    expect(names(short)).toEqual(['short/main#3', 'short/main#4']);
    expect(names(long)).toHaveLength(5);
    expect(names(other)).toEqual([]); // days 0 and 1 are older than 3 days
    expect(report).toMatchObject({ deletedSegments: 5, byAge: 5, byPressure: 0, skippedHeld: 0 });
    expect(report.deletedBytes).toBe(
      [...short.slice(0, 3), ...other].reduce((n, s) => n + s.sizeBytes, 0),
    );
    expect(fs.existsSync(path.join(tmp.dir, 'recordings/short/main/2024/01/01'))).toBe(false);
    expect(fs.existsSync(path.join(tmp.dir, 'recordings/short/main/2024/01/04'))).toBe(true);
    expect(index.db.prepare('SELECT COUNT(*) FROM pending_deletes').pluck().get()).toBe(0);
    // the emptied run of 'unknown' is gone too
    expect(
      index.db
        .prepare(
          "SELECT COUNT(*) FROM runs JOIN streams ON streams.id = runs.stream_id WHERE camera_id = 'unknown'",
        )
        .pluck()
        .get(),
    ).toBe(0);
    mgr.dispose();
  });

  it('keeps a held segment until its lease ends, then deletes it', () => {
    const segs = record('cam', 'main', T0, 3, 2, DAY_MS);
    nowMs = T0 + 10 * DAY_MS;
    const mgr = new RetentionManager({ index, defaultRetentionDays: 1 });
    const release = index.hold([segs[0]!.id]);
    expect(mgr.run()).toMatchObject({ deletedSegments: 2, skippedHeld: 1 });
    expect(names(segs)).toEqual(['cam/main#0']);
    release(); // still due: the release starts a pass that removes it
    expect(names(segs)).toEqual([]);
    mgr.dispose();
  });

  it('never deletes a segment that is still being written', () => {
    const runId = index.createRun({ cameraId: 'cam', stream: 'main', startMs: T0 });
    const { writer, records } = writeSegmentFile(tmp.dir, 'cam', 'main', T0, 2);
    const id = index.openSegment({
      runId,
      cameraId: 'cam',
      stream: 'main',
      startMs: T0,
      path: writer.relativePath,
      initSize: writer.initSize,
      codec: 'h264',
    });
    index.appendFragments(id, records);
    index.flush();
    nowMs = T0 + 100 * DAY_MS;
    const mgr = new RetentionManager({ index, defaultRetentionDays: 1, quotaBytes: 0 });
    expect(mgr.run()).toMatchObject({ deletedSegments: 0, shortfallBytes: writer.sizeBytes });
    expect(index.getSegment(id)?.open).toBe(true);
    writer.close();
    mgr.dispose();
  });
});

describe('retention under quota and free-space pressure', () => {
  /** main and sub: three 3-s segments each, at the same times. */
  function mainAndSub(): { main: Seg[]; sub: Seg[]; all: Seg[] } {
    const main = record('cam', 'main', T0, 3, 3);
    const sub = record('cam', 'sub', T0, 3, 3);
    return { main, sub, all: [...main, ...sub] };
  }

  /** Lowers the quota one expected victim at a time and checks who is left after each pass. */
  function expectOrder(mgr: RetentionManager, all: Seg[], order: string[]): void {
    const byName = new Map(all.map((s) => [s.name, s]));
    let total = all.reduce((n, s) => n + s.sizeBytes, 0);
    for (let k = 0; k < order.length; k++) {
      total -= byName.get(order[k]!)!.sizeBytes;
      mgr.configure({ quotaBytes: total });
      const report = mgr.run();
      expect(report.byPressure).toBe(1);
      expect(names(all).sort()).toEqual(order.slice(k + 1).sort());
    }
  }

  it('can be told to delete the oldest first, sub before main of the same age', () => {
    const { all } = mainAndSub();
    const mgr = new RetentionManager({
      index,
      quotaBytes: Number.MAX_SAFE_INTEGER,
      streamOrder: 'sub-first',
    });
    expectOrder(mgr, all, [
      'cam/sub#0',
      'cam/sub#1',
      'cam/main#0',
      'cam/sub#2',
      'cam/main#1',
      'cam/main#2',
    ]);
    mgr.dispose();
  });

  it('keeps that order when candidates come one row per page', () => {
    const { all } = mainAndSub();
    const mgr = new RetentionManager({
      index,
      quotaBytes: Number.MAX_SAFE_INTEGER,
      batchSize: 1,
      streamOrder: 'sub-first',
    });
    expectOrder(mgr, all, [
      'cam/sub#0',
      'cam/sub#1',
      'cam/main#0',
      'cam/sub#2',
      'cam/main#1',
      'cam/main#2',
    ]);
    mgr.dispose();
  });

  it('deletes the oldest first, main before sub of the same age (default, DESIGN §4)', () => {
    const { all } = mainAndSub();
    const mgr = new RetentionManager({
      index,
      quotaBytes: Number.MAX_SAFE_INTEGER,
    });
    expectOrder(mgr, all, [
      'cam/main#0',
      'cam/main#1',
      'cam/sub#0',
      'cam/main#2',
      'cam/sub#1',
      'cam/sub#2',
    ]);
    mgr.dispose();
  });

  it('orders across cameras by age and across pages of candidates', () => {
    const a = record('a', 'main', T0, 30, 1);
    const b = record('b', 'main', T0 + 500, 30, 1);
    const mgr = new RetentionManager({ index, quotaBytes: 0, batchSize: 7 });
    const total = [...a, ...b].reduce((n, s) => n + s.sizeBytes, 0);
    const half = [...a.slice(0, 15), ...b.slice(0, 15)].reduce((n, s) => n + s.sizeBytes, 0);
    mgr.configure({ quotaBytes: total - half });
    expect(mgr.run()).toMatchObject({ deletedSegments: 30, deletedBytes: half, shortfallBytes: 0 });
    expect(names(a)).toEqual(a.slice(15).map((s) => s.name));
    expect(names(b)).toEqual(b.slice(15).map((s) => s.name));
    mgr.dispose();
  });

  it('keeps the free-space floor using the (injected) statfs of the recordings folder', () => {
    const { main, sub, all } = mainAndSub();
    const capacity = 1_000_000;
    const used = () => index.usage().reduce((n, u) => n + u.sizeBytes, 0);
    const dirs: string[] = [];
    const statfs = (dir: string) => {
      dirs.push(dir);
      return { bsize: 1, bavail: capacity - used() };
    };
    const floor = capacity - used() + sub[0]!.sizeBytes + sub[1]!.sizeBytes; // two subs must go
    const mgr = new RetentionManager({
      index,
      minFreeBytes: floor,
      statfs,
      streamOrder: 'sub-first',
    });
    expect(mgr.bytesToFree()).toBe(sub[0]!.sizeBytes + sub[1]!.sizeBytes);
    expect(mgr.run()).toMatchObject({ deletedSegments: 2, byPressure: 2 });
    expect(names(all)).toEqual([...main.map((s) => s.name), 'cam/sub#2']);
    expect(dirs[0]).toBe(path.join(tmp.dir, 'recordings'));
    expect(mgr.bytesToFree()).toBe(0);
    expect(mgr.run().deletedSegments).toBe(0);
    mgr.dispose();
  });

  it('skips a held segment and takes the next one instead; the release deletes nothing more', () => {
    const { sub, all } = mainAndSub();
    const mgr = new RetentionManager({
      index,
      quotaBytes: Number.MAX_SAFE_INTEGER,
      streamOrder: 'sub-first',
    });
    const release = index.hold([sub[0]!.id]);
    const total = all.reduce((n, s) => n + s.sizeBytes, 0);
    mgr.configure({ quotaBytes: total - 1 });
    expect(mgr.run()).toMatchObject({ deletedSegments: 1, skippedHeld: 1 });
    expect(exists(sub[0]!)).toBe(true);
    expect(exists(sub[1]!)).toBe(false);
    release(); // quota now met: no longer due
    expect(exists(sub[0]!)).toBe(true);
    mgr.dispose();
  });

  it('finishes a delete interrupted between the row and the unlink', () => {
    const [seg] = record('cam', 'main', T0, 1, 1);
    // Simulate the crash: row gone with its tombstone written, file still there.
    index.transaction(() => {
      index.db
        .prepare('INSERT INTO pending_deletes (path) VALUES (?)')
        .run(index.getSegment(seg!.id)!.path);
      index.db.prepare('DELETE FROM segments WHERE id = ?').run(seg!.id);
    });
    expect(fs.existsSync(seg!.path)).toBe(true);
    const mgr = new RetentionManager({ index });
    mgr.run();
    expect(fs.existsSync(seg!.path)).toBe(false);
    expect(index.db.prepare('SELECT COUNT(*) FROM pending_deletes').pluck().get()).toBe(0);
    mgr.dispose();
  });
});
