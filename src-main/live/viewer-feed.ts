// ViewerFeed: one live viewer as a StreamHub consumer. Holds the current keyframe group until the
// transport is up, then sends it at once with compressed timestamps (instant start), passes later
// access units through as RTP (parameter sets before every keyframe, re-fragmented to the MTU), and
// answers picture-loss requests from the hub's cached group. No sockets: packets go to `send`.
import type { HubConsumer, StreamTrack } from '../camera';
import type { AccessUnit, VideoCodec } from '../media';
import type { RtpPacket } from '../media/rtp';
import { PacketPacer } from './packet-pacer';
import type { PacerOptions } from './packet-pacer';
import { RtpTimeline, toRtp } from './rtp-timeline';
import { rtpPayloads } from './rtp-payloads';

export { withParameterSets } from './rtp-payloads';

/** RTP payload bytes per packet: with the 12-byte header, header extensions and the SRTP tag a packet stays under 1200 bytes. */
export const DEFAULT_RTP_PAYLOAD_BYTES = 1140;

export interface ViewerFeedOptions {
  name: string;
  /** The codec negotiated with the client; a stream that changes codec ends the feed. */
  codec: VideoCodec;
  /** Packets that may leave now, in order (a batch, so the transport can send them in one call). */
  send: (packets: readonly RtpPacket[]) => void;
  /** The hub's cached keyframe group (for picture-loss answers). */
  gop: () => readonly AccessUnit[];
  /** Wall clock in ms (timestamp rebasing across reconnects). */
  nowMs?: () => number;
  payloadBytes?: number;
  /** Bytes held or queued for this viewer before the hub is told it is full. Default 8 MiB. */
  maxQueueBytes?: number;
  /** Picture-loss requests within this long after a keyframe are ignored. Default 500 ms. */
  pliHoldoffMs?: number;
  ssrc?: number;
  initialTimestamp?: number;
  initialSequence?: number;
  pacer?: PacerOptions;
  /** The stream switched codec: the session must end (no renegotiation). */
  onCodecChange?: (codec: VideoCodec) => void;
}

export interface ViewerFeedStats {
  framesSent: number;
  keyframesSent: number;
  packetsSent: number;
  /** RTP bytes (header + payload) handed to the transport. */
  bytesSent: number;
  plis: number;
  /** Picture-loss requests answered by replaying the cached group. */
  gopReplays: number;
  /** Times this viewer was full and the hub moved it to the next keyframe. */
  stalls: number;
  firstPacketMs?: number;
}

export type PliOutcome = 'replayed' | 'next-keyframe' | 'ignored';

const NO_CSRCS: number[] = [];
const auBytes = (au: AccessUnit): number => au.nalus.reduce((n, nal) => n + nal.length, 0);
const packetBytes = (p: RtpPacket): number => 12 + p.payload.length;

export class ViewerFeed implements HubConsumer {
  readonly name: string;
  readonly stats: ViewerFeedStats = {
    framesSent: 0,
    keyframesSent: 0,
    packetsSent: 0,
    bytesSent: 0,
    plis: 0,
    gopReplays: 0,
    stalls: 0,
  };
  private state: 'waiting' | 'live' | 'closed' = 'waiting';
  private pending: AccessUnit[] = [];
  private pendingBytes = 0;
  private track: StreamTrack | undefined;
  private lastKeyframeSentMs = -Infinity;
  private readonly timeline: RtpTimeline;
  private readonly payloadBytes: number;
  private readonly ssrc: number;
  private sequence: number;
  private readonly pacer: PacketPacer<RtpPacket>;
  private readonly now: () => number;
  private readonly maxQueueBytes: number;
  private readonly pliHoldoffMs: number;

  constructor(private readonly opts: ViewerFeedOptions) {
    this.name = opts.name;
    this.now = opts.nowMs ?? Date.now;
    this.maxQueueBytes = opts.maxQueueBytes ?? 8 * 1024 * 1024;
    this.pliHoldoffMs = opts.pliHoldoffMs ?? 500;
    this.timeline = new RtpTimeline({ initialTimestamp: opts.initialTimestamp ?? 0 });
    this.payloadBytes = opts.payloadBytes ?? DEFAULT_RTP_PAYLOAD_BYTES;
    this.ssrc = (opts.ssrc ?? 1) >>> 0;
    this.sequence = (opts.initialSequence ?? 0) & 0xffff;
    this.pacer = new PacketPacer((batch) => this.emit(batch), opts.pacer);
  }

