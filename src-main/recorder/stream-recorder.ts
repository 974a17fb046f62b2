// StreamRecorder: the hub consumer that writes one camera stream to fMP4 segment files (DESIGN §4)
// and reports runs, segments and fragments as events for the index. Cuts a segment at the first
// keyframe past the segment length, on new parameter sets, and on run breaks. Never blocks the hub.
// Timestamp jumps (media time leaving the receive clock by more than maxDriftMs) start a new run a few
// times a minute at most; beyond that the jump is re-anchored in place: media time continues from the
// last unit by the receive-clock step, so a camera whose timestamps jump on every frame still gets
// whole segments instead of one run and one file per frame. Units off the receive clock that still
// continue the stream's media time (our thread or the network held them back) stay in their run: a
// backlog read in a burst loses nothing; lateness that lasts (a camera stalled while its clock ran
// on) ends the run at a keyframe.
import type { Clock } from '../base';
import { NvrError, isNvrError } from '../base';
import { DtsDeriver, type AccessUnit } from '../media';
import { parseH264Sps } from '../media/h264';
import { parseH265Sps } from '../media/h265';
import {
  FragmentBuilder,
  buildInitSegment,
  trackConfigFromParameterSets,
  type FinishedFragment,
} from '../media/fmp4';
import type { HubConsumer, StreamTrack } from '../camera';
import { SegmentFileWriter } from '../storage';
import type { RecorderEvent, StreamName } from './protocol';

export interface StreamRecorderOptions {
  dataDir: string;
  cameraId: string;
  stream: StreamName;
  clock: Clock;
  emit: (event: RecorderEvent) => void;
  /** Segment length; a segment is cut at the first keyframe past it. Default 60 s. */
  segmentDurationMs?: number;
  /** Media time may drift this far from the wall clock before a new run starts. Default 2 s. */
  maxDriftMs?: number;
  /** After a disk error, wait this long before trying to open a segment again. Default 5 s. */
  diskRetryMs?: number;
  /** Timestamp jumps that may start a new run per minute; later ones are re-anchored. Default 3. */
  maxJumpRunsPerMinute?: number;
  /** A receive gap longer than this is a real gap: it always starts a new run. Default 10 s. */
  maxBridgeMs?: number;
  /**
   * Where what is already recorded of this stream ends (a restarted worker's stream after its
   * recovered segment): the first run, were it to start slightly before, starts here instead, so
   * segments of one stream never overlap; later runs start no earlier than this recorder's last run
   * ended (see runStartMs).
   */
  notBeforeMs?: number;
}

interface OpenSegment {
  token: string;
  writer: SegmentFileWriter;
  builder: FragmentBuilder;
  track: StreamTrack;
  startPts90k: number;
  endMs: number;
}

interface Run {
  token: string;
  anchorMs: number;
  anchorPts90k: number;
  endMs: number;
}

/** Late units must stay late this long before a keyframe ends their run (a stall, not a hiccup). */
const LATE_FOR_MS = 1000;
/** How far back a unit's media time may step from the last one's and still continue it (B-frames). */
const MAX_REORDER_MS = 1000;

let tokenCounter = 0;
const nextToken = (prefix: string) =>
  `${prefix}-${process.pid}-${Date.now().toString(36)}-${++tokenCounter}`;

export class StreamRecorder implements HubConsumer {
  readonly name: string;
  private run: Run | undefined;
  private segment: OpenSegment | undefined;
  private diskFailedAtMs: number | undefined;
  /** Added to the camera's timestamps since the last re-anchored jump (0 until one). */
  private ptsOffset90k = 0;
  /** The last unit's (offset) time and its receive time, while a run is open. */
  private lastPts90k = 0;
  private lastReceivedMs: number | undefined;
  /** Monotonic time of the first unit of the current streak of late units (see handleJump). */
  private lateSinceMs: number | undefined;
  /** Monotonic times of the runs timestamp jumps started in the last minute. */
  private jumpRunsMs: number[] = [];
  /** Derives decode times (B-frames); units leave it in decode order with dts90k set. */
  private dts: DtsDeriver<AccessUnit> | undefined;
  private dtsTrack: StreamTrack | undefined;
  /** Added to pts and dts when a stream starting near 0 would get negative decode times. */
  private dtsLift90k: number | undefined;
  /** Where the last run (or what was recorded before this recorder) ended. */
  private notBeforeMs: number | undefined;
  /** Jumps handled in place (no new run). */
  reanchors = 0;
  framesWritten = 0;
  bytesWritten = 0;
  /** The last write error, until a segment opens again (shown in the stream's status). */
  lastError: { kind: NvrError['kind']; message: string } | undefined;

