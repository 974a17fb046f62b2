import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import path from 'node:path';
import { isNvrError } from '../base';
import { RecordingIndex } from './recording-index';
import type { FragmentRecord } from './fragment-index';
import { SCHEMA_VERSION } from './schema';
import { deleteSegmentRows } from './segment-deleter';
import { makeTempDir } from './test-support';
import type { TempDir } from './test-support';

let tmp: TempDir;
let index: RecordingIndex;
const clock = { nowMs: () => 1_700_000_000_000 };

beforeEach(() => {
  tmp = makeTempDir();
  index = RecordingIndex.open({ dataDir: tmp.dir, clock });
});
afterEach(() => {
  index.close();
  tmp.cleanup();
});

const T0 = Date.UTC(2024, 2, 1);

/** `seconds` contiguous one-second fragments starting at pts. */
function frags(seconds: number, pts = 0, offset = 800): FragmentRecord[] {
  return Array.from({ length: seconds }, (_, i) => ({
    offset: offset + i * 1000,
    sizeBytes: 1000,
    startPts90k: pts + i * 90_000,
    duration90k: 90_000,
    sampleCount: 15,
    isKeyframe: i % 2 === 0,
  }));
}

/** A closed run of `count` back-to-back segments of `seconds` each; returns segment ids. */
function run(
  cameraId: string,
  stream: string,
  startMs: number,
  count: number,
  seconds = 60,
): number[] {
  const runId = index.createRun({ cameraId, stream, startMs });
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const segStart = startMs + i * seconds * 1000;
    const id = index.openSegment({
      runId,
      cameraId,
      stream,
      startMs: segStart,
      path: `recordings/${cameraId}/${stream}/${segStart}.mp4`,
      initSize: 800,
      codec: 'h264',
    });
    index.appendFragments(id, frags(seconds, i * seconds * 90_000));
    index.closeSegment(id);
    ids.push(id);
  }
  index.closeRun(runId, startMs + count * seconds * 1000);
  return ids;
}

