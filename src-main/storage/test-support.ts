// Test helpers for storage: real fMP4 bytes from media/fmp4 (a real H.264 SPS/PPS, synthetic
// sample payloads), temp data dirs, and segments written through SegmentFileWriter. Tests only.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildFragment, buildInitSegment, trackConfigFromParameterSets } from '../media/fmp4';
import type { FragmentRecord } from './fragment-index';
import type { RecordingIndex } from './recording-index';
import { SegmentFileWriter } from './segment-file-writer';

/** SPS/PPS of a 160x120 x264 stream (ffmpeg testsrc). */
const SPS = Buffer.from('6764000aacd942847e5c0440000003004000000783c4896580', 'hex');
const PPS = Buffer.from('68ebe3cb22c0', 'hex');

export const FRAME_TICKS = 6000; // 15 fps

export function makeInit(): Uint8Array {
  return buildInitSegment(trackConfigFromParameterSets({ codec: 'h264', sps: SPS, pps: PPS }));
}

/** One moof+mdat of `frames` samples (the first a keyframe) starting at startPts90k. */
export function makeFragment(
  sequenceNumber: number,
  startPts90k: number,
  frames = 15,
  frameBytes = 300,
): Uint8Array {
  const samples = Array.from({ length: frames }, (_, i) => {
    const data = new Uint8Array(frameBytes);
    data.fill((sequenceNumber * 31 + i) & 0xff);
    // 4-byte NAL length prefix, then an IDR (5) or non-IDR (1) NAL header.
    new DataView(data.buffer).setUint32(0, frameBytes - 4);
    data[4] = i === 0 ? 0x65 : 0x41;
    return { data, durationTicks: FRAME_TICKS, isKeyframe: i === 0 };
  });
  return buildFragment({ sequenceNumber, baseMediaDecodeTime90k: startPts90k, samples });
}

export interface TempDir {
  dir: string;
  cleanup(): void;
}

export function makeTempDir(prefix = 'nvr-storage-'): TempDir {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export interface WrittenSegment {
  writer: SegmentFileWriter;
  records: FragmentRecord[];
}

/** Writes a segment file of `fragments` one-second fragments (left open unless close is set). */
export function writeSegmentFile(
  dataDir: string,
  cameraId: string,
  stream: string,
  startMs: number,
  fragments: number,
  opts: { firstPts90k?: number; close?: boolean } = {},
): WrittenSegment {
  const writer = SegmentFileWriter.open({ dataDir, cameraId, stream, startMs, init: makeInit() });
  const records: FragmentRecord[] = [];
  let pts = opts.firstPts90k ?? 900_000;
  for (let i = 0; i < fragments; i++) {
    const bytes = makeFragment(i + 1, pts);
    const { offset, sizeBytes } = writer.append(bytes);
    records.push({
      offset,
      sizeBytes,
      startPts90k: pts,
      duration90k: 15 * FRAME_TICKS,
      sampleCount: 15,
      isKeyframe: true,
    });
    pts += 15 * FRAME_TICKS;
  }
  if (opts.close) writer.close();
  return { writer, records };
}

/** Writes and indexes a closed segment (file and row) in an existing run. */
export function recordSegment(
  index: RecordingIndex,
  runId: number,
  cameraId: string,
  stream: string,
  startMs: number,
  fragments: number,
): number {
  const { writer, records } = writeSegmentFile(index.dataDir, cameraId, stream, startMs, fragments);
  const id = index.openSegment({
    runId,
    cameraId,
    stream,
    startMs,
    path: writer.relativePath,
    initSize: writer.initSize,
    codec: 'h264',
  });
  index.appendFragments(id, records);
  writer.close();
  index.closeSegment(id);
  return id;
}
