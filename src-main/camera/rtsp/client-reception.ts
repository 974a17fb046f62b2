// RTP reception statistics for RTCP receiver reports (RFC 3550 §6.4.1, appendix A.3 and A.8):
// extended highest sequence number, loss, interarrival jitter, last SR. Pure bookkeeping.
import type { RtcpReportBlock, RtpPacket } from '../../media/rtp';

export class ReceptionStats {
  private started = false;
  private baseSeq = 0;
  private maxSeq = 0;
  private cycles = 0;
  private received = 0;
  private expectedPrior = 0;
  private receivedPrior = 0;
  private jitter = 0;
  private lastTransit: number | undefined;
  private lastSr = 0;
  private lastSrArrivalMs = 0;

  constructor(private readonly clockRate: number) {}

  reset(): void {
    this.started = false;
    this.cycles = 0;
    this.received = 0;
    this.expectedPrior = 0;
    this.receivedPrior = 0;
    this.jitter = 0;
    this.lastTransit = undefined;
  }

  onPacket(p: RtpPacket, arrivalMs: number): void {
    const seq = p.sequenceNumber;
    if (!this.started) {
      this.started = true;
      this.baseSeq = seq;
      this.maxSeq = seq;
    } else {
      const delta = (seq - this.maxSeq) & 0xffff;
      if (delta > 0 && delta < 0x8000) {
        if (seq < this.maxSeq) this.cycles += 0x10000;
        this.maxSeq = seq;
      }
    }
    this.received++;
    const arrival = (arrivalMs * this.clockRate) / 1000;
    const transit = arrival - p.timestamp;
    if (this.lastTransit !== undefined) {
      let d = Math.abs(transit - this.lastTransit);
      if (d > 0x8000_0000) d = Math.abs(d - 0x1_0000_0000); // timestamp wrap
      this.jitter += (d - this.jitter) / 16;
    }
    this.lastTransit = transit;
  }

  onSenderReport(ntpMiddle32: number, arrivalMs: number): void {
    this.lastSr = ntpMiddle32 >>> 0;
    this.lastSrArrivalMs = arrivalMs;
  }

  reportBlock(ssrc: number, nowMs: number): RtcpReportBlock {
    const extendedMax = this.cycles + this.maxSeq;
    const expected = this.started ? extendedMax - this.baseSeq + 1 : 0;
    const lost = expected - this.received;
    const expectedInterval = expected - this.expectedPrior;
    const receivedInterval = this.received - this.receivedPrior;
    this.expectedPrior = expected;
    this.receivedPrior = this.received;
    const lostInterval = expectedInterval - receivedInterval;
    const fractionLost =
      expectedInterval <= 0 || lostInterval <= 0
        ? 0
        : Math.min(255, Math.floor((lostInterval * 256) / expectedInterval));
    const delaySinceLastSr =
      this.lastSr === 0
        ? 0
        : Math.max(0, Math.round(((nowMs - this.lastSrArrivalMs) * 65536) / 1000));
    return {
      ssrc,
      fractionLost,
      cumulativeLost: lost,
      highestSeq: extendedMax >>> 0,
      jitter: Math.round(this.jitter) >>> 0,
      lastSr: this.lastSr,
      delaySinceLastSr,
    };
  }
}
