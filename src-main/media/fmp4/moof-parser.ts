// Movie fragment (moof) parsing: per-sample timing, size, sync flag and data offset of one track.
// Reads only; it never checks the sample bytes themselves. Broken boxes are NvrError('malformed').
import { NvrError } from '../../base';
import { boxEnd, children, fullBoxReader, readBoxHeader, requireChild } from './box-reader';
import type { BoxHeader } from './box-reader';

/** trex defaults of a track (ISO/IEC 14496-12 8.8.3). */
export interface TrackDefaults {
  trackId: number;
  timescale: number;
  defaultSampleDurationTicks: number;
  defaultSampleSizeBytes: number;
  defaultSampleFlags: number;
}

export const DEFAULT_TRACK: TrackDefaults = {
  trackId: 1,
  timescale: 90_000,
  defaultSampleDurationTicks: 0,
  defaultSampleSizeBytes: 0,
  defaultSampleFlags: 0,
};

export interface ParsedSample {
  /** Decode time in track ticks. */
  dtsTicks: number;
  durationTicks: number;
  sizeBytes: number;
  /** Offset of the sample data in the buffer that was parsed. */
  dataOffset: number;
  compositionOffset: number;
  isKeyframe: boolean;
}

export interface ParsedMoof {
  sequenceNumber: number;
  /** tfdt of the track's traf, in track ticks. */
  baseMediaDecodeTimeTicks: number;
  samples: ParsedSample[];
}

const NON_SYNC_BIT = 0x00010000;
/** Guards allocation against garbage sample counts in all-defaults truns. */
const MAX_SAMPLES_PER_TRUN = 1_000_000;

/** Parses a moof, returning the samples of `defaults.trackId` (or of the first traf if absent). */
export function parseMoof(buf: Uint8Array, moof: BoxHeader, defaults: TrackDefaults): ParsedMoof {
  const mfhd = fullBoxReader(buf, requireChild(buf, moof, 'mfhd'));
  const sequenceNumber = mfhd.r.u32();
  const trafs = children(buf, moof).filter((c) => c.type === 'traf');
  if (trafs.length === 0) {
    throw new NvrError('malformed', "'moof' has no 'traf'", { byteOffset: moof.start });
  }
  let nextDataOffset = moof.start;
  let result: ParsedMoof | null = null;
  for (const traf of trafs) {
    const t = parseTraf(buf, traf, moof, defaults, nextDataOffset);
    nextDataOffset = t.dataEnd;
    const matches = t.trackId === defaults.trackId;
    if (matches || result === null) {
      result = { sequenceNumber, baseMediaDecodeTimeTicks: t.baseTicks, samples: t.samples };
      if (matches) break;
    }
  }
  return result!;
}

function parseTraf(
  buf: Uint8Array,
  traf: BoxHeader,
  moof: BoxHeader,
  defaults: TrackDefaults,
  implicitBase: number,
): { trackId: number; baseTicks: number; samples: ParsedSample[]; dataEnd: number } {
  const boxes = children(buf, traf);
  const tfhdBox = boxes.find((b) => b.type === 'tfhd');
  if (!tfhdBox) throw new NvrError('malformed', "'traf' has no 'tfhd'", { byteOffset: traf.start });
  const { r, flags } = fullBoxReader(buf, tfhdBox);
  const trackId = r.u32();
  let base = flags & 0x020000 ? moof.start : implicitBase;
  if (flags & 0x01) base = r.u64();
  if (flags & 0x02) r.u32(); // sample_description_index
  const defDuration = flags & 0x08 ? r.u32() : defaults.defaultSampleDurationTicks;
  const defSize = flags & 0x10 ? r.u32() : defaults.defaultSampleSizeBytes;
  const defFlags = flags & 0x20 ? r.u32() : defaults.defaultSampleFlags;

  let baseTicks = 0;
  const tfdt = boxes.find((b) => b.type === 'tfdt');
  if (tfdt) {
    const t = fullBoxReader(buf, tfdt);
    baseTicks = t.version === 1 ? t.r.u64() : t.r.u32();
  }

  const samples: ParsedSample[] = [];
  let dts = baseTicks;
  let dataPos = base;
  for (const trun of boxes.filter((b) => b.type === 'trun')) {
    const t = fullBoxReader(buf, trun);
    const count = t.r.u32();
    if (t.flags & 0x001) dataPos = base + t.r.i32();
    const firstFlags = t.flags & 0x004 ? t.r.u32() : undefined;
    const perSample =
      (t.flags & 0x100 ? 4 : 0) +
      (t.flags & 0x200 ? 4 : 0) +
      (t.flags & 0x400 ? 4 : 0) +
      (t.flags & 0x800 ? 4 : 0);
    if (
      (perSample > 0 && count * perSample > t.r.remaining) ||
      samples.length + count > MAX_SAMPLES_PER_TRUN
    ) {
      throw new NvrError('malformed', `'trun' sample count ${count} does not fit its box`, {
        byteOffset: trun.start,
      });
    }
    for (let i = 0; i < count; i++) {
      const durationTicks = t.flags & 0x100 ? t.r.u32() : defDuration;
      const sizeBytes = t.flags & 0x200 ? t.r.u32() : defSize;
      let sampleFlags = t.flags & 0x400 ? t.r.u32() : defFlags;
      if (i === 0 && firstFlags !== undefined) sampleFlags = firstFlags;
      let compositionOffset = 0;
      if (t.flags & 0x800) compositionOffset = t.version === 0 ? t.r.u32() : t.r.i32();
      samples.push({
        dtsTicks: dts,
        durationTicks,
        sizeBytes,
        dataOffset: dataPos,
        compositionOffset,
        isKeyframe: (sampleFlags & NON_SYNC_BIT) === 0,
      });
      dts += durationTicks;
      dataPos += sizeBytes;
    }
  }
  return { trackId, baseTicks, samples, dataEnd: dataPos };
}

