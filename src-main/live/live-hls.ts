// LiveHlsStream: live HLS (fMP4) for one camera stream, as a StreamHub consumer. Builds fragments with
// the media FragmentBuilder and cuts segments only at keyframes (a segment lasts at least ~the target,
// longer when the GOP is longer), keeps a small window of them in memory, and writes the playlist.
// Timestamps stay continuous across camera reconnects; a new init segment (new parameter sets)
// brings an EXT-X-DISCONTINUITY. Never blocks the hub and never touches the disk.
import type { HubConsumer, StreamTrack } from '../camera';
import type { AccessUnit } from '../media';
import type { FinishedFragment } from '../media/fmp4';
import { FragmentBuilder, buildInitSegment, trackConfigFromParameterSets } from '../media/fmp4';
import { RtpTimeline } from './rtp-timeline';

export interface LiveHlsOptions {
  /**
   * Target segment length. Segments start only at keyframes: one is cut at the first keyframe once it
   * lasts 3/4 of this, so with a GOP longer than the target a segment is one GOP. Default 1000 ms.
   */
  segmentDurationMs?: number;
  /** Segments listed in the playlist. Default 6. */
  windowSegments?: number;
  /** Wall clock, ms since epoch. */
  nowMs?: () => number;
}

interface Segment {
  sequence: number;
  bytes: Uint8Array;
  durationS: number;
  initVersion: number;
  /** Discontinuities since the stream started, up to and including this segment. */
  discontinuitySequence: number;
  startMs: number;
  /** Times this segment was served (each player fetches a segment once). */
  fetches: number;
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameConfig(a: StreamTrack, b: StreamTrack): boolean {
  return (
    a.codec === b.codec &&
    sameBytes(a.parameterSets.sps, b.parameterSets.sps) &&
    sameBytes(a.parameterSets.pps, b.parameterSets.pps) &&
    sameBytes(a.parameterSets.vps, b.parameterSets.vps)
  );
}

export class LiveHlsStream implements HubConsumer {
  readonly name: string;
  private readonly segments: Segment[] = [];
  private readonly inits = new Map<number, Uint8Array>();
  private initVersion = 0;
  private track: StreamTrack | undefined;
  private builder: FragmentBuilder | undefined;
  private timeline = new RtpTimeline({ maxJumpMs: 5000 });
  private nextSequence = 0;
  private discontinuityPending = false;
  private discontinuitySequence = 0;
  private segmentStartMs: number | undefined;
  /** moof+mdat pairs of the segment being built (they start with a keyframe). */
  private openParts: Uint8Array[] = [];
  private openDurationS = 0;
  private maxSegmentS = 0;
  private waiters: Array<() => void> = [];
  private readonly segmentMs: number;
  private readonly window: number;
  private readonly now: () => number;
  /** Bytes served (segments and init) to clients. */
  bytesServed = 0;
  requests = 0;

  constructor(name: string, opts: LiveHlsOptions = {}) {
    this.name = name;
    this.segmentMs = opts.segmentDurationMs ?? 1000;
    this.window = opts.windowSegments ?? 6;
    this.now = opts.nowMs ?? Date.now;
  }

  get segmentCount(): number {
    return this.segments.length;
  }

  get codecString(): string | undefined {
    return this.track?.codecString;
  }

  push(au: AccessUnit, track: StreamTrack): boolean {
    if (!this.track || !sameConfig(this.track, track)) this.newInit(track);
    this.track = track;
    const pts90k = this.timeline.map(au.pts90k, this.now());
    this.segmentStartMs ??= this.now();
    for (const f of this.builder!.push({ ...au, pts90k, dts90k: pts90k })) this.addFragment(f);
    // The builder holds the keyframe back, so everything before it is in the open segment now.
    if (au.isKeyframe && this.openDurationS * 1000 >= this.segmentMs * 0.75) this.closeSegment();
    return true;
  }

  onRunBreak(): void {
    this.timeline.breakRun();
  }

