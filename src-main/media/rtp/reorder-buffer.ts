// Puts RTP packets received over UDP back in sequence order within a bounded window. Owns only
// ordering (16-bit wrap, holes, duplicates, SSRC changes); no timers: a hole is given up when the
// window fills, or on flush(), so the depacketizer sees the gap.
import type { RtpPacket } from './rtp-packet';
import { seqDiff } from './rtp-packet';

/** A jump this far ahead, or this far behind, is a sender restart, not loss or reordering. */
const MAX_DROPOUT = 3000;
const MAX_MISORDER = 100;

export interface ReorderStats {
  /** Packets given up on (holes skipped). */
  packetsLost: number;
  /** Packets dropped because they came after their place was passed, or twice. */
  packetsLate: number;
  /** Sender restarts seen (new SSRC or a large sequence jump). */
  resets: number;
}

export class SequenceReorderBuffer {
  private readonly maxDelayPackets: number;
  private ssrc: number | undefined;
  /** Sequence number of the next packet to emit, once the first packet arrived. */
  private nextSeq: number | undefined;
  private readonly pending = new Map<number, RtpPacket>();
  private readonly counters: ReorderStats = { packetsLost: 0, packetsLate: 0, resets: 0 };

  constructor(options: { maxDelayPackets?: number } = {}) {
    this.maxDelayPackets = Math.max(1, Math.floor(options.maxDelayPackets ?? 32));
  }

  get stats(): Readonly<ReorderStats> {
    return { ...this.counters };
  }

  /** Adds a packet; returns the packets that are now in order (possibly none). */
  push(p: RtpPacket): RtpPacket[] {
    const out: RtpPacket[] = [];
    if (this.ssrc !== undefined && p.ssrc !== this.ssrc) {
      out.push(...this.flush());
      this.restart();
    }
    this.ssrc = p.ssrc;
    if (this.nextSeq === undefined) {
      this.nextSeq = p.sequenceNumber;
    }
    const d = seqDiff(p.sequenceNumber, this.nextSeq);
    if (d < 0 || d > MAX_DROPOUT) {
      if (d >= -MAX_MISORDER && d < 0) {
        this.counters.packetsLate++;
        return out;
      }
      // Sequence restart without an SSRC change: deliver what we hold, start over here.
      out.push(...this.flush());
      this.restart();
      this.ssrc = p.ssrc;
      this.nextSeq = p.sequenceNumber;
    }
    if (this.pending.has(p.sequenceNumber)) {
      this.counters.packetsLate++;
      return out;
    }
    this.pending.set(p.sequenceNumber, p);
    this.drain(out);
    // Give up on holes once the newest held packet is a full window past the missing one.
    while (this.pending.size > 0 && this.spanAhead() >= this.maxDelayPackets) {
      this.skipToLowest();
      this.drain(out);
    }
    return out;
  }

  /** Emits every held packet in order, skipping holes. */
  flush(): RtpPacket[] {
    const out: RtpPacket[] = [];
    while (this.pending.size > 0) {
      this.skipToLowest();
      this.drain(out);
    }
    return out;
  }

  private restart(): void {
    this.pending.clear();
    this.nextSeq = undefined;
    this.counters.resets++;
  }

  private drain(out: RtpPacket[]): void {
    let seq = this.nextSeq!;
    for (let p = this.pending.get(seq); p; p = this.pending.get(seq)) {
      out.push(p);
      this.pending.delete(seq);
      seq = (seq + 1) & 0xffff;
    }
    this.nextSeq = seq;
  }

  /** Distance from the next expected sequence number to the newest held packet. */
  private spanAhead(): number {
    let max = 0;
    for (const seq of this.pending.keys()) max = Math.max(max, seqDiff(seq, this.nextSeq!));
    return max;
  }

  private skipToLowest(): void {
    let best = Infinity;
    for (const seq of this.pending.keys()) best = Math.min(best, seqDiff(seq, this.nextSeq!));
    if (best === Infinity) return;
    this.counters.packetsLost += best;
    this.nextSeq = (this.nextSeq! + best) & 0xffff;
  }
}