  /** How far media time may leave the receive clock (maxDriftMs). */
  private readonly maxDriftMs: number;

  constructor(private readonly opts: StreamRecorderOptions) {
    this.name = `recorder:${opts.cameraId}/${opts.stream}`;
    this.notBeforeMs = opts.notBeforeMs;
    this.maxDriftMs = opts.maxDriftMs ?? 2000;
  }

  push(au: AccessUnit, track: StreamTrack): boolean {
    try {
      this.write(au, track);
    } catch (e) {
      this.fail(e);
    }
    return true; // Writing is synchronous: the recorder is never "full".
  }

  onRunBreak(): void {
    this.endRun();
  }

  /** Syncs the open file to disk (called about once a second by the owner). */
  sync(): void {
    try {
      this.segment?.writer.sync();
    } catch (e) {
      this.fail(e);
    }
  }

  close(): void {
    this.endRun();
  }

  private write(input: AccessUnit, track: StreamTrack): void {
    const au = this.handleJump(input);
    for (const unit of this.deriveDts(au, track)) this.writeUnit(unit, track);
    if (this.run) this.noteUnit(au);
  }

  /** Decode times for the unit (and any held before it); pts = dts without B-frames. */
  private deriveDts(au: AccessUnit, track: StreamTrack): AccessUnit[] {
    if (au.dts90k !== undefined && !this.dts) return [au];
    this.dts ??= new DtsDeriver({ reorderDepth: reorderDepthOf(track) });
    this.dtsTrack = track;
    return this.lift(this.dts.push(au));
  }

  private lift(units: AccessUnit[]): AccessUnit[] {
    if (units.length === 0) return units;
    this.dtsLift90k ??= Math.max(0, -units[0]!.dts90k!);
    const lift = this.dtsLift90k;
    if (lift === 0) return units;
    return units.map((u) => ({ ...u, pts90k: u.pts90k + lift, dts90k: u.dts90k! + lift }));
  }

  /** Writes the units the deriver still holds (start-up of a B-frame stream) and forgets it. */
  private flushDts(write: boolean): void {
    const held = this.dts ? this.lift(this.dts.flush()) : [];
    this.dts = undefined;
    this.dtsLift90k = undefined;
    const track = this.dtsTrack;
    if (write && track) for (const unit of held) this.writeUnit(unit, track);
  }

  private noteUnit(au: AccessUnit): void {
    this.lastPts90k = au.pts90k;
    this.lastReceivedMs = this.opts.clock.nowMs();
  }

  /** The unit on this run's media time: a jump ends the run, or (over budget) is re-anchored. */
  private handleJump(input: AccessUnit): AccessUnit {
    const au = this.withOffset(input);
    const driftMs = this.run ? this.driftMs(au) : 0;
    if (Math.abs(driftMs) <= this.maxDriftMs) {
      this.lateSinceMs = undefined;
      return au;
    }
    const nowMs = this.opts.clock.nowMs();
    const monoMs = this.opts.clock.monotonicMs();
    const gapMs = this.lastReceivedMs === undefined ? Infinity : nowMs - this.lastReceivedMs;
    const maxBridgeMs = this.opts.maxBridgeMs ?? 10_000;
    if (this.isContinuation(au, driftMs, gapMs, maxBridgeMs)) {
      // Its media time follows the last unit's: nothing is wrong with the units, keep them in this
      // run. Early: the run's anchor was taken while our thread was behind (a backlog read at the
      // start); the run keeps its time. Late: our thread or the network held the stream back;
      // should the lateness last (the camera stalled while its clock ran on), the run ends at a
      // keyframe, so no frame is dropped waiting for one.
      if (driftMs < 0) return au;
      this.lateSinceMs ??= monoMs;
      if (!au.isKeyframe || monoMs - this.lateSinceMs < LATE_FOR_MS) return au;
    }
    this.lateSinceMs = undefined;
    this.jumpRunsMs = this.jumpRunsMs.filter((t) => monoMs - t < 60_000);
    const budget = this.opts.maxJumpRunsPerMinute ?? 3;
    if (gapMs > maxBridgeMs || this.jumpRunsMs.length < budget) {
      this.jumpRunsMs.push(monoMs);
      this.endRun();
      return input; // the new run starts on the camera's own time (endRun dropped the offset)
    }
    // Re-anchor: this unit follows the last one by the receive-clock step (at least one tick).
    this.ptsOffset90k = this.lastPts90k + Math.max(1, Math.round(gapMs * 90)) - input.pts90k;
    this.reanchors++;
    return this.withOffset(input);
  }

