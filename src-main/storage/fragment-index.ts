// The compact binary fragment index stored in `segments.fragment_index` (format in README.md).
// Pure encode/decode of varints; no SQLite, no fs. Malformed blobs throw NvrError('malformed').
import { NvrError, copyBytes } from '../base';

/** One fragment (`moof`+`mdat`) of a segment file, as the index stores it. */
export interface FragmentRecord {
  /** Byte offset of the fragment's `moof` in the segment file. */
  offset: number;
  sizeBytes: number;
  /** Decode time of the first sample, 90 kHz, widened (never wraps). */
  startPts90k: number;
  duration90k: number;
  sampleCount: number;
  /** The fragment starts with a keyframe. */
  isKeyframe: boolean;
}

export const FRAGMENT_INDEX_VERSION = 1;

const F_KEY = 1; // starts with a keyframe
const F_OFFSET = 2; // offset differs from the previous fragment's end: zigzag delta follows
const F_START = 4; // start differs from the previous fragment's end: zigzag delta follows
const F_DURATION = 8; // duration differs from the previous one: zigzag delta follows
const F_SAMPLES = 16; // sample count differs from the previous one: zigzag delta follows

/** Growable byte buffer with varint writers. */
class ByteWriter {
  bytes = new Uint8Array(64);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const next = new Uint8Array(Math.max(this.bytes.length * 2, this.length + n));
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }

  byte(b: number): void {
    this.reserve(1);
    this.bytes[this.length++] = b;
  }

  /** Unsigned LEB128 for a safe non-negative integer (up to 2^53). */
  varint(value: number): void {
    this.reserve(8);
    let v = value;
    while (v >= 0x80) {
      this.bytes[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.bytes[this.length++] = v;
  }

  zigzag(value: number): void {
    this.varint(value >= 0 ? value * 2 : -value * 2 - 1);
  }
}

/** Field values are kept below 2^51 so every delta's zigzag code stays a safe integer. */
const MAX_FIELD = 2 ** 51;

function checkField(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > MAX_FIELD)
    throw new NvrError('bad_request', `fragment ${name} must be an integer in [0, 2^51]`, {
      [name]: value,
    });
}

/**
 * Incremental encoder: holds the running state, so an open segment's blob grows by a few bytes
 * per fragment without re-encoding. `bytes()` returns the whole blob so far.
 */
export class FragmentIndexEncoder {
  private readonly out = new ByteWriter();
  private nextOffset = 0;
  private nextStart = 0;
  private lastDuration = 0;
  private lastSamples = 0;
  private count = 0;

  constructor() {
    this.out.byte(FRAGMENT_INDEX_VERSION);
  }

  get fragmentCount(): number {
    return this.count;
  }

  add(f: FragmentRecord): void {
    checkField('offset', f.offset);
    checkField('sizeBytes', f.sizeBytes);
    checkField('startPts90k', f.startPts90k);
    checkField('duration90k', f.duration90k);
    checkField('sampleCount', f.sampleCount);
    const offsetDelta = f.offset - this.nextOffset;
    const startDelta = f.startPts90k - this.nextStart;
    const durationDelta = f.duration90k - this.lastDuration;
    const samplesDelta = f.sampleCount - this.lastSamples;
    let flags = f.isKeyframe ? F_KEY : 0;
    if (offsetDelta !== 0) flags |= F_OFFSET;
    if (startDelta !== 0) flags |= F_START;
    if (durationDelta !== 0) flags |= F_DURATION;
    if (samplesDelta !== 0) flags |= F_SAMPLES;
    this.out.byte(flags);
    this.out.varint(f.sizeBytes);
    if (flags & F_OFFSET) this.out.zigzag(offsetDelta);
    if (flags & F_START) this.out.zigzag(startDelta);
    if (flags & F_DURATION) this.out.zigzag(durationDelta);
    if (flags & F_SAMPLES) this.out.zigzag(samplesDelta);
    this.nextOffset = f.offset + f.sizeBytes;
    this.nextStart = f.startPts90k + f.duration90k;
    this.lastDuration = f.duration90k;
    this.lastSamples = f.sampleCount;
    this.count++;
  }

  /** A copy of the blob so far. */
  bytes(): Uint8Array {
    return copyBytes(this.out.bytes, 0, this.out.length);
  }
}

export function encodeFragmentIndex(fragments: readonly FragmentRecord[]): Uint8Array {
  const enc = new FragmentIndexEncoder();
  for (const f of fragments) enc.add(f);
  return enc.bytes();
}

export function decodeFragmentIndex(blob: Uint8Array): FragmentRecord[] {
  if (blob.length === 0) return [];
  if (blob[0] !== FRAGMENT_INDEX_VERSION)
    throw new NvrError('malformed', 'unknown fragment index version', {
      version: blob[0],
      offset: 0,
    });
  let pos = 1;
  const varint = (): number => {
    let result = 0;
    let scale = 1;
    for (;;) {
      if (pos >= blob.length)
        throw new NvrError('malformed', 'fragment index truncated inside a varint', {
          offset: pos,
        });
      const b = blob[pos++]!;
      result += (b & 0x7f) * scale;
      if (b < 0x80) break;
      scale *= 0x80;
      if (scale > 2 ** 56)
        throw new NvrError('malformed', 'fragment index varint too long', { offset: pos });
    }
    return result;
  };
  const zigzag = (): number => {
    const z = varint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  };
  const out: FragmentRecord[] = [];
  let nextOffset = 0;
  let nextStart = 0;
  let duration = 0;
  let samples = 0;
  while (pos < blob.length) {
    const flags = blob[pos++]!;
    if (flags > 31)
      throw new NvrError('malformed', 'bad fragment index flags', { offset: pos - 1, flags });
    const sizeBytes = varint();
    const offset = nextOffset + (flags & F_OFFSET ? zigzag() : 0);
    const startPts90k = nextStart + (flags & F_START ? zigzag() : 0);
    if (flags & F_DURATION) duration += zigzag();
    if (flags & F_SAMPLES) samples += zigzag();
    if (offset < 0 || startPts90k < 0 || duration < 0 || samples < 0)
      throw new NvrError('malformed', 'fragment index decodes to a negative field', {
        offset: pos,
      });
    out.push({
      offset,
      sizeBytes,
      startPts90k,
      duration90k: duration,
      sampleCount: samples,
      isKeyframe: (flags & F_KEY) !== 0,
    });
    nextOffset = offset + sizeBytes;
    nextStart = startPts90k + duration;
  }
  return out;
}
