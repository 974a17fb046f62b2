// One track's RTP fan-out: every reader gets the same packets; a new reader starts with the cached
// packets of the current keyframe group; a slow reader is dropped to the next keyframe. Never
// blocks on a reader and never rewrites packets. Also counts what it sent, for RTCP sender reports.

/** Where one reader's packets for one track go (a TCP interleaved channel pair or a UDP pair). */
export interface RtpSink {
  /** Sends one packet; never throws. */
  sendRtp(packet: Uint8Array): void;
  sendRtcp(packet: Uint8Array): void;
  /** True while the transport is backed up (TCP send buffer over its high-water mark). */
  congested(): boolean;
}

export interface ReaderStats {
  packetsSent: number;
  packetsDropped: number;
  /** Times the reader was dropped to the next keyframe. */
  skips: number;
}

interface Reader extends ReaderStats {
  sink: RtpSink;
  waitingForKeyframe: boolean;
}

export interface FanoutStartInfo {
  /** Sequence number and RTP timestamp of the first packet the reader will get, when known. */
  seq?: number;
  rtptime?: number;
}

export interface FanoutOptions {
  /** Upper bound of the keyframe-group cache (default 4 MiB); past it the cache is dropped. */
  maxCacheBytes?: number;
  clockRate?: number;
}

export class TrackFanout {
  private readonly readers = new Map<RtpSink, Reader>();
  private gop: Uint8Array[] = [];
  private gopBytes = 0;
  private auStart = 0;
  private auIsKey = false;
  private haveKey = false;
  private prevTs = -1;
  private prevMarker = true;
  private readonly maxCacheBytes: number;
  readonly clockRate: number;

  // Sender statistics (RFC 3550 §6.4.1) for the SSRC seen last.
  ssrc = 0;
  packetCount = 0;
  octetCount = 0;
  lastRtpTimestamp = 0;
  lastPacketWallMs = 0;

  constructor(options: FanoutOptions = {}) {
    this.maxCacheBytes = options.maxCacheBytes ?? 4 * 1024 * 1024;
    this.clockRate = options.clockRate ?? 90000;
  }

  get readerCount(): number {
    return this.readers.size;
  }

  /** What `addReader` would start the reader with, for RTP-Info; call right before addReader. */
  startInfo(): FanoutStartInfo {
    const first = this.haveKey ? this.gop[0] : undefined;
    if (!first || first.length < 12) return {};
    return { seq: (first[2]! << 8) | first[3]!, rtptime: readU32(first, 4) };
  }

  /** Adds a reader and sends it the cached keyframe group at once (or waits for the next keyframe). */
  addReader(sink: RtpSink): void {
    const reader: Reader = {
      sink,
      waitingForKeyframe: true,
      packetsSent: 0,
      packetsDropped: 0,
      skips: 0,
    };
    this.readers.set(sink, reader);
    if (this.haveKey && this.gop.length > 0) this.flushGop(reader);
  }

  removeReader(sink: RtpSink): void {
    this.readers.delete(sink);
  }

  readerStats(sink: RtpSink): ReaderStats | undefined {
    const r = this.readers.get(sink);
    return r && { packetsSent: r.packetsSent, packetsDropped: r.packetsDropped, skips: r.skips };
  }

  /**
   * Sends one RTP packet to every reader. `keyframe` marks packets that belong to a keyframe access
   * unit (or its parameter sets); the access unit boundary comes from the marker bit / timestamp.
   */
  push(packet: Uint8Array, keyframe: boolean, nowMs: number): void {
    if (packet.length < 12) return;
    const ts = readU32(packet, 4);
    const marker = (packet[1]! & 0x80) !== 0;
    if (this.prevMarker || ts !== this.prevTs) {
      this.auStart = this.gop.length;
      this.auIsKey = false;
    }
    let newKey = false;
    if (keyframe && !this.auIsKey) {
      this.gop = this.gop.slice(this.auStart);
      this.gopBytes = this.gop.reduce((n, p) => n + p.length, 0);
      this.auStart = 0;
      this.auIsKey = true;
      this.haveKey = true;
      newKey = true;
    }
    if (this.haveKey) {
      this.gop.push(packet);
      this.gopBytes += packet.length;
      if (this.gopBytes > this.maxCacheBytes) this.dropCache();
    }
    this.prevTs = ts;
    this.prevMarker = marker;
    this.ssrc = readU32(packet, 8);
    this.packetCount++;
    this.octetCount += packet.length - 12;
    this.lastRtpTimestamp = ts;
    this.lastPacketWallMs = nowMs;

    for (const r of this.readers.values()) {
      if (r.waitingForKeyframe) {
        if (newKey && !r.sink.congested()) this.flushGop(r);
        else r.packetsDropped++;
        continue;
      }
      if (r.sink.congested()) {
        r.waitingForKeyframe = true;
        r.skips++;
        r.packetsDropped++;
        continue;
      }
      r.sink.sendRtp(packet);
      r.packetsSent++;
    }
  }

  /** Sends an RTCP packet (a relayed or built sender report) to every reader that is not waiting. */
  pushRtcp(packet: Uint8Array): void {
    for (const r of this.readers.values()) if (!r.waitingForKeyframe) r.sink.sendRtcp(packet);
  }

  /** RTP timestamp that corresponds to `nowMs`, extrapolated from the last packet sent. */
  rtpTimestampAt(nowMs: number): number {
    return (
      (this.lastRtpTimestamp +
        Math.round(((nowMs - this.lastPacketWallMs) * this.clockRate) / 1000)) >>>
      0
    );
  }

  /** Forgets the cache and the access unit state (the source restarted with new numbering). */
  reset(): void {
    this.dropCache();
    this.prevTs = -1;
    this.prevMarker = true;
    this.packetCount = 0;
    this.octetCount = 0;
  }

  private dropCache(): void {
    this.gop = [];
    this.gopBytes = 0;
    this.auStart = 0;
    this.auIsKey = false;
    this.haveKey = false;
  }

  private flushGop(r: Reader): void {
    r.waitingForKeyframe = false;
    for (const p of this.gop) {
      r.sink.sendRtp(p);
      r.packetsSent++;
    }
  }
}

function readU32(b: Uint8Array, offset: number): number {
  return (
    ((b[offset]! << 24) | (b[offset + 1]! << 16) | (b[offset + 2]! << 8) | b[offset + 3]!) >>> 0
  );
}
