// Export planning: which stored samples of one camera stream go into an MP4, with what durations and
// edit list, read from the index and the files' moof boxes only (no sample bytes, no decoding).
// Starts at the keyframe at or before `from`; gaps are kept as real time or collapsed.
import type { Logger } from '../base';
import { NvrError } from '../base';
import { parseInitSegment, parseMoof, readBoxHeader } from '../media/fmp4';
import type { InitSegmentInfo, Mp4Chunk, Mp4Edit, Mp4Sample, Mp4TrackInput } from '../media/fmp4';
import { SegmentFile } from '../storage';
import type { SegmentRow } from '../storage';
import { HOLE_TOLERANCE_90K, planFragments, segmentWallMs } from './fragment-plan';
import type { TimedFragment } from './fragment-plan';

export type GapMode = 'preserve' | 'collapse';

/** Where a chunk's bytes are: a contiguous range of one segment file. */
export interface ChunkSource {
  segment: SegmentRow;
  fileOffset: number;
  sizeBytes: number;
}

export interface ExportTrackPlan {
  cameraId: string;
  stream: string;
  config: InitSegmentInfo;
  samples: Mp4Sample[];
  chunks: Mp4Chunk[];
  sources: ChunkSource[];
  /** Wall clock of the first shown frame (the one shown at fromMs, or the first after it) and of the end. */
  startWallMs: number;
  endWallMs: number;
  /** Output media time of startWallMs / endWallMs (90 kHz, presentation offset not included). */
  outFrom90k: number;
  outTo90k: number;
  firstCompositionOffset: number;
  segmentIds: number[];
  /** Fragments dropped because their file was missing, truncated or unreadable. */
  skippedFragments: number;
}

interface SourceSample extends Mp4Sample {
  dts90k: number;
  wallMs: number;
  breakBefore: boolean;
}

export interface PlanTrackInput {
  dataDir: string;
  cameraId: string;
  stream: string;
  fromMs: number;
  toMs: number;
  gaps: GapMode;
  /** Index rows overlapping the window (RecordingIndex.querySegments). */
  rows: readonly SegmentRow[];
  logger: Logger;
  signal?: AbortSignal;
}

const HEADER_PROBE_BYTES = 4096;

function configKey(c: InitSegmentInfo): string {
  const hex = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString('hex') : '');
  return `${c.codec}:${hex(c.vps)}:${hex(c.sps)}:${hex(c.pps)}`;
}

/** Reads the moof of one fragment and returns its samples with file offsets. */
async function readFragmentSamples(
  file: SegmentFile,
  f: TimedFragment,
  init: InitSegmentInfo,
): Promise<{ samples: SourceSample[]; fileOffset: number; sizeBytes: number }> {
  let buf = await file.read(f.offset, Math.min(f.sizeBytes, HEADER_PROBE_BYTES));
  const moof = readBoxHeader(buf, 0);
  if (!moof || moof.type !== 'moof')
    throw new NvrError('malformed', "no 'moof' where the index says", {
      path: f.segment.path,
      byteOffset: f.offset,
    });
  if (moof.size + 16 > buf.length)
    buf = await file.read(f.offset, Math.min(f.sizeBytes, moof.size + 16));
  const mdat = readBoxHeader(buf, moof.size);
  if (!mdat || mdat.type !== 'mdat')
    throw new NvrError('malformed', "no 'mdat' after the 'moof'", {
      path: f.segment.path,
      byteOffset: f.offset + moof.size,
    });
  const parsed = parseMoof(buf.subarray(0, moof.size), moof, init.trackDefaults);
  const dataStart = moof.size + mdat.headerSize;
  const samples: SourceSample[] = [];
  let expect = parsed.samples[0]?.dataOffset ?? dataStart;
  const firstOffset = expect;
  let size = 0;
  // Wall times follow presentation: with B-frames the decode times run ahead of the pictures by
  // the reorder delay (the first shown picture's pts − the first dts); 0 without B-frames.
  const firstDts = parsed.samples[0]?.dtsTicks ?? 0;
  const leadTicks = Math.max(
    0,
    Math.min(...parsed.samples.map((s) => s.dtsTicks + s.compositionOffset)) - firstDts,
  );
  for (const s of parsed.samples) {
    if (s.dataOffset !== expect || s.dataOffset < dataStart)
      throw new NvrError('malformed', 'fragment samples are not stored back to back', {
        path: f.segment.path,
        byteOffset: f.offset + s.dataOffset,
      });
    expect += s.sizeBytes;
    size += s.sizeBytes;
    samples.push({
      sizeBytes: s.sizeBytes,
      durationTicks: s.durationTicks,
      isKeyframe: s.isKeyframe,
      compositionOffset: s.compositionOffset,
      dts90k: s.dtsTicks,
      wallMs: segmentWallMs(f.segment, s.dtsTicks + leadTicks),
      breakBefore: false,
    });
  }
  if (firstOffset + size > f.sizeBytes)
    throw new NvrError('malformed', 'fragment samples run past the fragment', {
      path: f.segment.path,
      byteOffset: f.offset,
    });
  if (samples[0]) samples[0].breakBefore = f.breakBefore;
  return { samples, fileOffset: f.offset + firstOffset, sizeBytes: size };
}

