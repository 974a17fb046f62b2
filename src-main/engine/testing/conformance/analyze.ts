// Conformance harness: what a recording holds, judged by real tools against the source clip.
// Every segment is decoded (`ffmpeg -v error … -f null -`), every picture hashed and placed in the
// source by content; the container's keyframe flags (ffprobe) and the index's fragment flags are
// checked against the source GOP. Also the differential against an ffmpeg `-c copy` recording.
import path from 'node:path';
import type { SegmentRow } from '../../../storage';
import type { SourceClip } from './sources';
import { SOURCE_GOP } from './sources';
import { decodeFile, packets } from './tools';

export interface RecordedFrame {
  /** Frame number in the source clip, or undefined when the picture is not one of the source's. */
  index: number | undefined;
  isKeyframe: boolean;
}

export interface RecordingAnalysis {
  segments: number;
  /** `path: message` per segment that does not decode clean. */
  decodeErrors: string[];
  /** Pictures in presentation order, segment after segment. */
  frames: RecordedFrame[];
  /** Pictures whose hash is not in the source: decoded differently (damaged) or foreign. */
  unknownFrames: number;
  firstIndex: number | undefined;
  lastIndex: number | undefined;
  /** Breaks in the source sequence: lost, repeated or reordered frames. */
  gaps: string[];
  /**
   * B-frame sources: pictures after the last unbroken run inside the last reorder window. A stream
   * stopped mid mini-GOP (decode order I P B b…) ends with a P shown after B-frames never sent;
   * that is where the camera stopped, not a loss. `lastIndex` is the end of the unbroken run.
   */
  reorderTailCut: number[];
  /** Container keyframe flags that disagree with the source GOP. */
  keyframeErrors: string[];
  /** Fragment index entries (SQLite) that disagree with the file's samples. */
  fragmentErrors: string[];
}

/**
 * Splits off the end of a presentation-order frame list that a decode-order cut leaves broken: in
 * the last `window` frames (B-frames + 1), the pictures after the last unbroken run.
 */
export function splitReorderTail(
  known: readonly number[],
  window: number,
): { complete: number[]; cut: number[] } {
  if (window <= 0 || known.length === 0) return { complete: [...known], cut: [] };
  const last = known.at(-1)!;
  let p = known.length;
  while (p > 0 && known[p - 1]! >= last - window) p--;
  let q = Math.max(p, 1);
  while (q < known.length && known[q] === known[q - 1]! + 1) q++;
  return { complete: known.slice(0, q), cut: known.slice(q) };
}

/** Breaks in a sequence of source frame numbers that should count up by one. */
export function sequenceGaps(indexes: readonly number[]): string[] {
  const gaps: string[] = [];
  for (let i = 1; i < indexes.length; i++) {
    const prev = indexes[i - 1]!;
    const next = indexes[i]!;
    if (next === prev + 1) continue;
    gaps.push(
      next > prev + 1
        ? `frames ${prev + 1}..${next - 1} missing`
        : `frame ${next} after frame ${prev}`,
    );
  }
  return gaps;
}

async function analyzeSegment(
  file: string,
  row: SegmentRow | undefined,
  source: SourceClip,
): Promise<{
  errors: string;
  frames: RecordedFrame[];
  keyframeErrors: string[];
  fragmentErrors: string[];
}> {
  const [{ errors, hashes }, pkts] = await Promise.all([decodeFile(file), packets(file)]);
  const name = path.basename(file);
  const keyframeErrors: string[] = [];
  const fragmentErrors: string[] = [];
  // Pictures come out in presentation order: pair them with the packets sorted by pts.
  const byPts = [...pkts].sort((a, b) => a.pts - b.pts);
  if (byPts.length !== hashes.length)
    keyframeErrors.push(`${name}: ${pkts.length} samples but ${hashes.length} pictures decoded`);
  const frames = hashes.map((hash, i) => ({
    index: source.frameOf.get(hash),
    isKeyframe: byPts[i]?.isKeyframe ?? false,
  }));
  if (row) {
    // Fragment flags (decode order): each fragment's first sample, and keyframes open fragments.
    const starts = new Set<number>();
    let at = 0;
    for (const [n, f] of row.fragments.entries()) {
      starts.add(at);
      const first = pkts[at];
      if (first && first.isKeyframe !== f.isKeyframe)
        fragmentErrors.push(
          `${name}: fragment ${n} flagged keyframe=${f.isKeyframe}, sample says ${first.isKeyframe}`,
        );
      at += f.sampleCount;
    }
    if (at !== pkts.length)
      fragmentErrors.push(`${name}: index counts ${at} samples, the file holds ${pkts.length}`);
    pkts.forEach((p, i) => {
      if (p.isKeyframe && !starts.has(i))
        fragmentErrors.push(`${name}: keyframe sample ${i} does not open a fragment`);
    });
  }
  return { errors, frames, keyframeErrors, fragmentErrors };
}

