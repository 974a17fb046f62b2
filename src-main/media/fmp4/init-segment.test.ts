// Init segment writing and parsing without external tools (ffmpeg checks are in fmp4.test.ts).
import { describe, expect, it } from 'vitest';
import {
  buildInitSegment,
  parseInitSegment,
  readBoxes,
  trackConfigFromParameterSets,
} from './index';

const hex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g)!.map((b) => parseInt(b, 16)));
// x264 High 4:4:4 Predictive, 640x360 (from `ffmpeg -f lavfi -i testsrc -c:v libx264`).
const SPS = hex('67f40016919640280bfe270110000003001000000301e0f162e480');
const PPS = hex('68ebc3c44844');

function boxVersion(bytes: Uint8Array, path: string[]): number {
  let start = 0;
  let end = bytes.length;
  let found = 0;
  for (const type of path) {
    const b = [...readBoxes(bytes, start, end)].find((x) => x.type === type)!;
    found = b.start;
    start = b.start + 8;
    end = b.start + b.size;
  }
  return bytes[found + 8]!;
}

describe('buildInitSegment', () => {
  const track = trackConfigFromParameterSets({ codec: 'h264', sps: SPS, pps: PPS });

  it('derives the track from the SPS', () => {
    expect(track).toMatchObject({
      codec: 'h264',
      width: 640,
      height: 360,
      timescale: 90000,
      codecString: 'avc1.f40016',
    });
  });

  it('round-trips through parseInitSegment with 32- and 64-bit times', () => {
    for (const [creationTimeMs, version] of [
      [1_790_000_000_000, 0],
      [2_300_000_000_000, 1], // after 2040: needs 64-bit times
    ] as const) {
      const init = buildInitSegment(track, { creationTimeMs });
      expect(boxVersion(init, ['moov', 'mvhd'])).toBe(version);
      expect(boxVersion(init, ['moov', 'trak', 'tkhd'])).toBe(version);
      const info = parseInitSegment(init);
      expect(info).toMatchObject({
        codec: 'h264',
        width: 640,
        height: 360,
        timescale: 90000,
        trackId: 1,
      });
      expect(info.sps).toEqual(SPS);
      expect(info.pps).toEqual(PPS);
      expect(info.trackDefaults).toEqual({
        trackId: 1,
        timescale: 90000,
        defaultSampleDurationTicks: 0,
        defaultSampleSizeBytes: 0,
        defaultSampleFlags: 0,
      });
    }
  });

  it('refuses input without a moov or an H.265 track without a VPS', () => {
    const init = buildInitSegment(track);
    const ftypOnly = init.subarray(0, [...readBoxes(init)][0]!.size);
    expect(() => parseInitSegment(ftypOnly)).toThrow(
      expect.objectContaining({ kind: 'malformed' }),
    );
    expect(() => trackConfigFromParameterSets({ codec: 'h265', sps: SPS, pps: PPS })).toThrow(
      expect.objectContaining({ kind: 'malformed' }),
    );
  });
});
