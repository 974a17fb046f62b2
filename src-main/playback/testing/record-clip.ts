// Records a clip through the real recording pipeline (StreamRecorder → segment files, events → the
// SQLite index) on a fake clock, fast and deterministic: every frame's wall time is known exactly.
// Runs model camera restarts (a new run after a gap, timestamps jumping). Tests and benchmarks only.
import { FakeClock } from '../../base';
import type { StreamTrack } from '../../camera';
import { loadClip } from '../../camera';
import type { Clip } from '../../camera';
import { trackConfigFromParameterSets } from '../../media/fmp4';
import { StreamRecorder } from '../../recorder';
import type { RecorderEvent, StreamName } from '../../recorder';
import type { RecordingIndex } from '../../storage';

export interface RecordedFrame {
  /** Index of the frame in the clip (what the clock clip draws; the clip loops). */
  n: number;
  wallMs: number;
}

export interface RunSpec {
  /** Frames of the clip to record in this run (continuing where the last run stopped). */
  frames: number;
  /** Wall-clock pause after this run before the next one starts (a camera restart). */
  gapAfterMs?: number;
}

export interface RecordClipInput {
  index: RecordingIndex;
  cameraId: string;
  stream?: StreamName;
  clip: Clip | string;
  startMs: number;
  runs: RunSpec[];
  segmentDurationMs?: number;
}

/** Applies recorder events to the index, as the recorder's IndexWriter does. */
function indexApplier(index: RecordingIndex): (e: RecorderEvent) => void {
  const runs = new Map<string, number>();
  const segs = new Map<string, number>();
  return (e) => {
    switch (e.type) {
      case 'run.start':
        runs.set(
          e.runToken,
          index.createRun({ cameraId: e.cameraId, stream: e.stream, startMs: e.startMs }),
        );
        return;
      case 'segment.open':
        segs.set(
          e.segToken,
          index.openSegment({
            runId: runs.get(e.runToken)!,
            cameraId: e.cameraId,
            stream: e.stream,
            startMs: e.startMs,
            path: e.path,
            initSize: e.initSize,
            codec: e.codec,
          }),
        );
        return;
      case 'fragment':
        index.appendFragments(segs.get(e.segToken)!, [e.fragment]);
        return;
      case 'segment.close':
        index.closeSegment(segs.get(e.segToken)!, e.endMs);
        segs.delete(e.segToken);
        return;
      case 'run.end':
        index.closeRun(runs.get(e.runToken)!, e.endMs);
        runs.delete(e.runToken);
        return;
      case 'recorder.error':
        throw new Error(`recorder error ${e.kind}: ${e.message}`);
    }
  };
}

/** Records the runs and returns every recorded frame with its wall time (ms since the epoch). */
export async function recordClip(input: RecordClipInput): Promise<RecordedFrame[]> {
  const clip = typeof input.clip === 'string' ? await loadClip(input.clip) : input.clip;
  const clock = new FakeClock(input.startMs);
  const config = trackConfigFromParameterSets({ codec: clip.codec, ...clip.parameterSets });
  const track: StreamTrack = {
    codec: clip.codec,
    width: clip.width,
    height: clip.height,
    fps: clip.fps,
    codecString: config.codecString,
    parameterSets: clip.parameterSets,
  };
  const recorder = new StreamRecorder({
    dataDir: input.index.dataDir,
    cameraId: input.cameraId,
    stream: input.stream ?? 'main',
    clock,
    emit: indexApplier(input.index),
    segmentDurationMs: input.segmentDurationMs ?? 60_000,
  });
  const frameTicks = Math.round(90_000 / clip.fps);
  const frameMs = 1000 / clip.fps;
  const recorded: RecordedFrame[] = [];
  let n = 0;
  let ptsBase = 0;
  for (const run of input.runs) {
    const runStartWall = clock.nowMs();
    let started: number | undefined;
    for (let i = 0; i < run.frames; i++, n++) {
      const au = clip.accessUnits[n % clip.accessUnits.length]!;
      if (started === undefined && !au.isKeyframe) {
        clock.advance(frameMs);
        continue; // a run starts at a keyframe; the recorder drops what comes before
      }
      started ??= n;
      const pts90k = ptsBase + (n - started) * frameTicks;
      recorder.push({ ...au, pts90k, dts90k: pts90k }, track);
      recorded.push({
        n: n % clip.accessUnits.length,
        wallMs: runStartWall + (n - started) * frameMs,
      });
      clock.advance(frameMs);
    }
    recorder.onRunBreak();
    // A camera restart: media time jumps somewhere else.
    ptsBase += 1_000_000_000;
    if (run.gapAfterMs) clock.advance(run.gapAfterMs);
  }
  recorder.close();
  input.index.flush();
  return recorded;
}

/** The frame shown at wall time T: the last frame with wallMs <= T (undefined in a gap before any). */
export function frameAt(
  frames: readonly RecordedFrame[],
  timeMs: number,
): RecordedFrame | undefined {
  let found: RecordedFrame | undefined;
  for (const f of frames) {
    if (f.wallMs <= timeMs) found = f;
    else break;
  }
  return found;
}
