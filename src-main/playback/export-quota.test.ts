// Issue 22 finding 4 in small form: viewers' exports against the export quotas and the free-space
// floor over real recordings (recorded through the real StreamRecorder into files and SQLite).
// Exports are refused with a clear error; the recordings stay untouched; owners alone (and admins)
// see, cancel, read and delete their exports.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, isNvrError, systemClock } from '../base';
import { loadClip } from '../camera';
import { RecordingIndex } from '../storage';
import { PlaybackService } from './playback-service';
import type { ExportCaller } from './export-jobs';
import { decodeErrors, makeClockClip, recordClip } from './testing';

const T0 = Date.UTC(2026, 10, 21, 10, 0, 0);
let dir: string;
let index: RecordingIndex;
let exportBytes: number;

const alice: ExportCaller = { owner: 'user:1', admin: false };
const bob: ExportCaller = { owner: 'user:2', admin: false };
const admin: ExportCaller = { owner: 'user:3', admin: true };
const viewers: ExportCaller[] = Array.from({ length: 12 }, (_, i) => ({
  owner: `user:${10 + i}`,
  admin: false,
}));
const window = { cameraIds: ['door'], stream: 'main', fromMs: T0, toMs: T0 + 8_000 };

function service(
  limits: NonNullable<ConstructorParameters<typeof PlaybackService>[0]['exportLimits']>,
) {
  return new PlaybackService({
    index,
    dataDir: dir,
    ffmpegPath: undefined,
    clock: systemClock,
    logger: createLogger({ level: 'silent' }),
    exportLimits: limits,
  });
}

/** Every recorded segment file with its size: what retention would have to delete. */
function recordings(): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of index.querySegments({
    cameraId: 'door',
    stream: 'main',
    fromMs: 0,
    toMs: 8.64e15,
  }))
    out.set(s.path, fs.statSync(path.join(dir, s.path)).size);
  return out;
}

async function rejection(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nvr-export-quota-'));
  const clip = await loadClip(await makeClockClip(dir, { seconds: 10, fps: 10, gop: 10 }));
  index = RecordingIndex.open({ dataDir: dir });
  await recordClip({
    index,
    cameraId: 'door',
    clip,
    startMs: T0,
    segmentDurationMs: 5_000,
    runs: [{ frames: 100 }],
  });
  const probe = service({});
  const prepared = await probe.prepareExport(window);
  exportBytes = prepared.sizeBytes;
  prepared.release();
  await probe.dispose();
}, 120_000);

afterAll(() => {
  index?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('export quotas', () => {
  it('many viewer exports against the quota: refused with a clear error, recordings untouched', async () => {
    const before = recordings();
    expect(before.size).toBeGreaterThan(1);
    const s = service({ quotaBytes: Math.floor(3.5 * exportBytes) });
    try {
      const jobs = [];
      for (const v of viewers) {
        const job = s.startExport(window, v);
        jobs.push(await s.exports.settled(job.id));
      }
      expect(jobs.map((j) => j.state)).toEqual([
        'done',
        'done',
        'done',
        ...Array<string>(viewers.length - 3).fill('failed'),
      ]);
      for (const j of jobs.slice(3)) {
        expect(j.error?.kind).toBe('too_large');
        expect(j.error?.message).toMatch(
          /^export quota: all exports would hold \d+ MiB of at most \d+ MiB/,
        );
      }
      expect(s.exports.usedBytes()).toBe(3 * exportBytes);
      expect(fs.readdirSync(s.exports.dir).sort()).toEqual(
        jobs
          .slice(0, 3)
          .map((j) => `${j.id}.mp4`)
          .sort(),
      );
      expect(await decodeErrors(path.join(s.exports.dir, `${jobs[0]!.id}.mp4`))).toBe('');
      expect(recordings()).toEqual(before);
      // Deleting one makes room again.
      await s.exports.delete(jobs[0]!.id, viewers[0]!);
      expect((await s.exports.settled(s.startExport(window, viewers[5]!).id)).state).toBe('done');
    } finally {
      await s.dispose();
    }
  });

  it('caps each user: concurrent jobs and bytes', async () => {
    const s = service({ maxJobsPerOwner: 2, maxBytesPerOwner: Math.floor(2.5 * exportBytes) });
    try {
      const a = s.startExport(window, alice);
      const b = s.startExport(window, alice);
      const third = await rejection(() => s.startExport(window, alice));
      expect(isNvrError(third, 'conflict')).toBe(true);
      expect((third as Error).message).toBe(
        'at most 2 exports per user at a time: wait for one to finish or cancel it',
      );
      const other = s.startExport(window, bob); // another user is not held up
      for (const j of [a, b, other]) expect((await s.exports.settled(j.id)).state).toBe('done');
      const c = await s.exports.settled(s.startExport(window, alice).id);
      expect(c.state).toBe('failed');
      expect(c.error?.message).toMatch(/^export quota: your exports would hold/);
    } finally {
      await s.dispose();
    }
  });

  it('keeps twice the recordings floor free: an export that would go below it is refused', async () => {
    const s = service({ freeBytes: () => 3 * exportBytes, minFreeBytes: 2.5 * exportBytes });
    try {
      const job = await s.exports.settled(s.startExport(window, alice).id);
      expect(job.state).toBe('failed');
      expect(job.error?.kind).toBe('disk');
      expect(job.error?.message).toMatch(/^not enough free disk space for this export/);
      expect(fs.readdirSync(s.exports.dir)).toEqual([]);
    } finally {
      await s.dispose();
    }
  });
});

describe('export ownership', () => {
  it('lets only the owner and an admin see, cancel, read and delete an export', async () => {
    const s = service({});
    try {
      const job = await s.exports.settled(s.startExport(window, alice).id);
      expect(job.state).toBe('done');
      expect(s.exports.list(bob)).toEqual([]);
      expect(s.exports.list(alice).map((j) => j.id)).toEqual([job.id]);
      expect(s.exports.list(admin).map((j) => j.id)).toEqual([job.id]);
      for (const act of [
        () => s.exports.get(job.id, bob),
        () => s.exports.cancel(job.id, bob),
        () => s.exports.file(job.id, bob),
        () => s.exports.fileReply(job.id, undefined, bob),
        () => s.exports.delete(job.id, bob),
      ]) {
        const e = await rejection(act);
        expect(isNvrError(e, 'forbidden')).toBe(true);
        expect((e as Error).message).toBe(`export ${job.id} belongs to another user`);
      }
      const file = (await s.exports.file(job.id, admin)).path;
      expect(fs.existsSync(file)).toBe(true);
      await s.exports.delete(job.id, alice);
      expect(fs.existsSync(file)).toBe(false);
      expect(isNvrError(await rejection(() => s.exports.get(job.id, admin)), 'not_found')).toBe(
        true,
      );
      // An admin deletes a user's running export: cancelled, no file, no .part left.
      const running = s.startExport(window, bob);
      await s.exports.delete(running.id, admin);
      expect(fs.readdirSync(s.exports.dir)).toEqual([]);
    } finally {
      await s.dispose();
    }
  });
});