/** Analyzes a recording (the index's segments, oldest first) or any single file (`rows` absent). */
export async function analyzeRecording(
  files: readonly string[],
  rows: readonly SegmentRow[] | undefined,
  source: SourceClip,
): Promise<RecordingAnalysis> {
  const parts = await Promise.all(files.map((f, i) => analyzeSegment(f, rows?.[i], source)));
  const frames = parts.flatMap((p) => p.frames);
  const all = frames.flatMap((f) => (f.index === undefined ? [] : [f.index]));
  const { complete: known, cut } = splitReorderTail(
    all,
    source.bFrames > 0 ? source.bFrames + 1 : 0,
  );
  const keyframeErrors = parts.flatMap((p) => p.keyframeErrors);
  for (const f of frames) {
    if (f.index === undefined) continue;
    const expected = f.index % SOURCE_GOP === 0;
    if (f.isKeyframe !== expected && keyframeErrors.length < 20)
      keyframeErrors.push(
        `frame ${f.index}: keyframe flag ${f.isKeyframe}, source says ${expected}`,
      );
  }
  return {
    segments: files.length,
    decodeErrors: parts.flatMap((p, i) =>
      p.errors ? [`${path.basename(files[i]!)}: ${p.errors}`] : [],
    ),
    frames,
    unknownFrames: frames.length - all.length,
    firstIndex: known[0],
    lastIndex: known.at(-1),
    gaps: sequenceGaps(known),
    reorderTailCut: cut,
    keyframeErrors,
    fragmentErrors: parts.flatMap((p) => p.fragmentErrors),
  };
}

export interface Differential {
  /** Source frames both recordings span: [first, last]. */
  overlap: [number, number];
  /** Pictures ffmpeg decoded inside the overlap. */
  oracleFrames: number;
  /** Inside the overlap: ffmpeg decoded these source frames, ours does not have them. */
  missingFromOurs: number[];
  /** Inside the overlap: ours has these, ffmpeg's recording does not (ffmpeg dropped them). */
  missingFromOracle: number[];
  /** Pictures of ffmpeg's recording that decode to no source picture (ffmpeg's own damage). */
  oracleDamaged: number;
}

/**
 * Compares by content: a source frame number stands for its picture hash, so "ours has frame i"
 * means ours decodes that picture bit-identically to the source (and to ffmpeg's recording).
 */
export function compareWithOracle(
  ours: RecordingAnalysis,
  oracle: RecordingAnalysis,
): Differential {
  const first = Math.max(ours.firstIndex ?? Infinity, oracle.firstIndex ?? Infinity);
  const last = Math.min(ours.lastIndex ?? -Infinity, oracle.lastIndex ?? -Infinity);
  const inside = (i: number | undefined): i is number => i !== undefined && i >= first && i <= last;
  const oursSet = new Set(ours.frames.map((f) => f.index).filter(inside));
  const oracleSet = new Set(oracle.frames.map((f) => f.index).filter(inside));
  return {
    overlap: [first, last],
    oracleFrames: oracleSet.size,
    missingFromOurs: [...oracleSet].filter((i) => !oursSet.has(i)),
    missingFromOracle: [...oursSet].filter((i) => !oracleSet.has(i)),
    oracleDamaged: oracle.unknownFrames,
  };
}
