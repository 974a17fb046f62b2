// Bounds-checked ISO BMFF box and field reading. Owns box framing (32-bit, 64-bit largesize,
// size 0 = to the end); every out-of-bounds read is an NvrError('malformed'), never a RangeError.
import { NvrError } from '../../base';

export interface BoxHeader {
  /** Four-character code (latin1). */
  type: string;
  /** Offset of the box's first byte. */
  start: number;
  /** Whole box size including the header. */
  size: number;
  /** 8, or 16 with a 64-bit largesize. */
  headerSize: number;
}

export function boxEnd(h: BoxHeader): number {
  return h.start + h.size;
}

export function bodyStart(h: BoxHeader): number {
  return h.start + h.headerSize;
}

function fourcc(buf: Uint8Array, at: number): string {
  return String.fromCharCode(buf[at]!, buf[at + 1]!, buf[at + 2]!, buf[at + 3]!);
}

/**
 * Reads the box header at `offset`. Returns null when the header itself is cut off before `end`.
 * A size of 0 extends the box to `end`. Does not check that the body fits (see readBoxes).
 * Throws NvrError('malformed') for sizes smaller than the header.
 */
export function readBoxHeader(buf: Uint8Array, offset: number, end = buf.length): BoxHeader | null {
  if (offset + 8 > end) return null;
  const size32 =
    ((buf[offset]! << 24) |
      (buf[offset + 1]! << 16) |
      (buf[offset + 2]! << 8) |
      buf[offset + 3]!) >>>
    0;
  const type = fourcc(buf, offset + 4);
  if (size32 === 1) {
    if (offset + 16 > end) return null;
    let size = 0;
    for (let i = 8; i < 16; i++) size = size * 256 + buf[offset + i]!;
    if (!Number.isSafeInteger(size) || size < 16) {
      throw new NvrError('malformed', `bad 64-bit box size in '${type}'`, {
        byteOffset: offset,
        type,
      });
    }
    return { type, start: offset, size, headerSize: 16 };
  }
  if (size32 === 0) return { type, start: offset, size: end - offset, headerSize: 8 };
  if (size32 < 8) {
    throw new NvrError('malformed', `box size ${size32} smaller than its header`, {
      byteOffset: offset,
      type,
    });
  }
  return { type, start: offset, size: size32, headerSize: 8 };
}

/**
 * Iterates the boxes in [offset, end). Throws NvrError('malformed') when a header is cut off or a
 * box runs past `end`.
 */
export function* readBoxes(buf: Uint8Array, offset = 0, end = buf.length): Generator<BoxHeader> {
  const limit = Math.min(end, buf.length);
  let at = offset;
  while (at < limit) {
    const h = readBoxHeader(buf, at, limit);
    if (!h) throw new NvrError('malformed', 'truncated box header', { byteOffset: at });
    if (boxEnd(h) > limit) {
      throw new NvrError('malformed', `box '${h.type}' runs past the end`, {
        byteOffset: at,
        type: h.type,
        sizeBytes: h.size,
        endOffset: limit,
      });
    }
    yield h;
    at = boxEnd(h);
  }
}

/** The child boxes of a container box. */
export function children(buf: Uint8Array, parent: BoxHeader, skipBytes = 0): BoxHeader[] {
  return [...readBoxes(buf, bodyStart(parent) + skipBytes, boxEnd(parent))];
}

/** The first child of `type`, or undefined. */
export function findChild(
  buf: Uint8Array,
  parent: BoxHeader,
  type: string,
  skipBytes = 0,
): BoxHeader | undefined {
  return children(buf, parent, skipBytes).find((c) => c.type === type);
}

/** Like findChild, but a missing box is NvrError('malformed'). */
export function requireChild(buf: Uint8Array, parent: BoxHeader, type: string): BoxHeader {
  const c = findChild(buf, parent, type);
  if (!c) {
    throw new NvrError('malformed', `'${parent.type}' has no '${type}'`, {
      byteOffset: parent.start,
      type,
    });
  }
  return c;
}

/** Big-endian field cursor confined to [pos, end); reading past `end` is NvrError('malformed'). */
export class FieldReader {
  constructor(
    private readonly buf: Uint8Array,
    public pos: number,
    private readonly end: number,
  ) {}

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number): number {
    if (this.pos + n > this.end || this.pos + n > this.buf.length) {
      throw new NvrError('malformed', 'field runs past the end of its box', {
        byteOffset: this.pos,
        sizeBytes: n,
      });
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  u8(): number {
    return this.buf[this.need(1)]!;
  }

  u16(): number {
    const at = this.need(2);
    return (this.buf[at]! << 8) | this.buf[at + 1]!;
  }

  u24(): number {
    const at = this.need(3);
    return (this.buf[at]! << 16) | (this.buf[at + 1]! << 8) | this.buf[at + 2]!;
  }

  u32(): number {
    const at = this.need(4);
    const b = this.buf;
    return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
  }

  i32(): number {
    return this.u32() | 0;
  }

  /** 64-bit unsigned; values beyond 2^53 are NvrError('malformed'). */
  u64(): number {
    const hi = this.u32();
    const lo = this.u32();
    const v = hi * 0x1_0000_0000 + lo;
    if (!Number.isSafeInteger(v)) {
      throw new NvrError('malformed', '64-bit field beyond 2^53', { byteOffset: this.pos - 8 });
    }
    return v;
  }

  skip(n: number): void {
    this.need(n);
  }

  bytes(n: number): Uint8Array {
    const at = this.need(n);
    return this.buf.subarray(at, at + n);
  }

  fourcc(): string {
    const at = this.need(4);
    return fourcc(this.buf, at);
  }
}

/** A FieldReader over a full box body, having read version and flags. */
export function fullBoxReader(
  buf: Uint8Array,
  h: BoxHeader,
): { r: FieldReader; version: number; flags: number } {
  const r = new FieldReader(buf, bodyStart(h), boxEnd(h));
  const version = r.u8();
  const flags = r.u24();
  return { r, version, flags };
}
