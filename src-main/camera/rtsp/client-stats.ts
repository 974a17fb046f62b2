// Stream statistics of a camera session (frames, bytes, bitrate, fps, GOP length, last frame time)
// over a sliding window. Pure bookkeeping fed by the session; no timers, no I/O.
import type { AccessUnit } from '../../media';

export interface CameraStreamStats {
  frames: number;
  bytes: number;
  /** Over the last `windowMs` of received frames. */
  bitrateKbps: number;
  fps: number;
  /** Frames in the last complete keyframe group (0 until two keyframes were seen). */
  gopFrames: number;
  /** Wall clock of the last frame, ms since the Unix epoch (0 before the first). */
  lastFrameMs: number;
  reconnects: number;
}

interface Sample {
  atMs: number;
  sizeBytes: number;
}

export class StreamStatsTracker {
  private frames = 0;
  private bytes = 0;
  private gopFrames = 0;
  private framesSinceKeyframe = -1;
  private lastFrameMs = 0;
  reconnects = 0;
  private readonly window: Sample[] = [];

  constructor(private readonly windowMs = 5000) {}

  add(au: AccessUnit, nowMs: number): void {
    let sizeBytes = 0;
    for (const n of au.nalus) sizeBytes += n.length;
    this.frames++;
    this.bytes += sizeBytes;
    this.lastFrameMs = nowMs;
    if (au.isKeyframe) {
      if (this.framesSinceKeyframe >= 0) this.gopFrames = this.framesSinceKeyframe;
      this.framesSinceKeyframe = 1;
    } else if (this.framesSinceKeyframe >= 0) this.framesSinceKeyframe++;
    this.window.push({ atMs: nowMs, sizeBytes });
    this.trim(nowMs);
  }

  /** Starts a new keyframe group count (after a reconnect the old group is incomplete). */
  resetGop(): void {
    this.framesSinceKeyframe = -1;
  }

  snapshot(nowMs: number): CameraStreamStats {
    this.trim(nowMs);
    const first = this.window[0];
    // Frames over the span they cover; with one sample there is no rate yet.
    const spanMs = first ? Math.max(nowMs - first.atMs, 1) : 0;
    const windowBytes = this.window.reduce((n, s) => n + s.sizeBytes, 0);
    const usable = this.window.length >= 2 && spanMs > 0;
    return {
      frames: this.frames,
      bytes: this.bytes,
      bitrateKbps: usable ? Math.round((windowBytes * 8) / spanMs) : 0,
      fps: usable ? Math.round(((this.window.length - 1) * 1000 * 10) / spanMs) / 10 : 0,
      gopFrames: this.gopFrames,
      lastFrameMs: this.lastFrameMs,
      reconnects: this.reconnects,
    };
  }

  private trim(nowMs: number): void {
    while (this.window.length > 0 && nowMs - this.window[0]!.atMs > this.windowMs)
      this.window.shift();
  }
}
