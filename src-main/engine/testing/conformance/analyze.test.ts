// The conformance judge itself: a lost, repeated or reordered frame is reported, and the
// differential names the frames either side lacks (so the matrix can fail).
import { describe, expect, it } from 'vitest';
import { compareWithOracle, sequenceGaps, splitReorderTail } from './analyze';
import type { RecordingAnalysis } from './analyze';

function recording(indexes: (number | undefined)[]): RecordingAnalysis {
  const known = indexes.filter((i): i is number => i !== undefined);
  return {
    segments: 1,
    decodeErrors: [],
    frames: indexes.map((index) => ({ index, isKeyframe: false })),
    unknownFrames: indexes.length - known.length,
    firstIndex: known[0],
    lastIndex: known.at(-1),
    gaps: sequenceGaps(known),
    reorderTailCut: [],
    keyframeErrors: [],
    fragmentErrors: [],
  };
}

const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

describe('sequenceGaps', () => {
  it('accepts an unbroken run', () => {
    expect(sequenceGaps(range(5, 60))).toEqual([]);
  });

  it('names lost, repeated and reordered frames', () => {
    expect(sequenceGaps([0, 1, 2, 10, 11])).toEqual(['frames 3..9 missing']);
    expect(sequenceGaps([0, 1, 1, 2])).toEqual(['frame 1 after frame 1']);
    expect(sequenceGaps([0, 2, 1, 3])).toEqual([
      'frames 1..1 missing',
      'frame 1 after frame 2',
      'frames 2..2 missing',
    ]);
  });
});

describe('splitReorderTail', () => {
  it('cuts the broken end a decode-order stop leaves (I525 P529 B527 sent, b526 b528 not)', () => {
    expect(splitReorderTail([523, 524, 525, 527, 529], 4)).toEqual({
      complete: [523, 524, 525],
      cut: [527, 529],
    });
  });

  it('keeps losses before the last reorder window, and whole ends, as they are', () => {
    expect(splitReorderTail([1, 2, 5, 6, 7, 8, 9, 10, 11], 4).complete).toEqual([
      1, 2, 5, 6, 7, 8, 9, 10, 11,
    ]);
    expect(splitReorderTail([1, 2, 4, 6], 0)).toEqual({ complete: [1, 2, 4, 6], cut: [] });
  });
});

describe('compareWithOracle', () => {
  it('compares over the overlap only', () => {
    const d = compareWithOracle(recording(range(0, 100)), recording(range(40, 150)));
    expect(d.overlap).toEqual([40, 100]);
    expect(d.oracleFrames).toBe(61);
    expect(d.missingFromOurs).toEqual([]);
    expect(d.missingFromOracle).toEqual([]);
  });

  it('lists what each side lacks, and ffmpeg pictures unlike the source', () => {
    const ours = recording([...range(0, 9), ...range(20, 50)]);
    const oracle = recording([...range(0, 30), undefined, ...range(32, 50)]);
    const d = compareWithOracle(ours, oracle);
    expect(d.missingFromOurs).toEqual(range(10, 19));
    expect(d.missingFromOracle).toEqual([31]);
    expect(d.oracleDamaged).toBe(1);
  });
});