  private withOffset(au: AccessUnit): AccessUnit {
    if (this.ptsOffset90k === 0) return au;
    return {
      ...au,
      pts90k: au.pts90k + this.ptsOffset90k,
      ...(au.dts90k !== undefined ? { dts90k: au.dts90k + this.ptsOffset90k } : {}),
    };
  }

  private writeUnit(au: AccessUnit, track: StreamTrack): void {
    const seg = this.segment;
    if (seg) {
      const cut =
        au.isKeyframe &&
        (seg.track !== track ||
          (au.pts90k - seg.startPts90k) / 90 >= (this.opts.segmentDurationMs ?? 60_000));
      if (!cut) {
        this.appendFragments(seg, seg.builder.push(au));
        return;
      }
      this.closeSegment(au.dts90k ?? au.pts90k);
    }
    if (!au.isKeyframe) return; // A segment starts at a keyframe.
    if (this.diskFailedAtMs !== undefined) {
      if (this.opts.clock.monotonicMs() - this.diskFailedAtMs < (this.opts.diskRetryMs ?? 5000))
        return;
      this.diskFailedAtMs = undefined;
    }
    this.openSegment(au, track);
  }

  private openSegment(au: AccessUnit, track: StreamTrack): void {
    const run = this.run ?? this.startRun(au);
    const startMs = this.wallMs(run, au.pts90k);
    const config = trackConfigFromParameterSets({ codec: track.codec, ...track.parameterSets });
    const init = buildInitSegment(config, { creationTimeMs: startMs });
    const writer = SegmentFileWriter.open({
      dataDir: this.opts.dataDir,
      cameraId: this.opts.cameraId,
      stream: this.opts.stream,
      startMs,
      init,
    });
    const seg: OpenSegment = {
      token: nextToken('seg'),
      writer,
      builder: new FragmentBuilder({ codec: track.codec }),
      track,
      startPts90k: au.pts90k,
      endMs: startMs,
    };
    this.segment = seg;
    this.lastError = undefined;
    this.bytesWritten += init.byteLength;
    this.opts.emit({
      type: 'segment.open',
      segToken: seg.token,
      runToken: run.token,
      cameraId: this.opts.cameraId,
      stream: this.opts.stream,
      startMs,
      path: writer.relativePath,
      initSize: writer.initSize,
      codec: config.codecString,
    });
    this.appendFragments(seg, seg.builder.push(au));
  }

  private appendFragments(seg: OpenSegment, fragments: FinishedFragment[]): void {
    const run = this.run;
    if (!run) return;
    for (const f of fragments) {
      const { offset, sizeBytes } = seg.writer.append(f.parts);
      this.framesWritten += f.sampleCount;
      this.bytesWritten += sizeBytes;
      const endMs = this.wallMs(run, f.startPts90k + f.durationTicks);
      seg.endMs = endMs;
      run.endMs = endMs;
      this.opts.emit({
        type: 'fragment',
        segToken: seg.token,
        endMs,
        fragment: {
          offset,
          sizeBytes,
          startPts90k: f.startPts90k,
          duration90k: f.durationTicks,
          sampleCount: f.sampleCount,
          isKeyframe: f.isKeyframeStart,
        },
      });
    }
  }

