// Reads the samples of a recorded keyframe group (from the keyframe at or before T up to the frame at
// T) with their wall times and the stream's parameter sets: the input of snapshots and thumbnails.
import { NvrError } from '../base';
import { parseFragmentSamples, parseInitSegment } from '../media/fmp4';
import type { InitSegmentInfo } from '../media/fmp4';
import { SegmentFile } from '../storage';
import type { TimedFragment } from './fragment-plan';
import { segmentWallMs } from './fragment-plan';

export interface RecordedFrames {
  init: InitSegmentInfo;
  /** Sample payloads (length-prefixed NAL units), decode order, the first a keyframe. */
  samples: Uint8Array[];
  /** Wall clock of each sample (ms, fractional). */
  wallMs: number[];
}

/**
 * Reads the fragments (all of one segment file, the first a keyframe fragment), optionally stopping
 * after the last sample at or before `untilMs`.
 */
export async function readRecordedFrames(
  dataDir: string,
  fragments: readonly TimedFragment[],
  opts: { untilMs?: number; maxSamples?: number } = {},
): Promise<RecordedFrames> {
  const first = fragments[0];
  if (!first) throw new NvrError('not_found', 'no recorded frames');
  const segment = first.segment;
  const file = await SegmentFile.open(dataDir, segment.path);
  try {
    const init = parseInitSegment(await file.read(0, segment.initSize));
    const samples: Uint8Array[] = [];
    const wallMs: number[] = [];
    for (const f of fragments) {
      if (f.segment.id !== segment.id) break;
      const bytes = await file.read(f.offset, f.sizeBytes);
      const parsed = parseFragmentSamples(bytes, 0, init.trackDefaults);
      for (const s of parsed.samples) {
        const wall = segmentWallMs(segment, s.pts90k);
        if (opts.untilMs !== undefined && wall > opts.untilMs && samples.length > 0)
          return { init, samples, wallMs };
        samples.push(bytes.subarray(s.dataOffset, s.dataOffset + s.sizeBytes));
        wallMs.push(wall);
        if (opts.maxSamples !== undefined && samples.length >= opts.maxSamples)
          return { init, samples, wallMs };
      }
    }
    return { init, samples, wallMs };
  } finally {
    await file.close();
  }
}
