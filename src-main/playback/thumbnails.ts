// Timeline thumbnails: one small JPEG per camera stream per interval (default a minute), made lazily
// from the interval's first keyframe and cached under <dataDir>/thumbnails/<camera>/<stream>/.
// Pruned with the video: a thumbnail goes once no recording of its interval is left. The cache has its
// own byte quota (`maxBytes`, apart from recordings): beyond it thumbnails are served uncached.
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../base';
import { NvrError } from '../base';
import type { RecordingIndex } from '../storage';

export const THUMBNAILS_DIR = 'thumbnails';
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export interface ThumbnailCacheOptions {
  dataDir: string;
  index: RecordingIndex;
  logger: Logger;
  intervalMs: number;
  /** Makes the JPEG of the interval starting at bucketMs (undefined: nothing recorded there). */
  render: (
    cameraId: string,
    stream: string,
    bucketMs: number,
    widthPx: number,
  ) => Promise<Uint8Array | undefined>;
  /** Bytes the cache may hold (default 1 GiB); beyond it new thumbnails are not stored. */
  maxBytes?: number;
}

export const DEFAULT_THUMBNAIL_CACHE_BYTES = 1024 ** 3;

export class ThumbnailCache {
  private readonly inflight = new Map<string, Promise<Uint8Array>>();
  private readonly root: string;
  /** Bytes of the cached files: measured once (lazily), then kept up to date by writes and prunes. */
  private sizeBytes: Promise<number> | undefined;
  private full = false;

  constructor(private readonly opts: ThumbnailCacheOptions) {
    this.root = path.join(opts.dataDir, THUMBNAILS_DIR);
  }

  /** Bytes the cache holds now. */
  async cachedBytes(): Promise<number> {
    this.sizeBytes ??= this.measure();
    return this.sizeBytes;
  }

  private async measure(): Promise<number> {
    let n = 0;
    const walk = async (dir: string): Promise<void> => {
      const entries = await fs.promises.readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const e of entries) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) await walk(p);
        else n += (await fs.promises.stat(p).catch(() => undefined))?.size ?? 0;
      }
    };
    await walk(this.root);
    return n;
  }

  private addBytes(delta: number): void {
    const before = this.sizeBytes ?? Promise.resolve(0);
    this.sizeBytes = before.then((n) => Math.max(0, n + delta));
  }

  bucketOf(timeMs: number): number {
    return Math.floor(timeMs / this.opts.intervalMs) * this.opts.intervalMs;
  }

  private fileOf(cameraId: string, stream: string, bucketMs: number, widthPx: number): string {
    if (!SAFE_NAME.test(cameraId) || !SAFE_NAME.test(stream))
      throw new NvrError('bad_request', 'bad camera id or stream name', { cameraId, stream });
    return path.join(this.root, cameraId, stream, `${bucketMs}-w${widthPx}.jpg`);
  }

  /** The thumbnail of the interval holding timeMs: from the cache, else rendered and stored. */
  async get(
    cameraId: string,
    stream: string,
    timeMs: number,
    widthPx: number,
  ): Promise<{ jpeg: Uint8Array; bucketMs: number }> {
    const bucketMs = this.bucketOf(timeMs);
    const file = this.fileOf(cameraId, stream, bucketMs, widthPx);
    let p = this.inflight.get(file);
    if (!p) {
      p = this.load(file, cameraId, stream, bucketMs, widthPx).finally(() =>
        this.inflight.delete(file),
      );
      this.inflight.set(file, p);
    }
    return { jpeg: await p, bucketMs };
  }

  private async load(
    file: string,
    cameraId: string,
    stream: string,
    bucketMs: number,
    widthPx: number,
  ): Promise<Uint8Array> {
    try {
      return new Uint8Array(await fs.promises.readFile(file));
    } catch {
      // not cached yet
    }
    const jpeg = await this.opts.render(cameraId, stream, bucketMs, widthPx);
    if (!jpeg)
      throw new NvrError(
        'not_found',
        `nothing recorded for ${cameraId}/${stream} in that interval`,
        {
          cameraId,
          stream,
          bucketMs,
        },
      );
    const maxBytes = this.opts.maxBytes ?? DEFAULT_THUMBNAIL_CACHE_BYTES;
    if ((await this.cachedBytes()) + jpeg.length > maxBytes) {
      if (!this.full)
        this.opts.logger.warn({ maxBytes }, 'thumbnail cache is full: serving thumbnails uncached');
      this.full = true;
      return jpeg;
    }
    this.full = false;
    this.addBytes(jpeg.length);
    try {
      await fs.promises.mkdir(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      await fs.promises.writeFile(tmp, jpeg);
      await fs.promises.rename(tmp, file);
    } catch (e) {
      this.addBytes(-jpeg.length);
      this.opts.logger.warn({ err: String(e), file }, 'cannot cache thumbnail');
    }
    return jpeg;
  }

  /**
   * Deletes thumbnails whose whole interval lies before the stream's oldest recording (or of
   * streams with none left). Returns how many files went.
   */
  async prune(): Promise<number> {
    const oldest = new Map<string, number | undefined>();
    for (const u of this.opts.index.usage())
      oldest.set(`${u.cameraId}/${u.stream}`, u.segmentCount > 0 ? u.oldestStartMs : undefined);
    let removed = 0;
    const cameras = await fs.promises.readdir(this.root).catch(() => [] as string[]);
    for (const cameraId of cameras) {
      const camDir = path.join(this.root, cameraId);
      const streams = await fs.promises.readdir(camDir).catch(() => [] as string[]);
      for (const stream of streams) {
        const dir = path.join(camDir, stream);
        const keepFrom = oldest.get(`${cameraId}/${stream}`);
        const files = await fs.promises.readdir(dir).catch(() => [] as string[]);
        for (const name of files) {
          const m = /^(\d+)-w\d+\.jpg$/.exec(name);
          const bucketMs = m ? Number(m[1]) : undefined;
          const stale =
            bucketMs === undefined
              ? name.endsWith('.tmp')
              : keepFrom === undefined || bucketMs + this.opts.intervalMs <= keepFrom;
          if (!stale) continue;
          const size = (await fs.promises.stat(path.join(dir, name)).catch(() => undefined))?.size;
          await fs.promises.rm(path.join(dir, name), { force: true });
          if (size !== undefined && this.sizeBytes) this.addBytes(-size);
          removed++;
        }
        await fs.promises.rmdir(dir).catch(() => undefined);
      }
      await fs.promises.rmdir(camDir).catch(() => undefined);
    }
    return removed;
  }
}