  /** Closes the open segment; its last unit lasts until `endDts90k` when the next unit is known. */
  private closeSegment(endDts90k?: number): void {
    const seg = this.segment;
    if (!seg) return;
    this.segment = undefined;
    try {
      this.appendFragments(seg, seg.builder.flush(endDts90k));
      seg.writer.sync();
    } finally {
      seg.writer.close();
      this.opts.emit({ type: 'segment.close', segToken: seg.token, endMs: seg.endMs });
    }
  }

  private startRun(au: AccessUnit): Run {
    const run: Run = {
      token: nextToken('run'),
      anchorMs: this.runStartMs(),
      anchorPts90k: au.pts90k,
      endMs: 0,
    };
    run.endMs = run.anchorMs;
    this.run = run;
    this.opts.emit({
      type: 'run.start',
      runToken: run.token,
      cameraId: this.opts.cameraId,
      stream: this.opts.stream,
      startMs: run.anchorMs,
    });
    return run;
  }

  private endRun(flushHeld = true): void {
    try {
      this.flushDts(flushHeld);
    } catch (e) {
      this.report(e);
    }
    try {
      this.closeSegment();
    } catch (e) {
      this.report(e);
    }
    const run = this.run;
    if (!run) return;
    this.run = undefined;
    this.notBeforeMs = run.endMs;
    this.ptsOffset90k = 0;
    this.lastReceivedMs = undefined;
    this.opts.emit({ type: 'run.end', runToken: run.token, endMs: run.endMs });
  }

  /**
   * Now, or where the last run ended when that is at most half the drift allowance ahead (media
   * time ran a little ahead of the receive clock). Further ahead, the wall clock was set back: the
   * overlap is real and starting later would only misplace the footage.
   */
  private runStartMs(): number {
    const now = this.opts.clock.nowMs();
    const end = this.notBeforeMs;
    if (end === undefined || end <= now) return now;
    return end - now <= this.maxDriftMs / 2 ? end : now;
  }

  private wallMs(run: Run, pts90k: number): number {
    return Math.round(run.anchorMs + (pts90k - run.anchorPts90k) / 90);
  }

  /**
   * How far the receive clock is ahead of the unit's media time since the run's anchor: positive
   * when the unit comes late, negative when early.
   */
  private driftMs(au: AccessUnit): number {
    const run = this.run!;
    return this.opts.clock.nowMs() - this.wallMs(run, au.pts90k + (this.dtsLift90k ?? 0));
  }

  /**
   * A unit off the receive clock by less than a bridgeable gap whose media time steps from the last
   * unit's as a stream's does (forward, or back a little for B-frame order): a delivery delay or an
   * anchor taken late, not a jump.
   */
  private isContinuation(
    au: AccessUnit,
    driftMs: number,
    gapMs: number,
    maxBridgeMs: number,
  ): boolean {
    const stepMs = (au.pts90k - this.lastPts90k) / 90;
    return (
      Math.abs(driftMs) < maxBridgeMs &&
      gapMs <= maxBridgeMs &&
      stepMs >= -MAX_REORDER_MS &&
      stepMs <= this.maxDriftMs
    );
  }

  private fail(e: unknown): void {
    this.report(e);
    if (isNvrError(e, 'disk')) this.diskFailedAtMs = this.opts.clock.monotonicMs();
    // Whatever failed, the files written so far stay whole: end the run; the next keyframe starts anew.
    const seg = this.segment;
    this.segment = undefined;
    if (seg) {
      try {
        seg.writer.close();
      } catch {
        // already reported
      }
      this.opts.emit({ type: 'segment.close', segToken: seg.token, endMs: seg.endMs });
    }
    this.endRun(false);
  }

  private report(e: unknown): void {
    const err = e instanceof NvrError ? e : new NvrError('internal', String(e));
    this.lastError = { kind: err.kind, message: err.message };
    this.opts.emit({
      type: 'recorder.error',
      cameraId: this.opts.cameraId,
      stream: this.opts.stream,
      kind: err.kind,
      message: err.message,
    });
  }
}

/** The reorder depth the stream's SPS declares (0 when it does not say or cannot be read). */
function reorderDepthOf(track: StreamTrack): number {
  try {
    if (track.codec === 'h264')
      return parseH264Sps(track.parameterSets.sps).maxNumReorderFrames ?? 0;
    return parseH265Sps(track.parameterSets.sps).maxNumReorderPics;
  } catch {
    return 0;
  }
}
