// RBSP extraction and an Exp-Golomb bit reader for parameter-set parsing. Owns bit-level reads;
// it never interprets syntax elements. Reading past the end throws NvrError('malformed').
import { NvrError } from '../../base';

/** Removes emulation-prevention bytes (`00 00 03` → `00 00`), giving the RBSP. Copies only if needed. */
export function removeEmulationPrevention(nal: Uint8Array): Uint8Array {
  let zeros = 0;
  let firstEpb = -1;
  for (let i = 0; i < nal.length; i++) {
    const b = nal[i]!;
    if (zeros >= 2 && b === 3) {
      firstEpb = i;
      break;
    }
    zeros = b === 0 ? zeros + 1 : 0;
  }
  if (firstEpb < 0) return nal;
  const out = new Uint8Array(nal.length);
  out.set(nal.subarray(0, firstEpb), 0);
  let len = firstEpb;
  zeros = 0;
  for (let i = firstEpb + 1; i < nal.length; i++) {
    const b = nal[i]!;
    if (zeros >= 2 && b === 3) {
      zeros = 0;
      continue;
    }
    out[len++] = b;
    zeros = b === 0 ? zeros + 1 : 0;
  }
  return out.subarray(0, len);
}

/** MSB-first bit reader over an RBSP. */
export class BitReader {
  private bitPos = 0;

  constructor(
    private readonly data: Uint8Array,
    /** Byte offset of `data` in the enclosing unit, for error context. */
    private readonly baseOffset = 0,
  ) {}

  get bitsLeft(): number {
    return this.data.length * 8 - this.bitPos;
  }

  get bitsRead(): number {
    return this.bitPos;
  }

  private overrun(what: string, bits: number): never {
    throw new NvrError('malformed', `bitstream ends while reading ${what}`, {
      byteOffset: this.baseOffset + (this.bitPos >> 3),
      bitsWanted: bits,
      bitsLeft: this.bitsLeft,
    });
  }

  /** Reads one bit. */
  u1(): number {
    if (this.bitPos >= this.data.length * 8) this.overrun('u(1)', 1);
    const bit = (this.data[this.bitPos >> 3]! >> (7 - (this.bitPos & 7))) & 1;
    this.bitPos++;
    return bit;
  }

  flag(): boolean {
    return this.u1() === 1;
  }

  /** Reads an unsigned n-bit value, n in 0..32. */
  u(n: number): number {
    if (n < 0 || n > 32) throw new NvrError('internal', `BitReader.u(${n}) out of range`);
    if (n > this.bitsLeft) this.overrun(`u(${n})`, n);
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 2 + this.u1();
    return v;
  }

  skip(n: number): void {
    if (n < 0 || n > this.bitsLeft) this.overrun(`skip(${n})`, n);
    this.bitPos += n;
  }

  /** Unsigned Exp-Golomb ue(v), up to 32 leading zeros. */
  ue(): number {
    let zeros = 0;
    while (this.u1() === 0) {
      zeros++;
      if (zeros > 32) {
        throw new NvrError('malformed', 'Exp-Golomb code longer than 32 bits', {
          byteOffset: this.baseOffset + (this.bitPos >> 3),
        });
      }
    }
    return 2 ** zeros - 1 + this.u(zeros);
  }

  /** Signed Exp-Golomb se(v). */
  se(): number {
    const k = this.ue();
    return k % 2 === 1 ? (k + 1) / 2 : k === 0 ? 0 : -(k / 2);
  }

  /** True while RBSP data remains before the stop bit (more_rbsp_data()). */
  moreRbspData(): boolean {
    if (this.bitsLeft <= 0) return false;
    let last = this.data.length - 1;
    while (last >= 0 && this.data[last] === 0) last--;
    if (last < 0) return false;
    const byte = this.data[last]!;
    let stopBit = 0;
    while (((byte >> stopBit) & 1) === 0) stopBit++;
    const stopPos = last * 8 + (7 - stopBit);
    return this.bitPos < stopPos;
  }
}
