// StreamHub: one producer (a camera stream), many consumers (recorder, WebRTC viewers, live HLS,
// snapshots), and the last keyframe group kept for instant starts. Owns fan-out and backpressure;
// it must never block on a consumer: a consumer that cannot keep up skips to the next keyframe.
import type { AccessUnit, VideoCodec } from '../media';

export interface StreamTrack {
  codec: VideoCodec;
  width: number;
  height: number;
  fps?: number;
  codecString: string;
  parameterSets: { vps?: Uint8Array; sps: Uint8Array; pps: Uint8Array };
}

export interface HubConsumer {
  readonly name: string;
  /**
   * Takes one access unit. Must not block. Returns false when the consumer's own queue is full:
   * the hub then skips it until the next keyframe, so it never decodes a broken reference chain.
   */
  push(au: AccessUnit, track: StreamTrack): boolean;
  /** The stream's run broke (camera reconnect, timestamp jump): the next unit starts a new run. */
  onRunBreak?(): void;
}

export interface ConsumerStats {
  name: string;
  delivered: number;
  /** Units skipped because the consumer was full or waiting for a keyframe. */
  skipped: number;
  /** Times the consumer was found full and moved to the next keyframe. */
  stalls: number;
}

export interface StreamHubOptions {
  /** Bounds on the cached keyframe group (a camera with a huge GOP must not eat memory). */
  maxGopFrames?: number;
  maxGopBytes?: number;
}

interface Subscription {
  consumer: HubConsumer;
  waitingForKeyframe: boolean;
  stats: ConsumerStats;
}

export class StreamHub {
  private readonly subs = new Set<Subscription>();
  private gopUnits: AccessUnit[] = [];
  private gopBytes = 0;
  private gopOverflowed = false;
  private trackInfo: StreamTrack | undefined;
  private readonly maxGopFrames: number;
  private readonly maxGopBytes: number;

  constructor(options: StreamHubOptions = {}) {
    this.maxGopFrames = options.maxGopFrames ?? 900;
    this.maxGopBytes = options.maxGopBytes ?? 24 * 1024 * 1024;
  }

  get track(): StreamTrack | undefined {
    return this.trackInfo;
  }

  /** The cached keyframe group, oldest first (empty until a keyframe has arrived). */
  get gop(): readonly AccessUnit[] {
    return this.gopOverflowed ? [] : this.gopUnits;
  }

  get consumerCount(): number {
    return this.subs.size;
  }

  consumerStats(): ConsumerStats[] {
    return [...this.subs].map((s) => ({ ...s.stats }));
  }

  setTrack(track: StreamTrack): void {
    this.trackInfo = track;
  }

  /** Marks a discontinuity: the cached group is dropped and every consumer restarts at a keyframe. */
  breakRun(): void {
    this.clearGop();
    for (const sub of this.subs) {
      sub.waitingForKeyframe = true;
      sub.consumer.onRunBreak?.();
    }
  }

  publish(au: AccessUnit): void {
    const track = this.trackInfo;
    if (!track) return; // No parameter sets yet: nothing downstream could decode it.
    this.cache(au);
    for (const sub of this.subs) this.deliver(sub, au, track);
  }

  /**
   * Adds a consumer. With `fromGop` (default) it first receives the cached keyframe group, so a
   * viewer or snapshot starts at once instead of waiting up to a whole GOP.
   */
  subscribe(consumer: HubConsumer, options: { fromGop?: boolean } = {}): () => void {
    const sub: Subscription = {
      consumer,
      waitingForKeyframe: true,
      stats: { name: consumer.name, delivered: 0, skipped: 0, stalls: 0 },
    };
    const track = this.trackInfo;
    if ((options.fromGop ?? true) && track) {
      for (const au of this.gop) this.deliver(sub, au, track);
    }
    this.subs.add(sub);
    return () => {
      this.subs.delete(sub);
    };
  }

  private deliver(sub: Subscription, au: AccessUnit, track: StreamTrack): void {
    if (sub.waitingForKeyframe) {
      if (!au.isKeyframe) {
        sub.stats.skipped++;
        return;
      }
      sub.waitingForKeyframe = false;
    }
    let accepted: boolean;
    try {
      accepted = sub.consumer.push(au, track);
    } catch {
      accepted = false; // A failing consumer is treated like a full one; it never stops the others.
    }
    if (accepted) {
      sub.stats.delivered++;
    } else {
      sub.stats.stalls++;
      sub.stats.skipped++;
      sub.waitingForKeyframe = true;
    }
  }

  private cache(au: AccessUnit): void {
    if (au.isKeyframe) this.clearGop();
    else if (this.gopOverflowed || this.gopUnits.length === 0) return;
    const size = au.nalus.reduce((n, nal) => n + nal.byteLength, 0);
    if (this.gopUnits.length >= this.maxGopFrames || this.gopBytes + size > this.maxGopBytes) {
      this.gopOverflowed = true;
      this.gopUnits = [];
      this.gopBytes = 0;
      return;
    }
    this.gopUnits.push(au);
    this.gopBytes += size;
  }

  private clearGop(): void {
    this.gopUnits = [];
    this.gopBytes = 0;
    this.gopOverflowed = false;
  }
}
