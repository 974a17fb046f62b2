// One movie fragment (moof + mdat) for the video track, and access unit → sample conversion.
// Owns the moof/trun layout; it does not decide where fragments start (see fragment-builder.ts).
import { NvrError } from '../../base';
import { avccLengthPrefixed } from '../nal';
import type { AccessUnit, VideoCodec } from '../types';
import { ByteWriter } from './box-writer';
import { VIDEO_TRACK_ID } from './init-segment';

/** sample_depends_on = 2 (does not depend on others): a sync sample. */
export const SYNC_SAMPLE_FLAGS = 0x02000000;
/** sample_depends_on = 1, sample_is_non_sync_sample = 1. */
export const NON_SYNC_SAMPLE_FLAGS = 0x01010000;

export interface FragmentSample {
  /**
   * NAL units with 4-byte big-endian length prefixes (AVCC/HVCC form): one buffer, or the pieces in
   * order (prefixes and NAL views) so the recorder writes them with writev instead of copying.
   */
  data: Uint8Array | readonly Uint8Array[];
  durationTicks: number;
  isKeyframe: boolean;
  /** pts - dts in track ticks; absent means 0. */
  compositionOffset?: number;
}

export interface FragmentInput {
  sequenceNumber: number;
  /** Decode time of the first sample (tfdt, written as 64 bits). */
  baseMediaDecodeTime90k: number;
  samples: FragmentSample[];
}

const TFHD_DEFAULT_BASE_IS_MOOF = 0x020000;
const TRUN_DATA_OFFSET = 0x000001;
const TRUN_DURATION = 0x000100;
const TRUN_SIZE = 0x000200;
const TRUN_FLAGS = 0x000400;
const TRUN_CTO = 0x000800;

const sizeOf = (data: Uint8Array | readonly Uint8Array[]): number =>
  data instanceof Uint8Array ? data.length : data.reduce((n, p) => n + p.length, 0);

/**
 * Builds moof + mdat as pieces to write in order: the moof and mdat header in one buffer, then the
 * sample data as given (no copy). Throws NvrError('internal') on an empty sample list or a >4 GiB mdat.
 */
export function buildFragmentParts(input: FragmentInput): Uint8Array[] {
  const { samples } = input;
  if (samples.length === 0) throw new NvrError('internal', 'a fragment needs at least one sample');
  let mdatPayload = 0;
  let hasCto = false;
  let negativeCto = false;
  const sizes = samples.map((s) => sizeOf(s.data));
  for (let i = 0; i < samples.length; i++) {
    mdatPayload += sizes[i]!;
    const cto = samples[i]!.compositionOffset;
    if (cto) {
      hasCto = true;
      if (cto < 0) negativeCto = true;
    }
  }
  if (mdatPayload + 8 > 0xffffffff) {
    throw new NvrError('internal', 'fragment too large for a 32-bit mdat', {
      sizeBytes: mdatPayload,
    });
  }
  const w = new ByteWriter(256 + samples.length * 16);
  let dataOffsetAt = 0;
  const moofStart = w.offset;
  w.box('moof', () => {
    w.fullBox('mfhd', 0, 0, () => w.u32(input.sequenceNumber));
    w.box('traf', () => {
      w.fullBox('tfhd', 0, TFHD_DEFAULT_BASE_IS_MOOF, () => w.u32(VIDEO_TRACK_ID));
      w.fullBox('tfdt', 1, 0, () => w.u64(input.baseMediaDecodeTime90k));
      const flags =
        TRUN_DATA_OFFSET | TRUN_DURATION | TRUN_SIZE | TRUN_FLAGS | (hasCto ? TRUN_CTO : 0);
      w.fullBox('trun', negativeCto ? 1 : 0, flags, () => {
        w.u32(samples.length);
        dataOffsetAt = w.offset;
        w.i32(0); // patched below
        samples.forEach((s, i) => {
          w.u32(s.durationTicks);
          w.u32(sizes[i]!);
          w.u32(s.isKeyframe ? SYNC_SAMPLE_FLAGS : NON_SYNC_SAMPLE_FLAGS);
          if (hasCto) {
            if (negativeCto) w.i32(s.compositionOffset ?? 0);
            else w.u32(s.compositionOffset ?? 0);
          }
        });
      });
    });
  });
  w.patchU32(dataOffsetAt, w.offset - moofStart + 8);
  w.u32(mdatPayload + 8).fourcc('mdat');
  const parts: Uint8Array[] = [w.finish()];
  for (const s of samples) {
    if (s.data instanceof Uint8Array) parts.push(s.data);
    else parts.push(...s.data);
  }
  return parts;
}

/** Joins pieces into one buffer. */
export function joinParts(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Builds moof + mdat as one buffer. */
export function buildFragment(input: FragmentInput): Uint8Array {
  return joinParts(buildFragmentParts(input));
}

export interface SampleOptions {
  /** Drop VPS/SPS/PPS NAL units (they live in the init segment). Default true. */
  dropParameterSets?: boolean;
}

/** NAL unit types dropped from samples: access unit delimiters and filler data always. */
function dropKind(codec: VideoCodec, nal: Uint8Array): 'aud' | 'ps' | 'keep' {
  if (nal.length === 0) return 'aud';
  if (codec === 'h264') {
    const t = nal[0]! & 0x1f;
    if (t === 9 || t === 12) return 'aud';
    return t === 7 || t === 8 ? 'ps' : 'keep';
  }
  const t = (nal[0]! >> 1) & 0x3f;
  if (t === 35 || t === 38) return 'aud';
  return t >= 32 && t <= 34 ? 'ps' : 'keep';
}

/**
 * Writes an access unit's NAL units in 4-byte length-prefixed form, skipping AUDs, filler data and
 * (by default) parameter sets already in the init segment.
 */
export function accessUnitToSample(
  au: AccessUnit,
  codec: VideoCodec,
  opts: SampleOptions = {},
): Uint8Array {
  return avccLengthPrefixed(keptNalus(au, codec, opts));
}

/** The same sample as pieces (4-byte length prefixes and views of the NAL units): no copy. */
export function accessUnitToSampleParts(
  au: AccessUnit,
  codec: VideoCodec,
  opts: SampleOptions = {},
): Uint8Array[] {
  const keep = keptNalus(au, codec, opts);
  const prefixes = new Uint8Array(4 * keep.length);
  const view = new DataView(prefixes.buffer);
  const parts: Uint8Array[] = [];
  keep.forEach((nal, i) => {
    view.setUint32(4 * i, nal.length);
    parts.push(prefixes.subarray(4 * i, 4 * i + 4), nal);
  });
  return parts;
}

function keptNalus(au: AccessUnit, codec: VideoCodec, opts: SampleOptions): Uint8Array[] {
  const dropPs = opts.dropParameterSets ?? true;
  return au.nalus.filter((n) => {
    const kind = dropKind(codec, n);
    return kind === 'keep' || (kind === 'ps' && !dropPs);
  });
}
