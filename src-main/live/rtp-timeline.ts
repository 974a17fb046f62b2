// The 90 kHz RTP timeline of one viewer: maps the hub's pts90k to outgoing RTP timestamps that only
// move forward. Compresses a replayed keyframe group so the decoder runs through it to the live edge,
// and rebases across camera reconnects and timestamp jumps by the wall-clock gap. Pure arithmetic.

export interface RtpTimelineOptions {
  /** RTP timestamp of the first frame (random per viewer in production). */
  initialTimestamp?: number;
  /** Spacing of compressed (replayed) frames; 90 ticks = 1 ms by default. */
  burstStepTicks?: number;
  /** A forward step this much beyond the wall-clock gap is a jump and is rebased. Default 5 s. */
  maxJumpMs?: number;
}

/** Timestamps are kept unwrapped here; `toRtp` folds them into 32 bits. */
export class RtpTimeline {
  private offset: number | undefined;
  private lastOut: number | undefined;
  private lastWallMs = 0;
  private rebase = false;
  private readonly initial: number;
  private readonly step: number;
  private readonly maxJumpTicks: number;

  constructor(options: RtpTimelineOptions = {}) {
    this.initial = (options.initialTimestamp ?? 0) >>> 0;
    this.step = Math.max(1, Math.round(options.burstStepTicks ?? 90));
    this.maxJumpTicks = Math.round((options.maxJumpMs ?? 5000) * 90);
  }

  /** The last timestamp handed out (unwrapped), if any. */
  get lastTimestamp(): number | undefined {
    return this.lastOut;
  }

  /** The source's run broke: the next frame is placed after the last one by the wall-clock gap. */
  breakRun(): void {
    this.rebase = true;
  }

  /**
   * Timestamps for frames sent back to back (a cached keyframe group): `step` apart, right after
   * the last frame sent; later live frames keep their own spacing from the last of them.
   */
  mapBurst(pts90k: readonly number[], wallMs: number): number[] {
    if (pts90k.length === 0) return [];
    const base = this.lastOut === undefined ? this.initial : this.lastOut + this.step;
    const out = pts90k.map((_, i) => base + i * this.step);
    const last = out[out.length - 1]!;
    this.offset = last - pts90k[pts90k.length - 1]!;
    this.lastOut = last;
    this.lastWallMs = wallMs;
    this.rebase = false;
    return out;
  }

  /** Timestamp of one live frame. */
  map(pts90k: number, wallMs: number): number {
    if (this.offset === undefined || this.lastOut === undefined) {
      this.offset = this.initial - pts90k;
    } else {
      const gapTicks = Math.max(this.step, Math.round((wallMs - this.lastWallMs) * 90));
      const candidate = pts90k + this.offset;
      const delta = candidate - this.lastOut;
      if (this.rebase || delta <= 0 || delta > gapTicks + this.maxJumpTicks) {
        this.offset = this.lastOut + gapTicks - pts90k;
      }
    }
    this.rebase = false;
    const out = pts90k + this.offset;
    this.lastOut = out;
    this.lastWallMs = wallMs;
    return out;
  }
}

/** Folds an unwrapped timestamp into the 32-bit RTP field. */
export function toRtp(timestamp: number): number {
  return ((timestamp % 0x1_0000_0000) + 0x1_0000_0000) % 0x1_0000_0000;
}
