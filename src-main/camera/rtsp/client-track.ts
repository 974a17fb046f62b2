// Receiving side of the client's video track: RTP bytes in (TCP interleaved or UDP), access units
// and track info out. Owns SSRC tracking, UDP reordering, the depacketizer, track info from the
// SDP and in-band SPS, and RTCP reception statistics. Never throws on bad packets: it counts them.
import { NvrError } from '../../base';
import { parseH264Sps } from '../../media/h264';
import { parseH265Sps } from '../../media/h265';
import {
  H264Depacketizer,
  H265Depacketizer,
  SequenceReorderBuffer,
  buildReceiverReport,
  parseRtcp,
  parseRtpPacket,
} from '../../media/rtp';
import type { RtpAccessUnit, RtpPacket } from '../../media/rtp';
import type { SdpVideoTrack } from '../../media/sdp';
import { ReceptionStats } from './client-reception';
import type {
  DecodeCounters,
  DiscontinuityReason,
  ParameterSetsInfo,
  RtspClientStats,
  TrackInfo,
} from './client-types';

/** How many recently lost units a late packet may still be matched to. */
const RECENT_LOST_UNITS = 256;

export interface TrackReceiverEvents {
  accessUnit(au: RtpAccessUnit, track: TrackInfo): void;
  parameterSetsChanged(track: TrackInfo): void;
  discontinuity(reason: DiscontinuityReason): void;
}

/** Fills width, height, fps and codec string from an SPS; leaves the info alone when it does not parse. */
export function applySps(info: TrackInfo, sps: Uint8Array | undefined): void {
  if (!sps) return;
  try {
    const parsed = info.codec === 'h264' ? parseH264Sps(sps) : parseH265Sps(sps);
    info.width = parsed.width;
    info.height = parsed.height;
    info.codecString = parsed.codecString;
    if (parsed.fps !== undefined && parsed.fps > 0 && parsed.fps <= 300) info.fps = parsed.fps;
  } catch (e) {
    if (!(e instanceof NvrError)) throw e;
  }
}

export class TrackReceiver {
  readonly info: TrackInfo;
  readonly counters: RtspClientStats = {
    rtpPackets: 0,
    rtpBytes: 0,
    droppedPackets: 0,
    accessUnits: 0,
    rtcpPackets: 0,
    receiverReportsSent: 0,
  };
  private readonly depacketizer: H264Depacketizer | H265Depacketizer;
  private readonly reorder: SequenceReorderBuffer | undefined;
  private readonly reception: ReceptionStats;
  private ssrc: number | undefined;
  private lastSeq: number | undefined;
  private lastTimestamp: number | undefined;
  private fpsFromSps = false;
  private readonly ptsDeltas: number[] = [];
  private lastPts: number | undefined;
  private readonly ownSsrc = (Math.random() * 0x1_0000_0000) >>> 0;
  /** RTP timestamps of recent units broken by loss; a late packet of one moves it to "late". */
  private readonly recentLost = new Map<number, boolean>();
  private framesLostToLate = 0;

  constructor(
    sdp: SdpVideoTrack,
    controlUrl: string,
    transport: 'tcp' | 'udp',
    private readonly events: TrackReceiverEvents,
  ) {
    this.info = {
      codec: sdp.codec,
      payloadType: sdp.payloadType,
      clockRate: sdp.clockRate > 0 ? sdp.clockRate : 90000,
      controlUrl,
      parameterSets: { ...sdp.parameterSets },
      transport,
      ...(sdp.warnings?.length ? { warnings: [...sdp.warnings] } : {}),
    };
    applySps(this.info, sdp.parameterSets.sps);
    this.fpsFromSps = this.info.fps !== undefined;
    this.depacketizer = sdp.codec === 'h264' ? new H264Depacketizer() : new H265Depacketizer();
    this.depacketizer.setParameterSets(sdp.parameterSets);
    this.depacketizer.onFrameDropped = (ts, cause) => {
      if (cause !== 'lost') return;
      this.recentLost.set(ts, false);
      if (this.recentLost.size > RECENT_LOST_UNITS) {
        this.recentLost.delete(this.recentLost.keys().next().value!);
      }
    };
    this.reorder =
      transport === 'udp' ? new SequenceReorderBuffer({ maxDelayPackets: 64 }) : undefined;
    this.reception = new ReceptionStats(this.info.clockRate);
  }

  get hasReceivedRtp(): boolean {
    return this.ssrc !== undefined;
  }

  /** One RTP packet (UDP datagram or interleaved frame). Bad packets are counted, never thrown. */
  pushRtp(bytes: Uint8Array, arrivalMs: number): void {
    let packet: RtpPacket;
    try {
      packet = parseRtpPacket(bytes);
    } catch {
      this.counters.droppedPackets++;
      return;
    }
    if (packet.payloadType !== this.info.payloadType) {
      this.counters.droppedPackets++;
      return;
    }
    this.counters.rtpPackets++;
    this.counters.rtpBytes += bytes.length;
    if (this.ssrc !== undefined && packet.ssrc !== this.ssrc) {
      this.reception.reset();
      // Some cameras (Uniview) take a new SSRC at every keyframe while numbering and timing go
      // on: that is the same stream, not a new run. A real new sender restarts both.
      if (!this.continuesStream(packet)) {
        this.lastPts = undefined;
        this.events.discontinuity('ssrc_change');
      }
    }
    this.ssrc = packet.ssrc;
    this.lastSeq = packet.sequenceNumber;
    this.lastTimestamp = packet.timestamp;
    this.reception.onPacket(packet, arrivalMs);
    const lateBefore = this.reorder?.stats.packetsLate ?? 0;
    const ordered = this.reorder ? this.reorder.push(packet) : [packet];
    if (this.reorder && this.reorder.stats.packetsLate > lateBefore) this.onLate(packet.timestamp);
    for (const p of ordered) this.depacketize(p);
  }

