// Annex B byte streams and length-prefixed (AVCC/HVCC) NAL framing. Owns splitting and joining only;
// it knows nothing about codecs and never inspects NAL payloads.
import { NvrError, copyBytes } from '../../base';

const START_CODE = new Uint8Array([0, 0, 0, 1]);

/** Drops trailing zero bytes (trailing_zero_8bits, or the leading zero of a 4-byte start code). */
function trimTrailingZeros(nal: Uint8Array): Uint8Array {
  let end = nal.length;
  while (end > 0 && nal[end - 1] === 0) end--;
  return end === nal.length ? nal : nal.subarray(0, end);
}

/** Finds the next `00 00 01` at or after `from`; returns its offset or -1. */
function findStartCode(data: Uint8Array, from: number): number {
  const last = data.length - 3;
  for (let i = from; i <= last; i++) {
    if (data[i + 2]! > 1) {
      i += 2; // neither i, i+1 nor i+2 can begin a start code here
      continue;
    }
    if (data[i] === 0 && data[i + 1] === 0 && data[i + 2] === 1) return i;
  }
  return -1;
}

/**
 * Splits an Annex B byte stream into NAL units (without start codes). Accepts 3- and 4-byte start
 * codes; bytes before the first start code are ignored; empty units are dropped. Returns views.
 */
export function splitAnnexB(data: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let sc = findStartCode(data, 0);
  while (sc >= 0) {
    const begin = sc + 3;
    const next = findStartCode(data, begin);
    const nal = trimTrailingZeros(data.subarray(begin, next < 0 ? data.length : next));
    if (nal.length > 0) out.push(nal);
    sc = next;
  }
  return out;
}

/**
 * Streaming Annex B splitter for data read in chunks: `push` returns the NAL units known to be
 * complete (a later start code was seen); `flush` returns the last one at end of stream.
 * Returned units are copies and stay valid after later pushes.
 */
export class AnnexBSplitter {
  /** Buffered bytes are buf[0, len); capacity grows by doubling so big units cost O(n) copying. */
  private buf = new Uint8Array(0);
  private len = 0;
  /** Offset in `buf` of the first byte after the current unit's start code, or -1 before any. */
  private unitStart = -1;
  /** Where to resume the start-code scan in `buf`. */
  private scanFrom = 0;

  push(chunk: Uint8Array): Uint8Array[] {
    if (chunk.length === 0) return [];
    if (this.len + chunk.length > this.buf.length) {
      const grown = new Uint8Array(Math.max(this.len + chunk.length, this.buf.length * 2, 4096));
      grown.set(this.buf.subarray(0, this.len), 0);
      this.buf = grown;
    }
    this.buf.set(chunk, this.len);
    this.len += chunk.length;
    const data = this.buf.subarray(0, this.len);
    const out: Uint8Array[] = [];
    for (;;) {
      const sc = findStartCode(data, this.scanFrom);
      if (sc < 0) break;
      if (this.unitStart >= 0) {
        const nal = trimTrailingZeros(data.subarray(this.unitStart, sc));
        if (nal.length > 0) out.push(copyBytes(nal)); // buf is reused
      }
      this.unitStart = sc + 3;
      this.scanFrom = sc + 3;
    }
    // Keep the current unit plus the last 2 bytes (a start code may straddle chunks).
    this.scanFrom = Math.max(this.scanFrom, this.len - 2);
    const keepFrom = this.unitStart >= 0 ? this.unitStart : this.scanFrom;
    if (keepFrom > 0) {
      this.buf.copyWithin(0, keepFrom, this.len);
      this.len -= keepFrom;
      this.scanFrom -= keepFrom;
      if (this.unitStart >= 0) this.unitStart -= keepFrom;
    }
    return out;
  }

  flush(): Uint8Array[] {
    const out: Uint8Array[] = [];
    if (this.unitStart >= 0) {
      const nal = trimTrailingZeros(this.buf.subarray(this.unitStart, this.len));
      if (nal.length > 0) out.push(copyBytes(nal)); // buf is reused
    }
    this.buf = new Uint8Array(0);
    this.len = 0;
    this.unitStart = -1;
    this.scanFrom = 0;
    return out;
  }
}

/** Joins NAL units into an Annex B stream with 4-byte start codes. */
export function annexB(nalus: Uint8Array[]): Uint8Array {
  let size = 0;
  for (const n of nalus) size += 4 + n.length;
  const out = new Uint8Array(size);
  let off = 0;
  for (const n of nalus) {
    out.set(START_CODE, off);
    out.set(n, off + 4);
    off += 4 + n.length;
  }
  return out;
}

/** Joins NAL units with 4-byte big-endian length prefixes (AVCC/HVCC sample format). */
export function avccLengthPrefixed(nalus: Uint8Array[]): Uint8Array {
  let size = 0;
  for (const n of nalus) size += 4 + n.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let off = 0;
  for (const n of nalus) {
    view.setUint32(off, n.length);
    out.set(n, off + 4);
    off += 4 + n.length;
  }
  return out;
}

/** Splits length-prefixed NAL units (1, 2, 3 or 4-byte big-endian lengths). Returns views. */
export function parseLengthPrefixed(data: Uint8Array, lengthSize = 4): Uint8Array[] {
  if (lengthSize < 1 || lengthSize > 4 || !Number.isInteger(lengthSize)) {
    throw new NvrError('malformed', `invalid NAL length size ${lengthSize}`, { lengthSize });
  }
  const out: Uint8Array[] = [];
  let off = 0;
  while (off < data.length) {
    if (off + lengthSize > data.length) {
      throw new NvrError('malformed', 'truncated NAL length prefix', {
        byteOffset: off,
        sizeBytes: data.length,
      });
    }
    let len = 0;
    for (let i = 0; i < lengthSize; i++) len = len * 256 + data[off + i]!;
    off += lengthSize;
    if (off + len > data.length) {
      throw new NvrError('malformed', 'NAL unit runs past the end of the data', {
        byteOffset: off - lengthSize,
        nalSizeBytes: len,
        sizeBytes: data.length,
      });
    }
    out.push(data.subarray(off, off + len));
    off += len;
  }
  return out;
}
