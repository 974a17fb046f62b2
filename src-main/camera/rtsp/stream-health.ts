// Decode health of one camera stream: what a decoder would see, over a sliding window, and a
// verdict with a reason ("ok", "degraded: 3 % of frames lost over UDP, try TCP", "broken: no
// decodable keyframe for 30 s"). Pure bookkeeping: fed cumulative per-connection counters by the
// camera session, time from an injected clock; no timers, no I/O.
import type { Clock } from '../../base';
import type { DecodeCounters } from './client-types';

export type HealthVerdict = 'ok' | 'degraded' | 'broken';

/** Decode counters of a stream since its session started, summed over its connections. */
export interface DecodeTotals extends Omit<DecodeCounters, 'transport'> {
  /** Of the lost and undecodable frames, those received over UDP (names the transport in reasons). */
  framesLostOverUdp: number;
  /** Packets lost over UDP (the `auto` fallback looks at these only). */
  udpPacketsLost: number;
  udpRtpPackets: number;
}

export interface StreamHealth {
  verdict: HealthVerdict;
  /** Why it is not ok, in words for the UI; absent when ok. */
  reason?: string;
  /** The span the figures cover (up to `windowMs`). */
  windowMs: number;
  /** Lost + undecodable frames over all frames, in the window, percent. */
  framesLostPercent: number;
  /** Sequence numbers never received over those expected, in the window, percent. */
  packetsLostPercent: number;
  /** Time since the last decodable keyframe (or since the session started). */
  sinceKeyframeMs: number;
}

/**
 * Thresholds (documented in camera/rtsp/README.md). Loss needs at least `minLossEvents` events in
 * the window so one stray packet never flips a verdict.
 */
export interface HealthThresholds {
  windowMs: number;
  /** Degraded when this share of frames (lost or undecodable) is reached. */
  degradedFramesLostShare: number;
  /** Degraded when this share of RTP packets never arrived. */
  degradedPacketsLostShare: number;
  minLossEvents: number;
  /** Broken when packets arrive but no decodable keyframe came for this long (and no frame in the window). */
  brokenNoKeyframeMs: number;
  /** `auto` leaves UDP when more than this share of its packets is lost in the window. */
  fallbackPacketsLostShare: number;
}

export const DEFAULT_HEALTH_THRESHOLDS: Readonly<HealthThresholds> = {
  windowMs: 10_000,
  degradedFramesLostShare: 0.01,
  degradedPacketsLostShare: 0.01,
  minLossEvents: 2,
  brokenNoKeyframeMs: 30_000,
  fallbackPacketsLostShare: 0.01,
};

/** How the camera is configured and what happened to it: words the reason ends with. */
export interface HealthContext {
  mode: 'auto' | 'tcp' | 'udp';
  /** `auto` already moved this session to TCP. */
  fellBackToTcp: boolean;
}

interface Sample {
  atMs: number;
  totals: DecodeTotals;
}

type CounterKey = Exclude<keyof DecodeCounters, 'transport'>;
const COUNTER_KEYS: readonly CounterKey[] = [
  'rtpPackets',
  'packetsLost',
  'packetsLate',
  'nalusDropped',
  'framesEmitted',
  'keyframesEmitted',
  'framesLostToGaps',
  'framesLostToLate',
  'framesUndecodable',
  'framesBeforeKeyframe',
];

/** A connection's counters before its first packet. */
export function zeroDecodeCounters(transport: 'tcp' | 'udp'): DecodeCounters {
  const counts = Object.fromEntries(COUNTER_KEYS.map((k) => [k, 0])) as Record<CounterKey, number>;
  return { transport, ...counts };
}

const zeroTotals = (): DecodeTotals => {
  const { transport: _transport, ...counts } = zeroDecodeCounters('udp');
  return { ...counts, framesLostOverUdp: 0, udpPacketsLost: 0, udpRtpPackets: 0 };
};

/** "3", "2.5", "0.4": one decimal under 10 %. */
export function formatPercent(share: number): string {
  const pct = share * 100;
  return pct >= 10 ? String(Math.round(pct)) : String(Math.round(pct * 10) / 10);
}

export class StreamHealthMonitor {
  private readonly t: HealthThresholds;
  private totalsValue = zeroTotals();
  private connection: unknown;
  private last: DecodeCounters | undefined;
  private samples: Sample[];
  private lastKeyframeAtMs: number;

  constructor(
    private readonly clock: Pick<Clock, 'monotonicMs'>,
    thresholds: Partial<HealthThresholds> = {},
  ) {
    this.t = { ...DEFAULT_HEALTH_THRESHOLDS, ...thresholds };
    this.lastKeyframeAtMs = clock.monotonicMs();
    this.samples = [{ atMs: this.lastKeyframeAtMs, totals: zeroTotals() }];
  }

  get thresholds(): Readonly<HealthThresholds> {
    return this.t;
  }

  /** Since the session started, over all its connections. */
  get totals(): Readonly<DecodeTotals> {
    return { ...this.totalsValue };
  }

  /** Starts over (a session (re)started): no history, keyframe timer from now. */
  reset(): void {
    this.totalsValue = zeroTotals();
    this.connection = undefined;
    this.last = undefined;
    this.lastKeyframeAtMs = this.clock.monotonicMs();
    this.samples = [{ atMs: this.lastKeyframeAtMs, totals: zeroTotals() }];
  }

