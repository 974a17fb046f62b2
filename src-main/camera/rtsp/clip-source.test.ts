import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NvrError } from '../../base';
import { h264NalType } from '../../media/h264';
import { h265NalType } from '../../media/h265';
import { ClipLooper, codecFromFileName, loadClip, parseClip } from './clip-source';

const DEMO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../resources/demo');

describe('clip source', () => {
  it('indexes an H.264 demo clip: 150 frames, a keyframe every 15, size and fps from the SPS', async () => {
    const clip = await loadClip(path.join(DEMO, 'door-main.h264'));
    expect(clip).toMatchObject({
      codec: 'h264',
      width: 1920,
      height: 1080,
      fps: 15,
      duration90k: 900_000,
    });
    expect(clip.accessUnits).toHaveLength(150);
    expect(clip.accessUnits.filter((a) => a.isKeyframe).length).toBe(10);
    expect(clip.accessUnits.every((a, i) => a.isKeyframe === (i % 15 === 0))).toBe(true);
    expect(clip.accessUnits[1]!.pts90k).toBe(6000);
    // Parameter sets and AUDs are taken out of the units (the looper puts them back at keyframes).
    const types = clip.accessUnits.flatMap((a) => a.nalus.map(h264NalType));
    expect(types.filter((t) => t === 7 || t === 8 || t === 9)).toEqual([]);
    expect(
      clip.accessUnits.every((a) => a.nalus.some((n) => [1, 5].includes(h264NalType(n)))),
    ).toBe(true);
  });

  it('indexes the H.265 demo clip and the sub stream', async () => {
    const h265 = await loadClip(path.join(DEMO, 'street-main.h265'));
    expect(h265).toMatchObject({ codec: 'h265', width: 1920, height: 1080, fps: 15 });
    expect(h265.accessUnits).toHaveLength(150);
    expect(h265.parameterSets.vps).toBeDefined();
    const sub = await loadClip(path.join(DEMO, 'yard-sub.h264'));
    expect(sub).toMatchObject({ codec: 'h264', width: 640, height: 360, fps: 15 });
  });

  it('loops with continuous timestamps and parameter sets before every keyframe', async () => {
    const clip = await loadClip(path.join(DEMO, 'street-main.h265'));
    const looper = new ClipLooper(clip);
    let prev = -1;
    for (let i = 0; i < 3 * 150 + 2; i++) {
      const au = looper.next();
      expect(au.pts90k).toBe(i * 6000);
      expect(au.pts90k).toBeGreaterThan(prev);
      prev = au.pts90k;
      if (au.isKeyframe) expect(au.nalus.slice(0, 3).map(h265NalType)).toEqual([32, 33, 34]);
    }
  });

  it('uses the fallback fps when the SPS has no timing, and rejects input without parameter sets', () => {
    expect(codecFromFileName('a/b.hevc')).toBe('h265');
    expect(codecFromFileName('a/b.264')).toBe('h264');
    expect(() => parseClip(new Uint8Array([0, 0, 0, 1, 0x65, 0x88, 0x80]), 'x.h264')).toThrow(
      NvrError,
    );
    expect(() => parseClip(new Uint8Array(100), 'zeros.h264')).toThrow(NvrError);
  });
});
