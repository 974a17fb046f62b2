// ThumbnailCache's own quota: beyond maxBytes thumbnails are still served, but no longer stored.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../base';
import type { RecordingIndex } from '../storage';
import { ThumbnailCache } from './thumbnails';

let dataDir: string;
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nvr-thumbs-'));
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function files(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}

describe('ThumbnailCache quota', () => {
  it('stores thumbnails up to maxBytes, then serves them uncached', async () => {
    const renders: number[] = [];
    const cache = new ThumbnailCache({
      dataDir,
      index: {} as RecordingIndex,
      logger: createLogger({ level: 'silent' }),
      intervalMs: 60_000,
      maxBytes: 2500,
      render: async (_c, _s, bucketMs) => {
        renders.push(bucketMs);
        return new Uint8Array(1000).fill(bucketMs / 60_000);
      },
    });
    for (let i = 0; i < 5; i++) {
      const { jpeg } = await cache.get('door', 'main', i * 60_000, 160);
      expect(jpeg.length).toBe(1000);
      expect(jpeg[0]).toBe(i);
    }
    const dir = path.join(dataDir, 'thumbnails', 'door', 'main');
    expect(files(dir)).toEqual(['0-w160.jpg', '60000-w160.jpg']);
    expect(await cache.cachedBytes()).toBe(2000);
    // Cached ones come from disk, the others are rendered again.
    await cache.get('door', 'main', 0, 160);
    await cache.get('door', 'main', 4 * 60_000, 160);
    expect(renders).toEqual([0, 60_000, 120_000, 180_000, 240_000, 240_000]);
    // A new cache over the same folder measures what is there.
    const again = new ThumbnailCache({
      dataDir,
      index: {} as RecordingIndex,
      logger: createLogger({ level: 'silent' }),
      intervalMs: 60_000,
      render: async () => undefined,
    });
    expect(await again.cachedBytes()).toBe(2000);
  });
});