  /**
   * Takes the cumulative counters of the current connection (any value identifying it: a new
   * one starts its counters from zero). Call regularly (every second) and before reading.
   */
  sample(connection: unknown, counters: DecodeCounters | undefined): void {
    const nowMs = this.clock.monotonicMs();
    const prevCounters = this.last;
    const restarted =
      counters !== undefined &&
      prevCounters !== undefined &&
      (counters.transport !== prevCounters.transport ||
        counters.rtpPackets < prevCounters.rtpPackets);
    if (connection !== this.connection || restarted) {
      // A new connection (or a client that set its track up again): its counters start at zero.
      this.connection = connection;
      this.last = undefined;
    }
    if (counters) {
      const tot = this.totalsValue;
      const prev = this.last;
      const delta = (k: CounterKey) => Math.max(0, counters[k] - (prev ? prev[k] : 0));
      for (const k of COUNTER_KEYS) tot[k] += delta(k);
      if (counters.transport === 'udp') {
        tot.framesLostOverUdp +=
          delta('framesLostToGaps') + delta('framesLostToLate') + delta('framesUndecodable');
        tot.udpPacketsLost += delta('packetsLost');
        tot.udpRtpPackets += delta('rtpPackets');
      }
      if (delta('keyframesEmitted') > 0) this.lastKeyframeAtMs = nowMs;
      this.last = { ...counters };
    }
    this.samples.push({ atMs: nowMs, totals: { ...this.totalsValue } });
    // Keep one sample at or before the window's start as its baseline.
    while (this.samples.length > 2 && nowMs - this.samples[1]!.atMs >= this.t.windowMs)
      this.samples.shift();
  }

  /** Counters over the window (the newest sample minus the window's baseline) and its span. */
  window(): { spanMs: number; delta: DecodeTotals } {
    const first = this.samples[0];
    const lastSample = this.samples[this.samples.length - 1];
    const delta = zeroTotals();
    if (!first || !lastSample) return { spanMs: 0, delta };
    for (const k of Object.keys(delta) as (keyof DecodeTotals)[])
      delta[k] = lastSample.totals[k] - first.totals[k];
    return { spanMs: lastSample.atMs - first.atMs, delta };
  }

  /** The verdict over the window, as of the last sample. */
  evaluate(ctx: HealthContext): StreamHealth {
    const nowMs = this.clock.monotonicMs();
    const { spanMs, delta: d } = this.window();
    const lostFrames = d.framesLostToGaps + d.framesLostToLate + d.framesUndecodable;
    const frames = d.framesEmitted + lostFrames;
    const frameShare = frames > 0 ? lostFrames / frames : 0;
    const expected = d.rtpPackets + d.packetsLost;
    const packetShare = expected > 0 ? d.packetsLost / expected : 0;
    const sinceKeyframeMs = Math.max(0, nowMs - this.lastKeyframeAtMs);
    const base = {
      windowMs: Math.round(spanMs),
      framesLostPercent: Math.round(frameShare * 1000) / 10,
      packetsLostPercent: Math.round(packetShare * 1000) / 10,
      sinceKeyframeMs: Math.round(sinceKeyframeMs),
    };
    // Packets arrive, nothing decodes (a camera with a GOP over 30 s still emits its P-frames).
    if (sinceKeyframeMs >= this.t.brokenNoKeyframeMs && d.rtpPackets > 0 && d.framesEmitted === 0) {
      const s = Math.floor(sinceKeyframeMs / 1000);
      const why = this.totalsValue.keyframesEmitted === 0 ? 'packets arrive, none decodes' : '';
      return {
        verdict: 'broken',
        reason: `no decodable keyframe for ${s} s${why ? ` (${why})` : ''}`,
        ...base,
      };
    }
    const framesBad =
      lostFrames >= this.t.minLossEvents && frameShare >= this.t.degradedFramesLostShare;
    const packetsBad =
      d.packetsLost >= this.t.minLossEvents && packetShare >= this.t.degradedPacketsLostShare;
    if (!framesBad && !packetsBad) return { verdict: 'ok', ...base };
    const overUdp = d.framesLostOverUdp > 0 || d.udpPacketsLost > 0;
    const what = framesBad
      ? `${formatPercent(frameShare)} % of frames lost`
      : `${formatPercent(packetShare)} % of RTP packets lost`;
    let reason: string;
    if (overUdp) {
      const hint =
        ctx.mode === 'udp'
          ? 'try TCP'
          : ctx.mode === 'auto'
            ? ctx.fellBackToTcp
              ? 'switched to TCP'
              : 'switching to TCP'
            : '';
      reason = `${what} over UDP${hint ? `, ${hint}` : ''}`;
    } else if (d.framesLostToGaps + d.framesLostToLate + d.packetsLost === 0) {
      reason = `${formatPercent(frameShare)} % of frames undecodable (the camera sends broken frames)`;
    } else {
      reason = `${what} (the camera sends incomplete frames)`;
    }
    return { verdict: 'degraded', reason, ...base };
  }

  /**
   * True when UDP lost more than `fallbackPacketsLostShare` of its packets in the window (with at
   * least `minLossEvents` lost): `auto` should move to TCP.
   */
  udpTooLossy(): { share: number } | undefined {
    const { delta: d } = this.window();
    const expected = d.udpRtpPackets + d.udpPacketsLost;
    if (expected === 0 || d.udpPacketsLost < this.t.minLossEvents) return undefined;
    const share = d.udpPacketsLost / expected;
    return share > this.t.fallbackPacketsLostShare ? { share } : undefined;
  }
}
