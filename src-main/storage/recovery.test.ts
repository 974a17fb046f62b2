import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scanFragments } from '../media/fmp4';
import { segmentRelativePath } from './paths';
import { RecordingIndex } from './recording-index';
import { recover, recoverStreams } from './recovery';
import {
  makeFragment,
  makeInit,
  makeTempDir,
  recordSegment,
  writeSegmentFile,
} from './test-support';
import type { TempDir } from './test-support';

let tmp: TempDir;
let index: RecordingIndex;
const T0 = Date.UTC(2024, 4, 10, 8);
const reopen = () => {
  index.close();
  index = RecordingIndex.open({ dataDir: tmp.dir });
};

beforeEach(() => {
  tmp = makeTempDir();
  index = RecordingIndex.open({ dataDir: tmp.dir });
});
afterEach(() => {
  index.close();
  tmp.cleanup();
});

const noChange = {
  pendingDeletesCompleted: 0,
  openSegmentsClosed: 0,
  bytesTruncated: 0,
  emptySegmentsDeleted: 0,
  missingFileRowsDeleted: 0,
  orphanFilesIndexed: 0,
  orphanFilesDeleted: 0,
  unknownFilesIgnored: 0,
  runsClosed: 0,
  emptyRunsDeleted: 0,
};

describe('recover', () => {
  it('cuts an open segment after its last whole fragment and rebuilds its row from the file', () => {
    const runId = index.createRun({ cameraId: 'cam', stream: 'main', startMs: T0 });
    const { writer, records } = writeSegmentFile(tmp.dir, 'cam', 'main', T0, 3);
    const id = index.openSegment({
      runId,
      cameraId: 'cam',
      stream: 'main',
      startMs: T0,
      path: writer.relativePath,
      initSize: writer.initSize,
      codec: 'h264',
    });
    index.appendFragments(id, records.slice(0, 2)); // the third never reached the index
    index.flush();
    const whole = writer.sizeBytes;
    const partial = makeFragment(4, records[2]!.startPts90k + 90_000);
    writer.close();
    fs.appendFileSync(writer.path, partial.subarray(0, Math.floor(partial.length / 2))); // power cut mid-write
    reopen(); // a restart: the segment and its run are still open in the database

    const report = recover({ dataDir: tmp.dir, index });
    expect(report).toEqual({
      ...noChange,
      openSegmentsClosed: 1,
      bytesTruncated: Math.floor(partial.length / 2),
      runsClosed: 1,
    });
    expect(fs.statSync(writer.path).size).toBe(whole);
    const scan = scanFragments(fs.readFileSync(writer.path));
    expect(scan.fragments).toHaveLength(3);
    const seg = index.getSegment(id)!;
    expect(seg).toMatchObject({
      open: false,
      startMs: T0,
      endMs: T0 + 3000,
      sizeBytes: whole,
      initSize: writer.initSize,
    });
    expect(seg.fragments).toEqual(records);
    expect(index.db.prepare('SELECT end_ms FROM runs WHERE id = ?').pluck().get(runId)).toBe(
      T0 + 3000,
    );
    expect(
      index.queryRanges({ cameraId: 'cam', stream: 'main', fromMs: T0 - 1, toMs: T0 + 1e6 }),
    ).toEqual([{ startMs: T0, endMs: T0 + 3000 }]);
    expect(recover({ index })).toEqual(noChange); // idempotent
  });

  it('deletes an open segment without a whole fragment, and its then-empty run', () => {
    const runId = index.createRun({ cameraId: 'cam', stream: 'main', startMs: T0 });
    const { writer } = writeSegmentFile(tmp.dir, 'cam', 'main', T0, 0);
    index.openSegment({
      runId,
      cameraId: 'cam',
      stream: 'main',
      startMs: T0,
      path: writer.relativePath,
      initSize: writer.initSize,
      codec: 'h264',
    });
    writer.close();
    fs.appendFileSync(writer.path, makeFragment(1, 0).subarray(0, 100));
    reopen();
    expect(recover({ index })).toEqual({
      ...noChange,
      emptySegmentsDeleted: 1,
      emptyRunsDeleted: 1,
    });
    expect(fs.existsSync(writer.path)).toBe(false);
    expect(index.db.prepare('SELECT COUNT(*) FROM runs').pluck().get()).toBe(0);
  });

  it('reconciles orphan files and rows without files', () => {
    // A closed, healthy segment that must stay untouched.
    const runId = index.createRun({ cameraId: 'cam', stream: 'main', startMs: T0 });
    const keep = recordSegment(index, runId, 'cam', 'main', T0, 2);
    const lost = recordSegment(index, runId, 'cam', 'main', T0 + 2000, 2);
    index.closeRun(runId, T0 + 4000);
    fs.rmSync(path.join(tmp.dir, index.getSegment(lost)!.path)); // row without a file
    // An open row of another stream whose file never appeared.
    const subRun = index.createRun({ cameraId: 'cam', stream: 'sub', startMs: T0 });
    index.openSegment({
      runId: subRun,
      cameraId: 'cam',
      stream: 'sub',
      startMs: T0,
      path: segmentRelativePath('cam', 'sub', T0),
      initSize: 700,
      codec: 'h264',
    });
    // Orphans: whole fragments plus a torn tail (indexed); garbage and init-only (deleted).
    const orphanStart = T0 + 3_600_000;
    const orphan = writeSegmentFile(tmp.dir, 'yard', 'main', orphanStart, 4, { close: true });
    fs.appendFileSync(orphan.writer.path, Buffer.from('moof-torn'));
    const garbage = path.join(tmp.dir, segmentRelativePath('yard', 'main', orphanStart + 60_000));
    fs.writeFileSync(garbage, Buffer.from('not an mp4 at all'));
    const initOnly = writeSegmentFile(tmp.dir, 'yard', 'sub', orphanStart, 0, { close: true });
    // Things that are not segments are left alone.
    const note = path.join(path.dirname(garbage), 'notes.txt');
    fs.writeFileSync(note, 'hello');
    const misdated = path.join(tmp.dir, 'recordings/yard/main/2020/01/01', `${orphanStart}.mp4`);
    fs.mkdirSync(path.dirname(misdated), { recursive: true });
    fs.writeFileSync(misdated, makeInit());
    reopen();

    const report = recover({ index });
    expect(report).toEqual({
      ...noChange,
      missingFileRowsDeleted: 2,
      orphanFilesIndexed: 1,
      orphanFilesDeleted: 2,
      unknownFilesIgnored: 2,
      bytesTruncated: 'moof-torn'.length,
      emptyRunsDeleted: 1,
    });
    expect(index.getSegment(keep)?.open).toBe(false);
    expect(index.getSegment(lost)).toBeUndefined();
    expect(fs.existsSync(garbage)).toBe(false);
    expect(fs.existsSync(initOnly.writer.path)).toBe(false);
    expect(fs.existsSync(note)).toBe(true);
    expect(fs.existsSync(misdated)).toBe(true);
    const [seg] = index.querySegments({
      cameraId: 'yard',
      stream: 'main',
      fromMs: orphanStart,
      toMs: orphanStart + 1,
    });
    expect(seg).toMatchObject({
      open: false,
      startMs: orphanStart,
      endMs: orphanStart + 4000,
      codec: 'h264',
      path: orphan.writer.relativePath,
      sizeBytes: orphan.writer.sizeBytes,
    });
    expect(seg!.fragments).toEqual(orphan.records);
    expect(
      index.db.prepare('SELECT start_ms, end_ms FROM runs WHERE id = ?').get(seg!.runId),
    ).toEqual({ start_ms: orphanStart, end_ms: orphanStart + 4000 });
    expect(index.usage().find((u) => u.cameraId === 'yard')?.sizeBytes).toBe(
      orphan.writer.sizeBytes,
    );
    expect(recover({ index })).toEqual({ ...noChange, unknownFilesIgnored: 2 });
  });

  it('unlinks files of interrupted deletes instead of indexing them as orphans', () => {
    const runId = index.createRun({ cameraId: 'cam', stream: 'main', startMs: T0 });
    const id = recordSegment(index, runId, 'cam', 'main', T0, 1);
    const rel = index.getSegment(id)!.path;
    index.transaction(() => {
      index.db.prepare('INSERT INTO pending_deletes (path) VALUES (?)').run(rel);
      index.db.prepare('DELETE FROM segments WHERE id = ?').run(id);
    });
    reopen();
    expect(recover({ index })).toEqual({
      ...noChange,
      pendingDeletesCompleted: 1,
      runsClosed: 0,
      emptyRunsDeleted: 1,
    });
    expect(fs.existsSync(path.join(tmp.dir, rel))).toBe(false);
  });

  it("refuses a dataDir other than the index's", () => {
    expect(() => recover({ index, dataDir: '/somewhere/else' })).toThrow(/dataDir/);
  });

  it("recoverStreams closes the dead writer's streams only; the others keep recording", () => {
    const open = (cameraId: string) => {
      const runId = index.createRun({ cameraId, stream: 'main', startMs: T0 });
      const { writer, records } = writeSegmentFile(tmp.dir, cameraId, 'main', T0, 3);
      const id = index.openSegment({
        runId,
        cameraId,
        stream: 'main',
        startMs: T0,
        path: writer.relativePath,
        initSize: writer.initSize,
        codec: 'h264',
      });
      return { runId, writer, records, id };
    };
    const dead = open('dead');
    const alive = open('alive');
    // The dead writer reported two fragments (queued, not flushed yet) and wrote half of a fourth.
    index.appendFragments(dead.id, dead.records.slice(0, 2));
    const whole = dead.writer.sizeBytes;
    const partial = makeFragment(4, dead.records[2]!.startPts90k + 90_000);
    fs.appendFileSync(dead.writer.path, partial.subarray(0, 100));
    // The dead writer also opened a file whose row never made it (its message died with it).
    const orphan = writeSegmentFile(tmp.dir, 'dead', 'main', T0 + 3000, 2, {
      firstPts90k: 900_000 + 3 * 90_000,
    });

    const report = recoverStreams({ index, streams: [{ cameraId: 'dead', stream: 'main' }] });
    expect(report).toEqual({
      ...noChange,
      openSegmentsClosed: 1,
      bytesTruncated: 100,
      orphanFilesIndexed: 1,
      runsClosed: 1,
    });
    expect(fs.statSync(dead.writer.path).size).toBe(whole);
    expect(index.getSegment(dead.id)).toMatchObject({ open: false, sizeBytes: whole });
    expect(index.getSegment(dead.id)!.fragments).toEqual(dead.records);
    expect(index.db.prepare('SELECT end_ms FROM runs WHERE id = ?').pluck().get(dead.runId)).toBe(
      T0 + 3000,
    );
    const segs = index.querySegments({ cameraId: 'dead', stream: 'main', fromMs: 0, toMs: 1e15 });
    expect(segs.map((s) => s.path)).toEqual([dead.writer.relativePath, orphan.writer.relativePath]);
    expect(segs[1]!.fragments).toEqual(orphan.records);

    // The live stream is untouched: still open, still written, its run still open.
    expect(index.isWriting(alive.id)).toBe(true);
    index.appendFragments(alive.id, alive.records);
    index.closeSegment(alive.id);
    expect(index.getSegment(alive.id)!.fragments).toEqual(alive.records);
    expect(
      index.db.prepare('SELECT end_ms FROM runs WHERE id = ?').pluck().get(alive.runId),
    ).toBeNull();
    for (const w of [dead.writer, alive.writer, orphan.writer]) w.close();
  });
});
