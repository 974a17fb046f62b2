// SegmentFile / readSegmentBytes / createSegmentReadStream: exact ranges, missing and truncated files,
// and paths that try to leave the recordings folder.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isNvrError } from '../base';
import {
  SegmentFile,
  createSegmentReadStream,
  readSegmentBytes,
  segmentFileSize,
} from './segment-reader';
import { makeTempDir, writeSegmentFile } from './test-support';
import type { TempDir } from './test-support';

let tmp: TempDir;
afterEach(() => tmp?.cleanup());

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('segment reader', () => {
  it('reads exact byte ranges of a segment file', async () => {
    tmp = makeTempDir();
    const { writer, records } = writeSegmentFile(tmp.dir, 'cam', 'main', 1_790_000_000_000, 3, {
      close: true,
    });
    const whole = fs.readFileSync(path.join(tmp.dir, writer.relativePath));
    const f = records[1]!;
    const bytes = await readSegmentBytes(tmp.dir, writer.relativePath, f.offset, f.sizeBytes);
    expect(Buffer.from(bytes).equals(whole.subarray(f.offset, f.offset + f.sizeBytes))).toBe(true);
    expect(await segmentFileSize(tmp.dir, writer.relativePath)).toBe(whole.length);

    const file = await SegmentFile.open(tmp.dir, writer.relativePath);
    expect(file.sizeBytes).toBe(whole.length);
    const head = await file.read(0, 8);
    expect(Buffer.from(head).toString('latin1', 4, 8)).toBe('ftyp');
    await file.close();

    const stream = await createSegmentReadStream(tmp.dir, writer.relativePath, {
      start: f.offset,
      endInclusive: f.offset + 99,
    });
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).equals(whole.subarray(f.offset, f.offset + 100))).toBe(true);
  });

  it('reports missing and truncated files as errors with context', async () => {
    tmp = makeTempDir();
    const { writer, records } = writeSegmentFile(tmp.dir, 'cam', 'main', 1_790_000_000_000, 2, {
      close: true,
    });
    const abs = path.join(tmp.dir, writer.relativePath);
    const last = records[1]!;
    fs.truncateSync(abs, last.offset + 10);
    const short = await rejection(
      readSegmentBytes(tmp.dir, writer.relativePath, last.offset, last.sizeBytes),
    );
    expect(isNvrError(short, 'malformed')).toBe(true);
    fs.rmSync(abs);
    const missing = await rejection(readSegmentBytes(tmp.dir, writer.relativePath, 0, 8));
    expect(isNvrError(missing, 'not_found')).toBe(true);
    expect(await segmentFileSize(tmp.dir, writer.relativePath)).toBeUndefined();
  });

  it('refuses paths outside the recordings folder', async () => {
    tmp = makeTempDir();
    fs.writeFileSync(path.join(tmp.dir, 'index.db'), 'secret');
    for (const p of ['index.db', 'recordings/../index.db', '/etc/passwd', '../x.mp4']) {
      const e = await rejection(readSegmentBytes(tmp.dir, p, 0, 4));
      expect(isNvrError(e, 'bad_request'), p).toBe(true);
      expect(isNvrError(await rejection(SegmentFile.open(tmp.dir, p)), 'bad_request')).toBe(true);
    }
  });
});
