// Growable big-endian byte writer with nested ISO BMFF box helpers. Owns byte layout only;
// it knows nothing about tracks, codecs or fragments.
import { NvrError, copyBytes } from '../../base';

export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;

  constructor(initialSizeBytes = 1024) {
    this.buf = new Uint8Array(initialSizeBytes);
    this.view = new DataView(this.buf.buffer);
  }

  get offset(): number {
    return this.pos;
  }

  private reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): this {
    this.reserve(1);
    this.view.setUint8(this.pos, v);
    this.pos += 1;
    return this;
  }

  u16(v: number): this {
    this.reserve(2);
    this.view.setUint16(this.pos, v);
    this.pos += 2;
    return this;
  }

  i16(v: number): this {
    this.reserve(2);
    this.view.setInt16(this.pos, v);
    this.pos += 2;
    return this;
  }

  u24(v: number): this {
    this.reserve(3);
    this.view.setUint8(this.pos, (v >>> 16) & 0xff);
    this.view.setUint16(this.pos + 1, v & 0xffff);
    this.pos += 3;
    return this;
  }

  u32(v: number): this {
    this.reserve(4);
    this.view.setUint32(this.pos, v >>> 0);
    this.pos += 4;
    return this;
  }

  i32(v: number): this {
    this.reserve(4);
    this.view.setInt32(this.pos, v);
    this.pos += 4;
    return this;
  }

  /** Writes a non-negative safe integer as 64 bits. */
  u64(v: number): this {
    if (!Number.isSafeInteger(v) || v < 0) {
      throw new NvrError('internal', `not a 64-bit unsigned safe integer: ${v}`, { value: v });
    }
    this.reserve(8);
    this.view.setBigUint64(this.pos, BigInt(v));
    this.pos += 8;
    return this;
  }

  fourcc(type: string): this {
    if (type.length !== 4) throw new NvrError('internal', `box type must be 4 chars: '${type}'`);
    for (let i = 0; i < 4; i++) this.u8(type.charCodeAt(i));
    return this;
  }

  bytes(data: Uint8Array): this {
    this.reserve(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
    return this;
  }

  zeros(n: number): this {
    this.reserve(n);
    this.buf.fill(0, this.pos, this.pos + n);
    this.pos += n;
    return this;
  }

  /** Overwrites a 32-bit value at an earlier offset. */
  patchU32(at: number, v: number): void {
    this.view.setUint32(at, v >>> 0);
  }

  /** Writes a box: 32-bit size, type, then whatever `body` writes. */
  box(type: string, body: () => void = () => {}): this {
    const start = this.pos;
    this.u32(0).fourcc(type);
    body();
    this.patchU32(start, this.pos - start);
    return this;
  }

  /** Writes a full box (version and 24-bit flags after the header). */
  fullBox(type: string, version: number, flags: number, body: () => void = () => {}): this {
    return this.box(type, () => {
      this.u8(version).u24(flags);
      body();
    });
  }

  /** The written bytes (a copy sized to fit). */
  finish(): Uint8Array {
    return copyBytes(this.buf, 0, this.pos);
  }
}