/**
 * Plans one camera stream's track of an export; undefined when nothing was recorded in the window
 * (or nothing of it is readable). Missing/truncated/corrupt fragments are skipped and logged, and
 * the samples after them up to the next keyframe are dropped.
 */
export async function planExportTrack(input: PlanTrackInput): Promise<ExportTrackPlan | undefined> {
  const { logger } = input;
  const sizes = new Map<number, number | undefined>();
  const files = new Map<number, SegmentFile>();
  let skippedFragments = 0;
  try {
    await Promise.all(
      input.rows.map(async (row) => {
        try {
          const file = await SegmentFile.open(input.dataDir, row.path);
          files.set(row.id, file);
          sizes.set(row.id, file.sizeBytes);
        } catch (e) {
          logger.warn(
            { segmentId: row.id, path: row.path, err: String(e) },
            'segment file unreadable',
          );
          sizes.set(row.id, undefined);
        }
      }),
    );
    const plan = planFragments(input.rows, {
      fromMs: input.fromMs,
      toMs: input.toMs,
      fileSizes: sizes,
      onSkip: (segment, reason, fragmentIndex) => {
        skippedFragments += fragmentIndex === undefined ? segment.fragments.length : 1;
        logger.warn({ segmentId: segment.id, path: segment.path, fragmentIndex }, reason);
      },
    });

    const inits = new Map<number, InitSegmentInfo>();
    let config: InitSegmentInfo | undefined;
    let key: string | undefined;
    const samples: SourceSample[] = [];
    const chunks: Mp4Chunk[] = [];
    const sources: ChunkSource[] = [];
    let needKeyframe = false;
    let pendingBreak = false;
    // Read every fragment's moof, a segment's fragments concurrently.
    const bySegment = new Map<number, TimedFragment[]>();
    for (const f of plan) bySegment.set(f.segment.id, [...(bySegment.get(f.segment.id) ?? []), f]);
    for (const [segmentId, frags] of bySegment) {
      if (input.signal?.aborted) throw new NvrError('cancelled', 'export cancelled');
      const file = files.get(segmentId)!;
      const segment = frags[0]!.segment;
      let init = inits.get(segmentId);
      try {
        init ??= parseInitSegment(await file.read(0, segment.initSize));
        inits.set(segmentId, init);
      } catch (e) {
        logger.warn({ segmentId, path: segment.path, err: String(e) }, 'segment init unreadable');
        skippedFragments += frags.length;
        needKeyframe = pendingBreak = true;
        continue;
      }
      if (key === undefined) {
        key = configKey(init);
        config = init;
      } else if (configKey(init) !== key) {
        logger.warn(
          { segmentId, path: segment.path },
          'stream parameters changed: export ends here',
        );
        break;
      }
      const results = await Promise.all(
        frags.map((f) =>
          readFragmentSamples(file, f, init).catch((e: unknown) => {
            logger.warn(
              { segmentId, fragmentIndex: f.index, err: String(e) },
              'fragment unreadable',
            );
            return undefined;
          }),
        ),
      );
      results.forEach((r, i) => {
        const f = frags[i]!;
        if (!r || r.samples.length === 0) {
          skippedFragments++;
          needKeyframe = pendingBreak = true;
          return;
        }
        if (needKeyframe && !r.samples[0]!.isKeyframe) {
          skippedFragments++;
          return;
        }
        needKeyframe = false;
        if (pendingBreak) r.samples[0]!.breakBefore = true;
        pendingBreak = false;
        chunks.push({
          firstSample: samples.length,
          sampleCount: r.samples.length,
          sizeBytes: r.sizeBytes,
          orderKey: f.wallStartMs,
        });
        sources.push({ segment: f.segment, fileOffset: r.fileOffset, sizeBytes: r.sizeBytes });
        samples.push(...r.samples);
      });
    }
    trimAfter(samples, chunks, sources, input.toMs);
    if (!config || samples.length === 0) return undefined;
    return timeline(input, config, samples, chunks, sources, skippedFragments);
  } finally {
    await Promise.all([...files.values()].map((f) => f.close()));
  }
}

