// Widens 32-bit RTP timestamps to monotonic-ish 53-bit numbers. Owns only the wrap arithmetic;
// anchoring media time to the wall clock (and jump detection) belongs to the camera session.

const TWO_32 = 0x1_0000_0000;

/**
 * Each timestamp is placed at the signed 32-bit distance from the previous one, so forward
 * wraps continue upwards and small backward steps (B-frames, reordering) step back. The first
 * timestamp is returned as is; a later one may be negative if the stream steps back before it.
 */
export class TimestampWidener {
  private lastTs32: number | undefined;
  private lastWide = 0;

  widen(ts32: number): number {
    const ts = ts32 >>> 0;
    if (this.lastTs32 === undefined) {
      this.lastTs32 = ts;
      this.lastWide = ts;
      return ts;
    }
    let diff = (ts - this.lastTs32) % TWO_32;
    if (diff >= TWO_32 / 2) diff -= TWO_32;
    else if (diff < -TWO_32 / 2) diff += TWO_32;
    this.lastTs32 = ts;
    this.lastWide += diff;
    return this.lastWide;
  }

  /** The last widened value, or undefined before the first timestamp. */
  get last(): number | undefined {
    return this.lastTs32 === undefined ? undefined : this.lastWide;
  }

  reset(): void {
    this.lastTs32 = undefined;
    this.lastWide = 0;
  }
}