describe('RecordingIndex schema', () => {
  it('uses WAL, synchronous=NORMAL and the current user_version, and reopens without migrating twice', () => {
    expect(index.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(index.db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(index.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    index.cameras.insert({ id: 'cam', config: { name: 'Cam' }, createdMs: 1, updatedMs: 2 });
    index.close();
    index = RecordingIndex.open({ dataDir: tmp.dir, clock });
    expect(index.cameras.list()).toEqual([
      { id: 'cam', config: { name: 'Cam' }, createdMs: 1, updatedMs: 2 },
    ]);
  });

  it('refuses a database from a newer version', () => {
    index.close();
    const db = new Database(path.join(tmp.dir, 'index.db'));
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => RecordingIndex.open({ dataDir: tmp.dir, clock })).toThrow(/newer version/);
    index = RecordingIndex.open({
      dataDir: tmp.dir,
      dbPath: path.join(tmp.dir, 'other.db'),
      clock,
    });
  });
});

describe('cameras store', () => {
  it('inserts, gets, lists, updates and deletes camera configs as JSON', () => {
    const config = {
      name: 'Door',
      streams: { main: { url: 'rtsp://x/1' } },
      recording: { retentionDays: 7 },
    };
    const door = { id: 'door', config, createdMs: 10, updatedMs: 10 };
    index.cameras.insert(door);
    index.cameras.insert({ id: 'yard', config: { name: 'Yard' }, createdMs: 20, updatedMs: 20 });
    expect(index.cameras.get('door')).toEqual(door);
    expect(index.cameras.list().map((c) => c.id)).toEqual(['door', 'yard']);
    index.cameras.update({ ...door, config: { ...config, name: 'Front door' }, updatedMs: 30 });
    expect(index.cameras.get('door')).toMatchObject({
      config: { name: 'Front door' },
      createdMs: 10,
      updatedMs: 30,
    });
    expect(index.cameras.list().map((c) => c.id)).toEqual(['door', 'yard']); // created order kept
    expect(() => index.cameras.insert(door)).toThrow(expect.objectContaining({ kind: 'conflict' }));
    expect(() => index.cameras.update({ ...door, id: 'nope' })).toThrow(
      expect.objectContaining({ kind: 'not_found' }),
    );
    expect(index.cameras.delete('door')).toBe(true);
    expect(index.cameras.delete('door')).toBe(false);
    expect(index.cameras.get('door')).toBeUndefined();
    expect(() => index.cameras.insert({ ...door, id: '../etc' })).toThrow(/cameraId/);
  });
});

describe('runs and segments', () => {
  it('queues fragments until flush, then exposes them with growing endMs and size', () => {
    const runId = index.createRun({ cameraId: 'cam', stream: 'main', startMs: T0 });
    const id = index.openSegment({
      runId,
      cameraId: 'cam',
      stream: 'main',
      startMs: T0,
      path: 'recordings/cam/main/a.mp4',
      initSize: 800,
      codec: 'h264',
    });
    const raw = () =>
      index.db
        .prepare('SELECT end_ms, size_bytes, fragment_count, open FROM segments WHERE id = ?')
        .get(id);
    expect(raw()).toEqual({ end_ms: T0, size_bytes: 800, fragment_count: 0, open: 1 });
    index.appendFragments(id, frags(3, 5_000_000));
    expect(raw()).toEqual({ end_ms: T0, size_bytes: 800, fragment_count: 0, open: 1 }); // not yet written
    expect(index.flush()).toBe(1);
    expect(raw()).toEqual({ end_ms: T0 + 3000, size_bytes: 3800, fragment_count: 3, open: 1 });
    expect(index.flush()).toBe(0);
    index.appendFragments(id, frags(2, 5_000_000 + 3 * 90_000, 3800));
    const live = index.querySegments({
      cameraId: 'cam',
      stream: 'main',
      fromMs: T0,
      toMs: T0 + 10_000,
    });
    expect(live).toHaveLength(1);
    expect(live[0]).toMatchObject({ id, open: true, endMs: T0 + 5000, sizeBytes: 5800 });
    expect(live[0]!.fragments).toHaveLength(5); // includes the queued ones
    index.closeSegment(id, T0 + 5000);
    expect(raw()).toEqual({ end_ms: T0 + 5000, size_bytes: 5800, fragment_count: 5, open: 0 });
    index.closeRun(runId, T0 + 5000);
    const seg = index.getSegment(id)!;
    expect(seg).toMatchObject({
      cameraId: 'cam',
      stream: 'main',
      runId,
      startMs: T0,
      endMs: T0 + 5000,
      open: false,
      initSize: 800,
      codec: 'h264',
    });
    expect(seg.fragments[4]).toEqual({
      offset: 4800,
      sizeBytes: 1000,
      startPts90k: 5_000_000 + 4 * 90_000,
      duration90k: 90_000,
      sampleCount: 15,
      isKeyframe: false,
    });
    expect(() => index.appendFragments(id, frags(1))).toThrow(/not open/);
  });

  it('flushes every stream in one transaction', () => {
    const ids = ['a', 'b', 'c'].map((cam) => {
      const runId = index.createRun({ cameraId: cam, stream: 'main', startMs: T0 });
      return index.openSegment({
        runId,
        cameraId: cam,
        stream: 'main',
        startMs: T0,
        path: `recordings/${cam}/x.mp4`,
        initSize: 800,
        codec: 'h265',
      });
    });
    for (const id of ids) index.appendFragments(id, frags(2));
    let commits = 0;
    const orig = index.db.transaction.bind(index.db);
    index.db.transaction = ((fn: () => unknown) => {
      const t = orig(fn);
      return Object.assign(() => (commits++, t()), t);
    }) as typeof index.db.transaction;
    expect(index.flush()).toBe(3);
    expect(commits).toBe(1);
  });

  it('rejects a segment whose run belongs to another stream', () => {
    const runId = index.createRun({ cameraId: 'cam', stream: 'main', startMs: T0 });
    let err: unknown;
    try {
      index.openSegment({
        runId,
        cameraId: 'cam',
        stream: 'sub',
        startMs: T0,
        path: 'recordings/x.mp4',
        initSize: 1,
        codec: 'h264',
      });
    } catch (e) {
      err = e;
    }
    expect(isNvrError(err, 'bad_request')).toBe(true);
  });

  it("closeRun closes the run's open segments at their last fragment", () => {
    const runId = index.createRun({ cameraId: 'cam', stream: 'main', startMs: T0 });
    const id = index.openSegment({
      runId,
      cameraId: 'cam',
      stream: 'main',
      startMs: T0,
      path: 'recordings/y.mp4',
      initSize: 800,
      codec: 'h264',
    });
    index.appendFragments(id, frags(4));
    index.closeRun(runId, T0 + 4000);
    expect(index.getSegment(id)).toMatchObject({ open: false, endMs: T0 + 4000, sizeBytes: 4800 });
  });
});

describe('queryRanges', () => {
  it('merges adjacent segments of one run, keeps gaps and run breaks, and clips to the window', () => {
    run('cam', 'main', T0, 3); // [T0, T0+180s)
    run('cam', 'main', T0 + 180_000, 2); // touches, but a new run
    run('cam', 'main', T0 + 600_000, 1); // after a gap
    run('cam', 'sub', T0, 10); // another stream
    const q = (fromMs: number, toMs: number) =>
      index.queryRanges({ cameraId: 'cam', stream: 'main', fromMs, toMs });
    expect(q(T0 - 1000, T0 + 3_600_000)).toEqual([
      { startMs: T0, endMs: T0 + 180_000 },
      { startMs: T0 + 180_000, endMs: T0 + 300_000 },
      { startMs: T0 + 600_000, endMs: T0 + 660_000 },
    ]);
    expect(q(T0 + 30_000, T0 + 200_000)).toEqual([
      { startMs: T0 + 30_000, endMs: T0 + 180_000 },
      { startMs: T0 + 180_000, endMs: T0 + 200_000 },
    ]);
    expect(q(T0 + 400_000, T0 + 500_000)).toEqual([]); // inside the gap
    expect(q(T0 + 650_000, T0 + 651_000)).toEqual([{ startMs: T0 + 650_000, endMs: T0 + 651_000 }]);
    expect(
      index.queryRanges({ cameraId: 'cam', stream: 'sub', fromMs: T0, toMs: T0 + 1e7 }),
    ).toEqual([{ startMs: T0, endMs: T0 + 600_000 }]);
    expect(
      index.queryRanges({ cameraId: 'nope', stream: 'main', fromMs: T0, toMs: T0 + 1e7 }),
    ).toEqual([]);
  });

  it('finds a long segment that starts before the window', () => {
    run('cam', 'main', T0, 1, 600); // one ten-minute segment
    expect(
      index.queryRanges({
        cameraId: 'cam',
        stream: 'main',
        fromMs: T0 + 500_000,
        toMs: T0 + 510_000,
      }),
    ).toEqual([{ startMs: T0 + 500_000, endMs: T0 + 510_000 }]);
    expect(
      index.querySegments({
        cameraId: 'cam',
        stream: 'main',
        fromMs: T0 + 599_000,
        toMs: T0 + 700_000,
      }),
    ).toHaveLength(1);
  });
});

describe('run upkeep after deletes', () => {
  const ranges = () =>
    index.queryRanges({ cameraId: 'cam', stream: 'main', fromMs: 0, toMs: T0 * 2 });
  const runs = () =>
    index.db.prepare('SELECT id, start_ms AS s, end_ms AS e FROM runs ORDER BY start_ms').all() as {
      id: number;
      s: number;
      e: number | null;
    }[];
  const M = 60_000;

  it('splits a run at a hole; the later piece keeps the run id', () => {
    const ids = run('cam', 'main', T0, 3);
    const runId = index.getSegment(ids[0]!)!.runId;
    expect(deleteSegmentRows(index, [ids[1]!])).toHaveLength(1);
    expect(ranges()).toEqual([
      { startMs: T0, endMs: T0 + M },
      { startMs: T0 + 2 * M, endMs: T0 + 3 * M },
    ]);
    const [first, second] = runs();
    expect(second).toEqual({ id: runId, s: T0 + 2 * M, e: T0 + 3 * M });
    expect(first).toMatchObject({ s: T0, e: T0 + M });
    expect(index.getSegment(ids[0]!)!.runId).toBe(first!.id);
  });

  it('splits at several holes, trims heads and tails, and drops emptied runs', () => {
    const ids = run('cam', 'main', T0, 6);
    deleteSegmentRows(index, [ids[1]!, ids[3]!]);
    expect(ranges()).toEqual([
      { startMs: T0, endMs: T0 + M },
      { startMs: T0 + 2 * M, endMs: T0 + 3 * M },
      { startMs: T0 + 4 * M, endMs: T0 + 6 * M },
    ]);
    deleteSegmentRows(index, [ids[0]!, ids[5]!]); // a whole run, and the tail of another
    expect(ranges()).toEqual([
      { startMs: T0 + 2 * M, endMs: T0 + 3 * M },
      { startMs: T0 + 4 * M, endMs: T0 + 5 * M },
    ]);
    expect(runs()).toHaveLength(2);
    deleteSegmentRows(index, [ids[4]!, ids[2]!]);
    expect(ranges()).toEqual([]);
    expect(runs()).toHaveLength(0);
  });

  it('keeps a recording run going across a hole behind it', () => {
    const runId = index.createRun({ cameraId: 'cam', stream: 'main', startMs: T0 });
    const seg = (i: number) => {
      const id = index.openSegment({
        runId,
        cameraId: 'cam',
        stream: 'main',
        startMs: T0 + i * M,
        path: `recordings/${i}.mp4`,
        initSize: 800,
        codec: 'h264',
      });
      index.appendFragments(id, frags(60, i * 60 * 90_000));
      return id;
    };
    const closed = [0, 1, 2].map((i) => {
      const id = seg(i);
      index.closeSegment(id);
      return id;
    });
    const open = seg(3);
    index.flush();
    expect(ranges()).toEqual([{ startMs: T0, endMs: T0 + 4 * M }]); // an open run: end from its segments
    deleteSegmentRows(index, [closed[1]!, open]); // open segments are never deleted
    expect(index.getSegment(open)?.open).toBe(true);
    expect(ranges()).toEqual([
      { startMs: T0, endMs: T0 + M },
      { startMs: T0 + 2 * M, endMs: T0 + 4 * M },
    ]);
    index.closeSegment(open);
    index.closeSegment(seg(4)); // the recorder carries on with the same run id
    index.closeRun(runId, T0 + 5 * M);
    expect(ranges()).toEqual([
      { startMs: T0, endMs: T0 + M },
      { startMs: T0 + 2 * M, endMs: T0 + 5 * M },
    ]);
    expect(runs().find((r) => r.id === runId)).toEqual({ id: runId, s: T0 + 2 * M, e: T0 + 5 * M });
  });
});

describe('querySegments and usage', () => {
  it('returns overlapping segments oldest first with decoded fragments', () => {
    const ids = run('cam', 'main', T0, 5);
    const segs = index.querySegments({
      cameraId: 'cam',
      stream: 'main',
      fromMs: T0 + 90_000,
      toMs: T0 + 150_000,
    });
    expect(segs.map((s) => s.id)).toEqual([ids[1], ids[2]]);
    expect(segs[0]!.fragments).toHaveLength(60);
    expect(segs[0]!.fragments[0]).toMatchObject({ offset: 800, startPts90k: 60 * 90_000 });
  });

  it('reports bytes per stream kept by triggers', () => {
    run('cam', 'main', T0, 3);
    const subIds = run('cam', 'sub', T0, 2, 30);
    index.db.prepare('DELETE FROM segments WHERE id = ?').run(subIds[0]);
    expect(index.usage()).toEqual([
      {
        cameraId: 'cam',
        stream: 'main',
        sizeBytes: 3 * (800 + 60_000),
        segmentCount: 3,
        oldestStartMs: T0,
      },
      {
        cameraId: 'cam',
        stream: 'sub',
        sizeBytes: 800 + 30_000,
        segmentCount: 1,
        oldestStartMs: T0 + 30_000,
      },
    ]);
  });
});

describe('holds', () => {
  it('counts leases per segment and notifies when the last one ends', () => {
    const released: number[][] = [];
    const off = index.onRelease((ids) => released.push(ids));
    const a = index.hold([1, 2]);
    const b = index.hold([2, 3, 3]);
    expect([1, 2, 3, 4].map((id) => index.isHeld(id))).toEqual([true, true, true, false]);
    a();
    a(); // idempotent
    expect(released).toEqual([[1]]);
    expect(index.isHeld(2)).toBe(true);
    b();
    expect(released).toEqual([[1], [2, 3]]);
    expect(index.isHeld(2)).toBe(false);
    off();
    index.hold([9])();
    expect(released).toHaveLength(2);
  });
});
