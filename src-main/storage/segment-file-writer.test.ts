import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isNvrError } from '../base';
import { scanFragments } from '../media/fmp4';
import { parseSegmentPath, segmentRelativePath } from './paths';
import { SegmentFileWriter } from './segment-file-writer';
import { makeFragment, makeInit, makeTempDir } from './test-support';
import type { TempDir } from './test-support';

let tmp: TempDir;
afterEach(() => tmp?.cleanup());

describe('segment paths', () => {
  it('lays files out by UTC date and parses them back', () => {
    const startMs = Date.UTC(2024, 0, 31, 23, 59, 59, 999);
    const rel = segmentRelativePath('door-1', 'main', startMs);
    expect(rel).toBe(`recordings/door-1/main/2024/01/31/${startMs}.mp4`);
    expect(parseSegmentPath(rel)).toEqual({ cameraId: 'door-1', stream: 'main', startMs });
    expect(parseSegmentPath(`recordings/door-1/main/2024/02/01/${startMs}.mp4`)).toBeUndefined();
    expect(parseSegmentPath('recordings/door-1/main/2024/01/31/x.mp4')).toBeUndefined();
  });

  it('refuses camera ids and streams that could escape the folder', () => {
    for (const bad of ['..', '../x', 'a/b', '', '.hidden', 'a b']) {
      expect(() => segmentRelativePath(bad, 'main', 0)).toThrow(/cameraId/);
      expect(() => segmentRelativePath('cam', bad, 0)).toThrow(/stream/);
    }
  });
});

describe('SegmentFileWriter', () => {
  it('writes init and fragments with positional appends that scan back whole', () => {
    tmp = makeTempDir();
    const init = makeInit();
    const startMs = Date.UTC(2024, 5, 1, 12);
    const w = SegmentFileWriter.open({
      dataDir: tmp.dir,
      cameraId: 'cam',
      stream: 'sub',
      startMs,
      init,
    });
    expect(w.relativePath).toBe(`recordings/cam/sub/2024/06/01/${startMs}.mp4`);
    expect(w.path).toBe(path.join(tmp.dir, w.relativePath));
    expect(w.initSize).toBe(init.length);
    const f1 = makeFragment(1, 0);
    const f2 = makeFragment(2, 90_000, 10);
    expect(w.append(f1)).toEqual({ offset: init.length, sizeBytes: f1.length });
    expect(w.append(f2)).toEqual({ offset: init.length + f1.length, sizeBytes: f2.length });
    w.sync();
    expect(w.close()).toBe(init.length + f1.length + f2.length);
    expect(w.isOpen).toBe(false);
    expect(w.close()).toBe(w.sizeBytes); // idempotent
    const bytes = fs.readFileSync(w.path);
    expect(bytes.subarray(0, init.length)).toEqual(Buffer.from(init));
    const scan = scanFragments(bytes);
    expect(scan.validEnd).toBe(bytes.length);
    expect(scan.fragments.map((f) => [f.offset, f.size, f.startPts90k, f.sampleCount])).toEqual([
      [init.length, f1.length, 0, 15],
      [init.length + f1.length, f2.length, 90_000, 10],
    ]);
    expect(() => w.append(f1)).toThrow(/closed/);
  });

  it('refuses to overwrite an existing segment file', () => {
    tmp = makeTempDir();
    const opts = {
      dataDir: tmp.dir,
      cameraId: 'cam',
      stream: 'main',
      startMs: 1000,
      init: makeInit(),
    };
    SegmentFileWriter.open(opts).close();
    let err: unknown;
    try {
      SegmentFileWriter.open(opts);
    } catch (e) {
      err = e;
    }
    expect(isNvrError(err, 'conflict')).toBe(true);
  });
});

describe('SegmentFileWriter on a full disk (1 MiB tmpfs)', () => {
  let mountDir: string | undefined;
  let mountTmp: TempDir | undefined;
  beforeAll(() => {
    mountTmp = makeTempDir('nvr-tmpfs-');
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mountTmp.dir], {
        stdio: 'pipe',
      });
      mountDir = mountTmp.dir;
    } catch (e) {
      console.warn(
        `SKIPPED disk-full test: cannot mount a tmpfs (${(e as Error).message.split('\n')[0]})`,
      );
    }
  });
  afterAll(() => {
    if (mountDir) execFileSync('umount', [mountDir]);
    mountTmp?.cleanup();
  });

  it('throws NvrError disk with context and keeps the bytes already written', (ctx) => {
    if (!mountDir) return ctx.skip();
    const init = makeInit();
    const w = SegmentFileWriter.open({
      dataDir: mountDir,
      cameraId: 'cam',
      stream: 'main',
      startMs: 5000,
      init,
    });
    const written: Uint8Array[] = [];
    let err: unknown;
    for (let i = 0; i < 1000; i++) {
      const frag = makeFragment(i + 1, i * 90_000, 15, 4000); // ~60 KB
      try {
        w.append(frag);
        written.push(frag);
      } catch (e) {
        err = e;
        break;
      }
    }
    expect(isNvrError(err, 'disk')).toBe(true);
    const e = err as { context: Record<string, unknown>; message: string };
    expect(e.context).toMatchObject({ path: w.path, code: 'ENOSPC', offset: w.sizeBytes });
    expect(e.message).toMatch(/disk full/);
    expect(written.length).toBeGreaterThan(5);
    const good = init.length + written.reduce((n, f) => n + f.length, 0);
    expect(w.sizeBytes).toBe(good);
    // The failed append left nothing behind; every earlier fragment is intact.
    const bytes = fs.readFileSync(w.path);
    expect(bytes.length).toBe(good);
    const scan = scanFragments(bytes);
    expect(scan.fragments).toHaveLength(written.length);
    expect(scan.validEnd).toBe(good);
    expect(Buffer.compare(bytes.subarray(init.length), Buffer.concat(written))).toBe(0);
    w.close();
  });
});