  /** Cumulative decode counters of this track (see DecodeCounters). */
  get decode(): DecodeCounters {
    const d = this.depacketizer.stats;
    const r = this.reorder?.stats;
    return {
      transport: this.info.transport,
      rtpPackets: this.counters.rtpPackets,
      // Over TCP the reorder buffer is absent: each sequence gap counts once.
      packetsLost: r ? r.packetsLost : d.lossEvents,
      packetsLate: (r?.packetsLate ?? 0) + d.packetsLate,
      nalusDropped: d.nalusDropped,
      framesEmitted: d.framesEmitted,
      keyframesEmitted: d.keyframesEmitted,
      framesLostToGaps: Math.max(0, d.framesLost - this.framesLostToLate),
      framesLostToLate: this.framesLostToLate,
      framesUndecodable: d.framesUndecodable,
      framesBeforeKeyframe: d.framesBeforeKeyframe,
    };
  }

  /** A packet the reorder buffer refused as late: if its unit was broken by loss, it was lost to lateness. */
  private onLate(rtpTimestamp: number): void {
    if (this.recentLost.get(rtpTimestamp) !== false) return;
    this.recentLost.set(rtpTimestamp, true);
    this.framesLostToLate++;
  }

  private continuesStream(p: RtpPacket): boolean {
    if (this.lastSeq === undefined || this.lastTimestamp === undefined) return false;
    const seqStep = (p.sequenceNumber - this.lastSeq) & 0xffff;
    const tsStep = (p.timestamp - this.lastTimestamp) >>> 0;
    return seqStep >= 1 && seqStep <= 100 && tsStep <= 10 * this.info.clockRate;
  }

  private depacketize(packet: RtpPacket): void {
    let units: RtpAccessUnit[];
    try {
      units = this.depacketizer.push(packet);
    } catch (e) {
      if (!(e instanceof NvrError)) throw e;
      this.counters.droppedPackets++;
      return;
    }
    for (const au of units) this.emit(au);
  }

  private emit(au: RtpAccessUnit): void {
    if (this.info.clockRate !== 90000) {
      au.pts90k = Math.round((au.pts90k * 90000) / this.info.clockRate);
      if (au.dts90k !== undefined)
        au.dts90k = Math.round((au.dts90k * 90000) / this.info.clockRate);
    }
    if (au.parameterSetsChanged) this.updateParameterSets(this.depacketizer.parameterSets);
    this.estimateFps(au.pts90k);
    this.counters.accessUnits++;
    this.events.accessUnit(au, this.info);
  }

  private updateParameterSets(ps: ParameterSetsInfo): void {
    if (!ps.sps) return;
    this.info.parameterSets = { ...this.info.parameterSets, ...ps };
    const before = this.info.fps;
    applySps(this.info, ps.sps);
    if (this.info.fps !== before && this.info.fps !== undefined) this.fpsFromSps = true;
    this.events.parameterSetsChanged(this.info);
  }

  /** Without VUI timing, the frame rate is the median step between frames. */
  private estimateFps(pts90k: number): void {
    if (this.fpsFromSps) return;
    if (this.lastPts !== undefined) {
      const d = pts90k - this.lastPts;
      if (d > 0 && d < 90000) this.ptsDeltas.push(d);
      if (this.ptsDeltas.length > 30) this.ptsDeltas.shift();
      if (this.ptsDeltas.length >= 5) {
        const sorted = [...this.ptsDeltas].sort((a, b) => a - b);
        const median = sorted[sorted.length >> 1]!;
        this.info.fps = Math.round((90000 / median) * 100) / 100;
      }
    }
    this.lastPts = pts90k;
  }

  pushRtcp(bytes: Uint8Array, arrivalMs: number): void {
    try {
      for (const p of parseRtcp(bytes)) {
        this.counters.rtcpPackets++;
        if (p.type === 'sr') this.reception.onSenderReport(p.ntpMiddle32, arrivalMs);
      }
    } catch (e) {
      if (!(e instanceof NvrError)) throw e;
      this.counters.droppedPackets++;
    }
  }

  /** A compound RR + SDES packet for the current source, or undefined before any RTP arrived. */
  receiverReport(nowMs: number): Uint8Array | undefined {
    if (this.ssrc === undefined) return undefined;
    const block = this.reception.reportBlock(this.ssrc, nowMs);
    this.counters.receiverReportsSent++;
    return buildReceiverReport({ ssrc: this.ownSsrc, sources: [block], cname: 'nvr' });
  }
}
