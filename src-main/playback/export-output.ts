// An export's bytes: the progressive MP4 header from media/fmp4, then each chunk's samples copied from
// its segment file (read ahead, a few files open at a time). Knows the exact size before the first byte.
import { Readable } from 'node:stream';
import { NvrError } from '../base';
import { layoutProgressiveMp4 } from '../media/fmp4';
import type { Mp4Layout } from '../media/fmp4';
import { SegmentFile } from '../storage';
import { toMp4Track } from './export-plan';
import type { ChunkSource, ExportTrackPlan } from './export-plan';

export interface ExportLayout {
  layout: Mp4Layout;
  tracks: readonly ExportTrackPlan[];
  startWallMs: number;
  endWallMs: number;
  /** Duration of the movie (the longest track's edits), ms. */
  durationMs: number;
}

export function layoutExport(tracks: readonly ExportTrackPlan[], comment?: string): ExportLayout {
  const startWallMs = Math.min(...tracks.map((t) => t.startWallMs));
  const endWallMs = Math.max(...tracks.map((t) => t.endWallMs));
  const mp4Tracks = tracks.map((t) => toMp4Track(t, startWallMs));
  const layout = layoutProgressiveMp4(mp4Tracks, {
    startMs: Math.round(startWallMs),
    ...(comment ? { comment } : {}),
  });
  const durationMs =
    Math.max(...mp4Tracks.map((t) => t.edits.reduce((n, e) => n + e.durationTicks, 0))) / 90;
  return { layout, tracks, startWallMs, endWallMs, durationMs };
}

/** Keeps a few segment files open while chunks are copied in order. */
class FileCache {
  private readonly open = new Map<number, Promise<SegmentFile>>();
  constructor(
    private readonly dataDir: string,
    private readonly max = 8,
  ) {}

  get(source: ChunkSource): Promise<SegmentFile> {
    const id = source.segment.id;
    let f = this.open.get(id);
    if (!f) {
      if (this.open.size >= this.max) {
        const [oldId, old] = this.open.entries().next().value as [number, Promise<SegmentFile>];
        this.open.delete(oldId);
        void old.then((x) => x.close()).catch(() => undefined);
      }
      f = SegmentFile.open(this.dataDir, source.segment.path);
      f.catch(() => undefined);
      this.open.set(id, f);
    }
    return f;
  }

  async closeAll(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    await Promise.all(all.map((p) => p.then((f) => f.close()).catch(() => undefined)));
  }
}

/**
 * The export's bytes as a stream of exactly `layout.totalSizeBytes` bytes. A chunk that can no longer
 * be read (a file changed under us) destroys the stream with an error instead of sending wrong bytes.
 * `onBytes` sees the running byte count; `onEnd` runs once however the stream ends (files closed).
 */
export function exportStream(
  dataDir: string,
  ex: ExportLayout,
  hooks: { onBytes?: (bytes: number) => void; onEnd?: (error?: unknown) => void } = {},
): Readable {
  const cache = new FileCache(dataDir);
  const { layout, tracks } = ex;
  const readChunk = async (i: number): Promise<Uint8Array> => {
    const placed = layout.order[i]!;
    const source = tracks[placed.track]!.sources[placed.chunk]!;
    const file = await cache.get(source);
    return file.read(source.fileOffset, source.sizeBytes);
  };
  async function* generate(): AsyncGenerator<Uint8Array> {
    let sent = layout.header.length;
    yield layout.header;
    hooks.onBytes?.(sent);
    const ahead: Promise<Uint8Array>[] = [];
    const prefetch = (i: number) => {
      if (i < layout.order.length) {
        const p = readChunk(i);
        p.catch(() => undefined);
        ahead.push(p);
      }
    };
    prefetch(0);
    prefetch(1);
    for (let i = 0; i < layout.order.length; i++) {
      const bytes = await ahead.shift()!;
      prefetch(i + 2);
      sent += bytes.length;
      yield bytes;
      hooks.onBytes?.(sent);
    }
    if (sent !== layout.totalSizeBytes)
      throw new NvrError('internal', 'export size differs from its layout', {
        sizeBytes: sent,
        expected: layout.totalSizeBytes,
      });
  }
  const stream = Readable.from(generate(), { objectMode: false, highWaterMark: 1 });
  let ended = false;
  const end = (error?: unknown) => {
    if (ended) return;
    ended = true;
    void cache.closeAll().finally(() => hooks.onEnd?.(error));
  };
  stream.once('end', () => end());
  stream.once('error', (e) => end(e));
  stream.once('close', () =>
    end(stream.readableEnded ? undefined : new NvrError('cancelled', 'export stream closed early')),
  );
  return stream;
}
