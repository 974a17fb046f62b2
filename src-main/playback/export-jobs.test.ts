// ExportJobs' file lifecycle: a finished export stays downloadable for keepMs, then its job and file go;
// files an earlier run left behind (finished or .part) are removed at start. Synthetic bytes, real files.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock, createLogger, isNvrError } from '../base';
import { ExportJobs } from './export-jobs';
import type { PreparedExport } from './export-prepare';

let dataDir: string;
const clock = new FakeClock();

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nvr-export-jobs-'));
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function jobs(keepMs?: number): ExportJobs {
  const bytes = Buffer.alloc(4096, 7);
  return new ExportJobs({
    dataDir,
    clock,
    logger: createLogger({ level: 'silent' }),
    fileUrl: (id) => `/api/exports/${id}/file`,
    ...(keepMs !== undefined ? { keepMs } : {}),
    prepare: () =>
      Promise.resolve({
        fileName: 'door-20261121T120000Z.mp4',
        sizeBytes: bytes.length,
        open: () => Readable.from([bytes]),
        release: () => undefined,
      } as unknown as PreparedExport),
  });
}

const request = {
  cameraIds: ['door'],
  stream: 'main' as const,
  fromMs: 0,
  toMs: 1000,
  gaps: 'collapse' as const,
};

describe('ExportJobs file lifecycle', () => {
  it('keeps a finished file for keepMs, then forgets the job and deletes the file', async () => {
    const j = jobs(60_000);
    const { id } = j.start(request);
    expect((await j.settled(id)).state).toBe('done');
    const { path: file } = await j.file(id);
    expect(fs.statSync(file).size).toBe(4096);

    clock.advance(59_000);
    await j.prune();
    expect((await j.file(id)).path).toBe(file);

    clock.advance(2_000);
    await j.prune();
    expect(fs.existsSync(file)).toBe(false);
    expect(j.list()).toEqual([]);
    const gone = await j.file(id).catch((e: unknown) => e);
    expect(isNvrError(gone, 'not_found')).toBe(true);
  });

  it('removes the files an earlier run left behind but not the current jobs’ files', async () => {
    const dir = path.join(dataDir, 'exports');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'exp-old-1.mp4'), 'x');
    fs.writeFileSync(path.join(dir, 'exp-old-2.mp4.part'), 'x');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not ours');
    const j = jobs();
    const { id } = j.start(request);
    await j.settled(id);
    await j.cleanStale();
    expect(fs.readdirSync(dir).sort()).toEqual([`${id}.mp4`, 'notes.txt']);
  });
});
