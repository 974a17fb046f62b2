// Streaming fragmenter: access units in, finished moof+mdat fragments out. Owns the cut policy
// (a keyframe always starts a fragment; a fragment is also cut at ~maxFragmentDurationMs).
// It does no I/O and keeps no clock: durations come from the units' own timestamps.
import type { AccessUnit, VideoCodec } from '../types';
import { accessUnitToSampleParts, buildFragmentParts, joinParts } from './fragment';
import type { FragmentSample, SampleOptions } from './fragment';

export interface FinishedFragment {
  /** moof + mdat as pieces to write in order (writev): the sample data is not copied. */
  parts: Uint8Array[];
  sizeBytes: number;
  /** moof + mdat in one buffer (joined on first use). */
  readonly bytes: Uint8Array;
  sequenceNumber: number;
  /** Presentation time of the first sample (also the tfdt decode time for streams without B-frames). */
  startPts90k: number;
  /** Sum of the sample durations. */
  durationTicks: number;
  /** True when the first sample is a keyframe (a random access point). */
  isKeyframeStart: boolean;
  sampleCount: number;
}

export interface FragmentBuilderOptions {
  codec: VideoCodec;
  /** Cut a fragment once its samples reach this duration. Default 1000. */
  maxFragmentDurationMs?: number;
  /** mfhd sequence number of the first fragment. Default 1. */
  firstSequenceNumber?: number;
  /** Duration of the very last unit at flush when no earlier duration is known. Default 6000 (15 fps). */
  defaultDurationTicks?: number;
  sampleOptions?: SampleOptions;
}

interface PendingUnit {
  dts90k: number;
  pts90k: number;
  isKeyframe: boolean;
  data: Uint8Array[];
}

/**
 * Push access units in decode order; each call returns the fragments it finished (0 or 1).
 * The last unit is held back until the next one gives its duration; `flush()` ends the stream.
 * Units before the first keyframe are dropped (counted in `droppedUnits`), so output starts
 * with a keyframe. A non-increasing decode time reuses the previous sample duration.
 */
export class FragmentBuilder {
  private readonly codec: VideoCodec;
  private readonly maxDurationTicks: number;
  private readonly defaultDurationTicks: number;
  private readonly sampleOptions: SampleOptions;
  private sequenceNumber: number;
  private held: PendingUnit | null = null;
  private samples: FragmentSample[] = [];
  private firstDts90k = 0;
  private firstPts90k = 0;
  private pendingDurationTicks = 0;
  private lastDurationTicks: number | null = null;
  private started = false;
  /** Units dropped while waiting for the first keyframe. */
  droppedUnits = 0;

  constructor(opts: FragmentBuilderOptions) {
    this.codec = opts.codec;
    this.maxDurationTicks = Math.round((opts.maxFragmentDurationMs ?? 1000) * 90);
    this.defaultDurationTicks = opts.defaultDurationTicks ?? 6000;
    this.sequenceNumber = opts.firstSequenceNumber ?? 1;
    this.sampleOptions = opts.sampleOptions ?? {};
  }

  /** The next sequence number to be written (continue it in the next segment file if wanted). */
  get nextSequenceNumber(): number {
    return this.sequenceNumber;
  }

  push(au: AccessUnit): FinishedFragment[] {
    if (!this.started) {
      if (!au.isKeyframe) {
        this.droppedUnits++;
        return [];
      }
      this.started = true;
    }
    const unit: PendingUnit = {
      dts90k: au.dts90k ?? au.pts90k,
      pts90k: au.pts90k,
      isKeyframe: au.isKeyframe,
      data: accessUnitToSampleParts(au, this.codec, this.sampleOptions),
    };
    const out: FinishedFragment[] = [];
    const held = this.held;
    if (held) {
      let duration = unit.dts90k - held.dts90k;
      if (duration <= 0) duration = this.lastDurationTicks ?? this.defaultDurationTicks;
      this.lastDurationTicks = duration;
      this.append(held, duration);
      if (unit.isKeyframe || this.pendingDurationTicks >= this.maxDurationTicks) {
        out.push(this.close());
      }
    }
    this.held = unit;
    return out;
  }

  /**
   * Ends the stream: the held unit lasts until `endDts90k` when given (the next unit's time, when a
   * segment is cut before it), else the previous duration. Returns the last fragment, if any.
   */
  flush(endDts90k?: number): FinishedFragment[] {
    const held = this.held;
    this.held = null;
    if (held) {
      const until = endDts90k !== undefined ? endDts90k - held.dts90k : 0;
      this.append(held, until > 0 ? until : (this.lastDurationTicks ?? this.defaultDurationTicks));
    }
    return this.samples.length > 0 ? [this.close()] : [];
  }

  private append(unit: PendingUnit, durationTicks: number): void {
    if (this.samples.length === 0) {
      this.firstDts90k = unit.dts90k;
      this.firstPts90k = unit.pts90k;
      this.pendingDurationTicks = 0;
    }
    const sample: FragmentSample = { data: unit.data, durationTicks, isKeyframe: unit.isKeyframe };
    if (unit.pts90k !== unit.dts90k) sample.compositionOffset = unit.pts90k - unit.dts90k;
    this.samples.push(sample);
    this.pendingDurationTicks += durationTicks;
  }

  private close(): FinishedFragment {
    const samples = this.samples;
    this.samples = [];
    const sequenceNumber = this.sequenceNumber++;
    const parts = buildFragmentParts({
      sequenceNumber,
      baseMediaDecodeTime90k: this.firstDts90k,
      samples,
    });
    let joined: Uint8Array | undefined;
    return {
      parts,
      sizeBytes: parts.reduce((n, p) => n + p.length, 0),
      get bytes() {
        return (joined ??= joinParts(parts));
      },
      sequenceNumber,
      startPts90k: this.firstPts90k,
      durationTicks: this.pendingDurationTicks,
      isKeyframeStart: samples[0]!.isKeyframe,
      sampleCount: samples.length,
    };
  }
}