export interface FragmentSampleInfo {
  pts90k: number;
  dts90k: number;
  durationTicks: number;
  sizeBytes: number;
  isKeyframe: boolean;
  /** Offset of the sample's data in the bytes passed to parseFragmentSamples. */
  dataOffset: number;
}

export interface ParsedFragment {
  sequenceNumber: number;
  baseMediaDecodeTime90k: number;
  samples: FragmentSampleInfo[];
  /** Offset just past the fragment's mdat. */
  end: number;
}

/** Converts track ticks to 90 kHz (identity for the 90 kHz tracks this project writes). */
export function ticksTo90k(ticks: number, timescale: number): number {
  return timescale === 90_000 ? ticks : Math.round((ticks * 90_000) / timescale);
}

/**
 * Parses one moof + mdat pair starting at `moofOffset` of `bytes` (the whole file or just the
 * pair). Throws NvrError('malformed') when the pair is broken or samples lie outside the mdat.
 * Durations and times are in 90 kHz; pass the track defaults from parseInitSegment.
 */
export function parseFragmentSamples(
  bytes: Uint8Array,
  moofOffset = 0,
  defaults: TrackDefaults = DEFAULT_TRACK,
): ParsedFragment {
  const moof = readBoxHeader(bytes, moofOffset);
  if (!moof || moof.type !== 'moof' || boxEnd(moof) > bytes.length) {
    throw new NvrError('malformed', "no whole 'moof' at offset", { byteOffset: moofOffset });
  }
  const mdat = readBoxHeader(bytes, boxEnd(moof));
  if (!mdat || mdat.type !== 'mdat' || boxEnd(mdat) > bytes.length) {
    throw new NvrError('malformed', "no whole 'mdat' after 'moof'", { byteOffset: boxEnd(moof) });
  }
  const parsed = parseMoof(bytes, moof, defaults);
  const dataStart = mdat.start + mdat.headerSize;
  const ts = defaults.timescale;
  const samples = parsed.samples.map((s): FragmentSampleInfo => {
    if (s.dataOffset < dataStart || s.dataOffset + s.sizeBytes > boxEnd(mdat)) {
      throw new NvrError('malformed', 'sample data outside the mdat', {
        byteOffset: s.dataOffset,
        sizeBytes: s.sizeBytes,
      });
    }
    return {
      dts90k: ticksTo90k(s.dtsTicks, ts),
      pts90k: ticksTo90k(s.dtsTicks + s.compositionOffset, ts),
      durationTicks: ticksTo90k(s.durationTicks, ts),
      sizeBytes: s.sizeBytes,
      isKeyframe: s.isKeyframe,
      dataOffset: s.dataOffset,
    };
  });
  return {
    sequenceNumber: parsed.sequenceNumber,
    baseMediaDecodeTime90k: ticksTo90k(parsed.baseMediaDecodeTimeTicks, ts),
    samples,
    end: boxEnd(mdat),
  };
}
