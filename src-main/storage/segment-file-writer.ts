// Writes one segment file (init segment, then fragments) with positional writes. No SQLite:
// usable inside a recording worker thread. A failed write never damages bytes already written.
import fs from 'node:fs';
import path from 'node:path';
import { NvrError } from '../base';
import { resolveSegmentPath, segmentRelativePath } from './paths';

export interface OpenSegmentFileOptions {
  dataDir: string;
  cameraId: string;
  stream: string;
  /** Wall-clock start of the segment (names the file and its date folders, UTC). */
  startMs: number;
  /** The init segment (`ftyp` + `moov`). */
  init: Uint8Array;
}

export interface AppendResult {
  /** Byte offset of the fragment in the file. */
  offset: number;
  sizeBytes: number;
}

/** Maps a failed fs call to NvrError('disk') with the path, offset and errno code. */
export function diskError(
  op: string,
  e: unknown,
  context: Record<string, string | number>,
): NvrError {
  const code = (e as NodeJS.ErrnoException | undefined)?.code ?? 'unknown';
  const why =
    code === 'ENOSPC'
      ? 'disk full'
      : code === 'EDQUOT'
        ? 'disk quota exceeded'
        : code === 'EIO'
          ? 'I/O error'
          : (e as Error | undefined)?.message;
  return new NvrError('disk', `${op} failed: ${why}`, { ...context, code }, { cause: e });
}

/** fsync a directory so a new entry in it survives a power cut (best effort on platforms without it). */
function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Windows cannot open directories; the entry is still written, just not forced.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Positional write of all bytes (writeSync may write fewer than asked). */
function writeAll(fd: number, bytes: Uint8Array, position: number): void {
  let done = 0;
  while (done < bytes.length) {
    done += fs.writeSync(fd, bytes, done, bytes.length - done, position + done);
  }
}

/** Positional gather-write of pieces in order (one writev syscall when it takes them all). */
function writeAllParts(fd: number, parts: readonly Uint8Array[], position: number): number {
  const total = parts.reduce((n, p) => n + p.length, 0);
  let done = fs.writevSync(fd, parts as Uint8Array[], position);
  if (done === total) return total;
  // Short write: finish piece by piece from where it stopped.
  let skip = done;
  for (const p of parts) {
    if (skip >= p.length) {
      skip -= p.length;
      continue;
    }
    writeAll(fd, p.subarray(skip), position + done);
    done += p.length - skip;
    skip = 0;
  }
  return total;
}

export class SegmentFileWriter {
  private fd: number | undefined;
  private end: number;

  private constructor(
    fd: number,
    /** Absolute path of the file. */
    readonly path: string,
    /** Path relative to dataDir, as stored in the index. */
    readonly relativePath: string,
    readonly initSize: number,
  ) {
    this.fd = fd;
    this.end = initSize;
  }

  /** Creates the file (and its folders) and writes the init segment. */
  static open(opts: OpenSegmentFileOptions): SegmentFileWriter {
    const relativePath = segmentRelativePath(opts.cameraId, opts.stream, opts.startMs);
    const abs = resolveSegmentPath(opts.dataDir, relativePath);
    const dir = path.dirname(abs);
    let fd: number;
    try {
      fs.mkdirSync(dir, { recursive: true });
      fd = fs.openSync(abs, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST')
        throw new NvrError('conflict', 'segment file already exists', { path: abs }, { cause: e });
      throw diskError('create segment file', e, { path: abs });
    }
    try {
      writeAll(fd, opts.init, 0);
    } catch (e) {
      fs.closeSync(fd);
      fs.rmSync(abs, { force: true });
      throw diskError('write init segment', e, { path: abs, sizeBytes: opts.init.length });
    }
    syncDir(dir);
    return new SegmentFileWriter(fd, abs, relativePath, opts.init.length);
  }

  /** Bytes in the file that are whole (init plus appended fragments). */
  get sizeBytes(): number {
    return this.end;
  }

  get isOpen(): boolean {
    return this.fd !== undefined;
  }

  /**
   * Appends one fragment (`moof`+`mdat`), as one buffer or as pieces written in order with writev.
   * On failure the file is cut back to its last good end.
   */
  append(data: Uint8Array | readonly Uint8Array[]): AppendResult {
    const fd = this.requireOpen();
    const offset = this.end;
    const sizeBytes =
      data instanceof Uint8Array ? data.length : data.reduce((n, p) => n + p.length, 0);
    try {
      if (data instanceof Uint8Array) writeAll(fd, data, offset);
      else writeAllParts(fd, data, offset);
    } catch (e) {
      try {
        fs.ftruncateSync(fd, offset);
      } catch {
        // The index never points past `offset`, and recovery cuts after the last whole fragment.
      }
      throw diskError('append fragment', e, { path: this.path, offset, bytes: sizeBytes });
    }
    this.end = offset + sizeBytes;
    return { offset, sizeBytes };
  }

  /** fdatasync: the owner calls it about once a second. */
  sync(): void {
    const fd = this.requireOpen();
    try {
      fs.fdatasyncSync(fd);
    } catch (e) {
      throw diskError('sync segment file', e, { path: this.path, sizeBytes: this.end });
    }
  }

  /** Syncs and closes; returns the final size. Idempotent. */
  close(): number {
    const fd = this.fd;
    if (fd === undefined) return this.end;
    this.fd = undefined;
    try {
      fs.fdatasyncSync(fd);
    } catch (e) {
      fs.closeSync(fd);
      throw diskError('sync segment file', e, { path: this.path, sizeBytes: this.end });
    }
    fs.closeSync(fd);
    return this.end;
  }

  private requireOpen(): number {
    if (this.fd === undefined)
      throw new NvrError('internal', 'segment file is closed', { path: this.path });
    return this.fd;
  }
}
