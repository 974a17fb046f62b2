// Decode times for access units that arrive in decode order with presentation times only (RTP
// carries no DTS). Owns the reorder-depth logic; pure: no clock, no I/O.
//
// With reorder depth d (H.264 max_num_reorder_frames, H.265 sps_max_num_reorder_pics: at most d
// frames precede a frame in decode order and follow it on screen), frame i's PTS is at least the
// (i−d)-th smallest PTS of frames 0..i, and later frames never change that value. So
// DTS_i = (i−d)-th smallest PTS seen is known when frame i arrives, strictly increasing and ≤ PTS_i
// (ffmpeg shifts by d frame durations instead, which needs the frame rate). The first d frames are
// held until d + 2 have arrived and get DTS one estimated frame duration apart before that; if the
// first 12 frames show no reordering the SPS hint is dropped (depth 0, DTS = PTS, output as without
// the deriver). A depth too small (no SPS hint) is raised from what is seen
// (PTS going back by < 1 s); DTS then stays strictly increasing by single ticks until it catches up.

export interface DtsDeriverOptions {
  /** Reorder depth from the SPS, when it says; 0 or absent starts without reordering. */
  reorderDepth?: number;
  /** Largest depth ever assumed. Default 16 (the largest DPB). */
  maxReorderDepth?: number;
}

/** A PTS going back further than this is a timestamp jump, not reordering. */
const MAX_REORDER_SPAN_90K = 90_000;
const RECENT = 32;
const DEFAULT_FRAME_90K = 3000;
/** Frames held at the start to confirm an SPS depth (B-frames show within a few frames). */
const CONFIRM_FRAMES = 12;

export class DtsDeriver<T extends { pts90k: number }> {
  private depth: number;
  private readonly maxDepth: number;
  /** PTS values not yet used as a DTS, ascending. */
  private pending: number[] = [];
  private recent: number[] = [];
  private held: T[] = [];
  private started = false;
  private prevDts: number | undefined;

  constructor(opts: DtsDeriverOptions = {}) {
    this.maxDepth = opts.maxReorderDepth ?? 16;
    this.depth = Math.max(0, Math.min(this.maxDepth, opts.reorderDepth ?? 0));
  }

  /** The reorder depth in use (raised when the stream reorders more than its SPS said). */
  get reorderDepth(): number {
    return this.depth;
  }

  /** Takes the next unit in decode order; returns the units whose DTS is now known, in order. */
  push(unit: T): (T & { dts90k: number })[] {
    const pts = unit.pts90k;
    this.observe(pts);
    this.insert(pts);
    if (!this.started) {
      if (this.depth === 0) this.started = true;
      else {
        this.held.push(unit);
        const reordered = this.recentReordered();
        const need = reordered ? this.depth + 2 : Math.max(this.depth + 2, CONFIRM_FRAMES);
        return this.held.length < need ? [] : this.release();
      }
    }
    const cand = this.pending.length > this.depth ? this.pending.shift()! : undefined;
    return [this.stamp(unit, cand ?? this.prevDts! + 1)];
  }

  /** Ends the stream: returns the held units (start-up only) and forgets everything. */
  flush(): (T & { dts90k: number })[] {
    const out = this.held.length > 0 ? this.release() : [];
    this.pending = [];
    this.recent = [];
    this.started = false;
    this.prevDts = undefined;
    return out;
  }

  private observe(pts: number): void {
    let later = 0;
    for (const p of this.recent) if (p > pts && p - pts <= MAX_REORDER_SPAN_90K) later++;
    if (later > this.depth) this.depth = Math.min(this.maxDepth, later);
    this.recent.push(pts);
    if (this.recent.length > RECENT) this.recent.shift();
  }

  private recentReordered(): boolean {
    return this.held.some((u, k) => k > 0 && u.pts90k <= this.held[k - 1]!.pts90k);
  }

  private insert(pts: number): void {
    const a = this.pending;
    let i = a.length;
    while (i > 0 && a[i - 1]! > pts) i--;
    a.splice(i, 0, pts);
  }

  private release(): (T & { dts90k: number })[] {
    // An SPS may declare reordering the stream never does: none in the first frames, no delay.
    if (!this.recentReordered()) this.depth = 0;
    const held = this.held;
    this.held = [];
    this.started = true;
    let frame90k = Infinity;
    for (let i = 1; i < this.pending.length; i++) {
      const gap = this.pending[i]! - this.pending[i - 1]!;
      if (gap > 0 && gap < frame90k) frame90k = gap;
    }
    if (!Number.isFinite(frame90k)) frame90k = DEFAULT_FRAME_90K;
    const pops = Math.max(1, held.length - this.depth);
    const popped = this.pending.splice(0, pops);
    const lead = held.length - popped.length;
    return held.map((u, k) =>
      this.stamp(u, k < lead ? popped[0]! - (lead - k) * frame90k : popped[k - lead]!),
    );
  }

  private stamp(unit: T, candidate: number): T & { dts90k: number } {
    const dts = this.prevDts === undefined ? candidate : Math.max(this.prevDts + 1, candidate);
    this.prevDts = dts;
    return { ...unit, dts90k: dts };
  }
}