  /** Resolves once `count` segments exist, or after `timeoutMs`. */
  waitForSegments(count: number, timeoutMs: number): Promise<void> {
    if (this.segments.length >= count) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(finish, timeoutMs);
      const check = (): void => {
        if (this.segments.length >= count) finish();
        else this.waiters.push(check);
      };
      function finish(): void {
        clearTimeout(timer);
        resolve();
      }
      this.waiters.push(check);
    });
  }

  /** The media playlist; `uri(file)` turns a file name into the URI written in it. */
  playlist(uri: (file: string) => string): string {
    const listed = this.segments.slice(-this.window);
    const lines = [
      '#EXTM3U',
      '#EXT-X-VERSION:7',
      // Every EXTINF rounded to the nearest second is at most this (RFC 8216 §4.3.3.1).
      `#EXT-X-TARGETDURATION:${Math.max(1, Math.round(this.maxSegmentS))}`,
      `#EXT-X-MEDIA-SEQUENCE:${listed[0]?.sequence ?? this.nextSequence}`,
      `#EXT-X-DISCONTINUITY-SEQUENCE:${listed[0]?.discontinuitySequence ?? this.discontinuitySequence}`,
    ];
    let mapVersion = -1;
    let previous: Segment | undefined;
    for (const s of listed) {
      if (previous && s.discontinuitySequence !== previous.discontinuitySequence)
        lines.push('#EXT-X-DISCONTINUITY');
      previous = s;
      if (s.initVersion !== mapVersion) {
        lines.push(`#EXT-X-MAP:URI="${uri(`init-${s.initVersion}.mp4`)}"`);
        mapVersion = s.initVersion;
      }
      lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(s.startMs).toISOString()}`);
      lines.push(`#EXTINF:${s.durationS.toFixed(3)},`);
      lines.push(uri(`seg-${s.sequence}.m4s`));
    }
    return lines.join('\n') + '\n';
  }

  init(version: number): Uint8Array | undefined {
    return this.inits.get(version);
  }

  /** A segment's bytes, counted as one fetch (see `clientCount`). */
  segment(sequence: number): Uint8Array | undefined {
    const s = this.segments.find((x) => x.sequence === sequence);
    if (s) s.fetches++;
    return s?.bytes;
  }

  /**
   * Players following the stream: HLS has no sessions, but every player fetches each new segment
   * once, so the most fetched of the newest few segments counts them.
   */
  clientCount(): number {
    let n = 0;
    for (const s of this.segments.slice(-4)) n = Math.max(n, s.fetches);
    return n;
  }

  close(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  private newInit(track: StreamTrack): void {
    // Close the running fragment with the old configuration first.
    if (this.builder) {
      for (const f of this.builder.flush()) this.addFragment(f);
      this.closeSegment();
    }
    const config = trackConfigFromParameterSets({ codec: track.codec, ...track.parameterSets });
    this.initVersion++;
    this.inits.set(this.initVersion, buildInitSegment(config));
    for (const v of this.inits.keys()) if (v < this.initVersion - 4) this.inits.delete(v);
    this.builder = new FragmentBuilder({
      codec: track.codec,
      maxFragmentDurationMs: this.segmentMs,
    });
    if (this.segments.length > 0) this.discontinuityPending = true;
  }

  private addFragment(f: FinishedFragment): void {
    this.openParts.push(f.bytes);
    this.openDurationS += f.durationTicks / 90000;
  }

  private closeSegment(): void {
    if (this.openParts.length === 0) return;
    const parts = this.openParts;
    const bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    const durationS = this.openDurationS;
    this.openParts = [];
    this.openDurationS = 0;
    if (this.discontinuityPending) this.discontinuitySequence++;
    this.discontinuityPending = false;
    this.segments.push({
      sequence: this.nextSequence++,
      bytes,
      durationS,
      initVersion: this.initVersion,
      discontinuitySequence: this.discontinuitySequence,
      startMs: this.segmentStartMs ?? this.now(),
      fetches: 0,
    });
    this.segmentStartMs = this.now();
    this.maxSegmentS = Math.max(this.maxSegmentS, durationS);
    // A few more than listed stay fetchable for players a little behind.
    while (this.segments.length > this.window + 4) this.segments.shift();
    const waiters = this.waiters.splice(0);
    for (const w of waiters) w();
  }
}
