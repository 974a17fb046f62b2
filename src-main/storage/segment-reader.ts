// Reads segment files for playback, export and snapshots: byte ranges and streams of files named by
// the index (paths relative to dataDir, confined to the recordings folder). Never writes or deletes.
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { NvrError } from '../base';
import { resolveSegmentPath } from './paths';

/** Maps a failed read to NvrError: a missing file is 'not_found', anything else 'disk'. */
function readError(op: string, e: unknown, relativePath: string): NvrError {
  const code = (e as NodeJS.ErrnoException | undefined)?.code ?? 'unknown';
  if (code === 'ENOENT')
    return new NvrError('not_found', 'segment file is missing', { path: relativePath, code });
  return new NvrError('disk', `${op} failed: ${(e as Error).message}`, {
    path: relativePath,
    code,
  });
}

/** An open segment file: positional reads of exactly the bytes asked for. */
export class SegmentFile {
  private closed = false;

  private constructor(
    private readonly handle: fs.promises.FileHandle,
    readonly relativePath: string,
    /** Size on disk when opened. */
    readonly sizeBytes: number,
  ) {}

  /** Opens a file the index names. Missing → NvrError('not_found'); outside recordings/ → 'bad_request'. */
  static async open(dataDir: string, relativePath: string): Promise<SegmentFile> {
    const abs = resolveSegmentPath(dataDir, relativePath);
    let handle: fs.promises.FileHandle;
    try {
      handle = await fs.promises.open(abs, 'r');
    } catch (e) {
      throw readError('open', e, relativePath);
    }
    try {
      const st = await handle.stat();
      return new SegmentFile(handle, relativePath, st.size);
    } catch (e) {
      await handle.close().catch(() => undefined);
      throw readError('stat', e, relativePath);
    }
  }

  /**
   * Reads [offset, offset + length) into `into` (or a new buffer). A file shorter than asked is
   * NvrError('malformed') with the offset (a truncated segment), never a short buffer.
   */
  async read(offset: number, length: number, into?: Uint8Array): Promise<Uint8Array> {
    if (this.closed)
      throw new NvrError('internal', 'segment file is closed', { path: this.relativePath });
    const buf = into && into.length >= length ? into.subarray(0, length) : new Uint8Array(length);
    let done = 0;
    try {
      while (done < length) {
        const { bytesRead } = await this.handle.read(buf, done, length - done, offset + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
    } catch (e) {
      throw readError('read', e, this.relativePath);
    }
    if (done < length)
      throw new NvrError('malformed', 'segment file is shorter than the index says', {
        path: this.relativePath,
        byteOffset: offset + done,
        sizeBytes: length,
      });
    return buf;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close().catch(() => undefined);
  }
}

/** Reads one byte range of a segment file (opens and closes it). */
export async function readSegmentBytes(
  dataDir: string,
  relativePath: string,
  offset: number,
  length: number,
): Promise<Uint8Array> {
  const file = await SegmentFile.open(dataDir, relativePath);
  try {
    return await file.read(offset, length);
  } finally {
    await file.close();
  }
}

/** Size of a segment file on disk, or undefined when it is missing. */
export async function segmentFileSize(
  dataDir: string,
  relativePath: string,
): Promise<number | undefined> {
  const abs = resolveSegmentPath(dataDir, relativePath);
  try {
    return (await fs.promises.stat(abs)).size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw readError('stat', e, relativePath);
  }
}

/**
 * A stream of bytes [start, endInclusive] of a segment file. Opening failures (missing file) reject
 * before any byte is sent, so an HTTP answer can still be an error.
 */
export async function createSegmentReadStream(
  dataDir: string,
  relativePath: string,
  range: { start: number; endInclusive: number },
): Promise<Readable> {
  const abs = resolveSegmentPath(dataDir, relativePath);
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(abs, 'r');
  } catch (e) {
    throw readError('open', e, relativePath);
  }
  return handle.createReadStream({
    start: range.start,
    end: range.endInclusive,
    autoClose: true,
    highWaterMark: 256 * 1024,
  });
}