  /** Frames held until the transport is up (the current keyframe group). */
  get heldFrames(): number {
    return this.pending.length;
  }

  get isLive(): boolean {
    return this.state === 'live';
  }

  push(au: AccessUnit, track: StreamTrack): boolean {
    if (this.state === 'closed') return true;
    if (track.codec !== this.opts.codec) {
      this.close();
      this.opts.onCodecChange?.(track.codec);
      return true;
    }
    this.track = track;
    if (this.state === 'waiting') {
      if (au.isKeyframe) {
        this.pending = [];
        this.pendingBytes = 0;
      } else if (this.pending.length === 0) {
        return true; // nothing decodable before the first keyframe
      }
      const size = auBytes(au);
      if (this.pendingBytes + size > this.maxQueueBytes) {
        this.pending = [];
        this.pendingBytes = 0;
        this.stats.stalls++;
        return false;
      }
      this.pending.push(au);
      this.pendingBytes += size;
      return true;
    }
    if (this.pacer.queuedBytes + auBytes(au) > this.maxQueueBytes) {
      this.stats.stalls++;
      return false;
    }
    this.sendUnits([au], [this.timeline.map(au.pts90k, this.now())], track);
    return true;
  }

  onRunBreak(): void {
    this.timeline.breakRun();
    if (this.state === 'waiting') {
      this.pending = [];
      this.pendingBytes = 0;
    }
  }

  /** The transport is up: sends the held keyframe group compressed, then goes live. */
  start(): void {
    if (this.state !== 'waiting') return;
    this.state = 'live';
    const units = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    if (units.length > 0 && this.track) this.sendBurst(units, this.track);
  }

  /** A picture-loss indication from the client. */
  onPictureLoss(): PliOutcome {
    this.stats.plis++;
    if (this.state !== 'live' || !this.track) return 'ignored';
    if (this.now() - this.lastKeyframeSentMs < this.pliHoldoffMs) return 'ignored';
    if (this.pacer.queuedBytes > 0) return 'ignored'; // a keyframe group is on its way
    const gop = this.opts.gop();
    if (gop.length === 0 || !gop[0]!.isKeyframe) return 'next-keyframe';
    if (gop.reduce((n, au) => n + auBytes(au), 0) > this.maxQueueBytes) return 'next-keyframe';
    this.stats.gopReplays++;
    this.sendBurst(gop, this.track);
    return 'replayed';
  }

  close(): void {
    this.state = 'closed';
    this.pending = [];
    this.pacer.close();
  }

  private sendBurst(units: readonly AccessUnit[], track: StreamTrack): void {
    const stamps = this.timeline.mapBurst(
      units.map((u) => u.pts90k),
      this.now(),
    );
    this.sendUnits(units, stamps, track);
  }

  private sendUnits(units: readonly AccessUnit[], stamps: number[], track: StreamTrack): void {
    const packets: RtpPacket[] = [];
    units.forEach((au, i) => {
      if (au.isKeyframe) {
        this.stats.keyframesSent++;
        this.lastKeyframeSentMs = this.now();
      }
      this.stats.framesSent++;
      const payloads = rtpPayloads(au, track, this.payloadBytes);
      const timestamp = toRtp(stamps[i]!);
      payloads.forEach((payload, k) => {
        packets.push({
          version: 2,
          padding: false,
          extension: false,
          marker: k === payloads.length - 1,
          payloadType: 96,
          sequenceNumber: this.sequence,
          timestamp,
          ssrc: this.ssrc,
          csrcs: NO_CSRCS,
          payload,
        });
        this.sequence = (this.sequence + 1) & 0xffff;
      });
    });
    this.pacer.enqueue(packets, packetBytes);
  }

  private emit(packets: readonly RtpPacket[]): void {
    if (this.state === 'closed') return;
    this.stats.packetsSent += packets.length;
    for (const p of packets) this.stats.bytesSent += packetBytes(p);
    this.stats.firstPacketMs ??= this.now();
    this.opts.send(packets);
  }
}