/** Drops samples at or after toMs (a suffix: chunks shrink or go). */
function trimAfter(
  samples: SourceSample[],
  chunks: Mp4Chunk[],
  sources: ChunkSource[],
  toMs: number,
): void {
  let keep = samples.length;
  while (keep > 1 && samples[keep - 1]!.wallMs >= toMs) keep--;
  if (keep === samples.length) return;
  samples.length = keep;
  while (chunks.length > 0) {
    const c = chunks[chunks.length - 1]!;
    const s = sources[sources.length - 1]!;
    if (c.firstSample >= keep) {
      chunks.pop();
      sources.pop();
      continue;
    }
    if (c.firstSample + c.sampleCount > keep) {
      let bytes = 0;
      for (let i = c.firstSample; i < keep; i++) bytes += samples[i]!.sizeBytes;
      const trimmed = { ...c, sampleCount: keep - c.firstSample, sizeBytes: bytes };
      chunks[chunks.length - 1] = trimmed;
      sources[sources.length - 1] = { ...s, sizeBytes: bytes };
    }
    break;
  }
}

/** Output durations (gaps kept or collapsed) and the window's position in them. */
function timeline(
  input: PlanTrackInput,
  config: InitSegmentInfo,
  samples: SourceSample[],
  chunks: Mp4Chunk[],
  sources: ChunkSource[],
  skippedFragments: number,
): ExportTrackPlan {
  const out = new Array<number>(samples.length);
  out[0] = 0;
  const frameTicks = samples.find((s) => s.durationTicks > 0)?.durationTicks ?? 3000;
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1]!;
    const b = samples[i]!;
    const natural = a.durationTicks > 0 ? a.durationTicks : frameTicks;
    const real = b.breakBefore ? Math.round((b.wallMs - a.wallMs) * 90) : b.dts90k - a.dts90k;
    const hole = real > natural + HOLE_TOLERANCE_90K;
    const delta = real <= 0 || (hole && input.gaps === 'collapse') ? natural : real;
    a.durationTicks = delta;
    out[i] = out[i - 1]! + delta;
  }
  const last = samples[samples.length - 1]!;
  if (last.durationTicks <= 0) last.durationTicks = frameTicks;

  /** The sample shown at a wall-clock instant (0 before the first) and the output time of the instant. */
  const at = (wallMs: number): { index: number; out90k: number } => {
    let lo = 0;
    let hi = samples.length - 1;
    if (wallMs <= samples[0]!.wallMs) return { index: 0, out90k: 0 };
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (samples[mid]!.wallMs <= wallMs) lo = mid;
      else hi = mid - 1;
    }
    const s = samples[lo]!;
    return {
      index: lo,
      out90k: out[lo]! + Math.min(Math.round((wallMs - s.wallMs) * 90), s.durationTicks),
    };
  };
  // The edit starts where the frame shown at `from` starts (less than a frame early), so every
  // player shows that frame first; it ends exactly at `to`.
  const from = at(input.fromMs);
  const outFrom90k = out[from.index]!;
  const outTo90k = Math.max(outFrom90k + 1, at(input.toMs).out90k);
  const startWallMs = samples[from.index]!.wallMs;
  const trackEnd = last.wallMs + last.durationTicks / 90;
  return {
    cameraId: input.cameraId,
    stream: input.stream,
    config,
    samples: samples.map((s) => ({
      sizeBytes: s.sizeBytes,
      durationTicks: s.durationTicks,
      isKeyframe: s.isKeyframe,
      compositionOffset: s.compositionOffset,
    })),
    chunks,
    sources,
    startWallMs,
    endWallMs: Math.min(input.toMs, trackEnd),
    outFrom90k,
    outTo90k,
    firstCompositionOffset: samples[0]!.compositionOffset,
    segmentIds: [...new Set(sources.map((s) => s.segment.id))],
    skippedFragments,
  };
}

/** The MP4 track of a plan, aligned to the export's start (an empty edit for a later start). */
export function toMp4Track(plan: ExportTrackPlan, exportStartWallMs: number): Mp4TrackInput {
  const edits: Mp4Edit[] = [];
  const delay = Math.round((plan.startWallMs - exportStartWallMs) * 90);
  if (delay > 0) edits.push({ durationTicks: delay, mediaTimeTicks: -1 });
  edits.push({
    durationTicks: plan.outTo90k - plan.outFrom90k,
    mediaTimeTicks: plan.outFrom90k + plan.firstCompositionOffset,
  });
  return {
    config: plan.config,
    samples: plan.samples,
    chunks: plan.chunks,
    edits,
    name: `${plan.cameraId} ${plan.stream}`,
  };
}
