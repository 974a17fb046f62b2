// The recorder writes what the hub gives it into whole, playable segment files, and reports
// runs, segments and fragments that match the files byte for byte.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, createLogger, memorySink } from '../base';
import { RecordingIndex } from '../storage';
import type { AccessUnit } from '../media';
import { H264NalType, h264NalType, parseH264Sps } from '../media/h264';
import { splitAnnexB } from '../media/nal';
import { scanFragments } from '../media/fmp4';
import type { StreamTrack } from '../camera';
import { StreamRecorder } from './stream-recorder';
import type { RecorderEvent } from './protocol';
import { IndexWriter } from './index-writer';

let units: AccessUnit[] = [];
let track: StreamTrack;
const dirs: string[] = [];

function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'nvr-rec-'));
  dirs.push(d);
  return d;
}

beforeAll(() => {
  // 6 s of 640x360 at 15 fps, keyframe every 15 frames, AUDs so units split trivially.
  const dir = tmp();
  const file = path.join(dir, 'clip.h264');
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    'testsrc=size=640x360:rate=15',
    '-t',
    '6',
    '-c:v',
    'libx264',
    '-bf',
    '0',
    '-g',
    '15',
    '-x264-params',
    'aud=1',
    '-pix_fmt',
    'yuv420p',
    file,
  ]);
  let current: Uint8Array[] = [];
  const flush = () => {
    if (current.length === 0) return;
    const isKeyframe = current.some((n) => h264NalType(n) === H264NalType.IDR);
    units.push({ pts90k: 0, isKeyframe, nalus: current });
    current = [];
  };
  let sps: Uint8Array | undefined;
  let pps: Uint8Array | undefined;
  for (const nal of splitAnnexB(fs.readFileSync(file))) {
    const type = h264NalType(nal);
    if (type === H264NalType.AUD) flush();
    if (type === H264NalType.SPS) sps ??= nal;
    if (type === H264NalType.PPS) pps ??= nal;
    current.push(nal);
  }
  flush();
  units = units.map((u, i) => ({ ...u, pts90k: 1_000_000 + i * 6000 }));
  const info = parseH264Sps(sps!);
  track = {
    codec: 'h264',
    width: info.width,
    height: info.height,
    codecString: info.codecString,
    parameterSets: { sps: sps!, pps: pps! },
  };
});

afterEach(() => {
  while (dirs.length > 1) fs.rmSync(dirs.pop()!, { recursive: true, force: true });
});

const T0 = 1_790_000_000_000;

/** Frames in the fragments the recorder reported. */
const framesIn = (events: RecorderEvent[]) =>
  events.reduce((n, e) => n + (e.type === 'fragment' ? e.fragment.sampleCount : 0), 0);

/** Start and end of each segment, in order. */
function spans(events: RecorderEvent[]): { startMs: number; endMs: number }[] {
  const starts = events.flatMap((e) => (e.type === 'segment.open' ? [e.startMs] : []));
  const ends = events.flatMap((e) => (e.type === 'segment.close' ? [e.endMs] : []));
  return starts.map((startMs, i) => ({ startMs, endMs: ends[i]! }));
}

function record(
  segmentDurationMs: number,
  feed: (rec: StreamRecorder, clock: FakeClock) => void,
  more: { notBeforeMs?: number } = {},
) {
  const dataDir = tmp();
  const clock = new FakeClock(T0);
  const events: RecorderEvent[] = [];
  const rec = new StreamRecorder({
    dataDir,
    cameraId: 'cam1',
    stream: 'main',
    clock,
    emit: (e) => events.push(e),
    segmentDurationMs,
    ...more,
  });
  feed(rec, clock);
  rec.close();
  return { dataDir, events };
}

describe('StreamRecorder', () => {
  it('cuts segments at keyframes and writes files ffmpeg reads without error', () => {
    const { dataDir, events } = record(2000, (rec, clock) => {
      for (const u of units) {
        rec.push(u, track);
        clock.advance(1000 / 15);
      }
    });
    const opens = events.filter((e) => e.type === 'segment.open');
    expect(opens).toHaveLength(3);
    const fragments = events.filter((e) => e.type === 'fragment');
    const frames = fragments.reduce(
      (n, e) => n + (e.type === 'fragment' ? e.fragment.sampleCount : 0),
      0,
    );
    expect(frames).toBe(units.length);
    for (const open of opens) {
      if (open.type !== 'segment.open') continue;
      const file = path.join(dataDir, open.path);
      expect(open.path).toMatch(/^recordings\/cam1\/main\/\d{4}\/\d{2}\/\d{2}\/\d+\.mp4$/);
      const errors = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      expect(errors).toBe('');
      const scan = scanFragments(fs.readFileSync(file));
      const reported = fragments.filter(
        (e) => e.type === 'fragment' && e.segToken === open.segToken,
      );
      expect(scan.fragments.map((f) => f.offset)).toEqual(
        reported.map((e) => (e.type === 'fragment' ? e.fragment.offset : -1)),
      );
      expect(scan.validEnd).toBe(fs.statSync(file).size);
      expect(scan.fragments[0]?.isKeyframe).toBe(true);
    }
    // Segment times follow the media clock from the run's anchor.
    const first = opens[0]!;
    const second = opens[1]!;
    expect(
      first.type === 'segment.open' &&
        second.type === 'segment.open' &&
        second.startMs - first.startMs,
    ).toBe(2000);
    expect(events[0]?.type).toBe('run.start');
    expect(events.at(-1)?.type).toBe('run.end');
  });

  it('starts a new run on a run break and when media time drifts from the clock', () => {
    const { events } = record(60_000, (rec, clock) => {
      units.slice(0, 30).forEach((u) => {
        rec.push(u, track);
        clock.advance(1000 / 15);
      });
      rec.onRunBreak();
      units.slice(30, 60).forEach((u) => {
        rec.push(u, track);
        clock.advance(1000 / 15);
      });
      clock.advance(10_000); // the camera stalls but its timestamps carry on as if nothing happened
      units.slice(60).forEach((u) => {
        rec.push(u, track);
        clock.advance(1000 / 15);
      });
    });
    expect(events.filter((e) => e.type === 'run.start')).toHaveLength(3);
    expect(events.filter((e) => e.type === 'run.end')).toHaveLength(3);
  });

  it('keeps every frame of a backlog read late in a burst (a stalled thread), in one run', () => {
    const { dataDir, events } = record(60_000, (rec, clock) => {
      units.forEach((u, i) => {
        if (i === 40) clock.advance(3000); // the thread stalls 3 s mid-GOP; the camera sent on
        rec.push(u, track);
        // Until the backlog is read, units come faster than real time.
        clock.advance(i >= 40 && i < 100 ? 1000 / 15 / 4 : 1000 / 15);
      });
    });
    expect(events.filter((e) => e.type === 'run.start')).toHaveLength(1);
    expect(framesIn(events)).toBe(units.length);
    for (const e of events)
      if (e.type === 'segment.open')
        expect(
          execFileSync(
            'ffmpeg',
            ['-v', 'error', '-i', path.join(dataDir, e.path), '-f', 'null', '-'],
            {
              encoding: 'utf8',
              stdio: ['ignore', 'pipe', 'pipe'],
            },
          ),
        ).toBe('');
  });

  it('keeps every frame when the run began on a backlog (units early on its clock), in one run', () => {
    const { events } = record(60_000, (rec, clock) => {
      units.forEach((u, i) => {
        rec.push(u, track);
        // The run's first 60 units are a backlog read at 4× real time: by the last, its media
        // time is 3 s ahead of the receive clock.
        clock.advance(i < 60 ? 1000 / 15 / 4 : 1000 / 15);
      });
    });
    expect(events.filter((e) => e.type === 'run.start')).toHaveLength(1);
    expect(framesIn(events)).toBe(units.length);
  });

  it('ends the run at a keyframe when the lateness lasts (a camera stalled, its clock ran on)', () => {
    const { events } = record(60_000, (rec, clock) => {
      units.forEach((u, i) => {
        if (i === 40) clock.advance(4000); // 4 s without frames, then real time again, 4 s late
        rec.push(u, track);
        clock.advance(1000 / 15);
      });
    });
    expect(events.filter((e) => e.type === 'run.start')).toHaveLength(2);
    // Nothing dropped: the units up to the keyframe stay in the first run.
    expect(framesIn(events)).toBe(units.length);
    // The second run starts on the receive clock, after the first run's end.
    const [first, second] = spans(events);
    expect(second!.startMs).toBeGreaterThanOrEqual(first!.endMs + 3000);
  });

  it('never starts a run before what was recorded of the stream ends, unless the clock went back', () => {
    // Media time runs ahead of the receive clock (a camera sending its backlog fast), then the
    // session reconnects: the second run must not overlap the first.
    const feed = (rec: StreamRecorder, clock: FakeClock) => {
      units.slice(0, 30).forEach((u) => {
        rec.push(u, track);
        clock.advance(1000 / 15 - 10);
      });
      rec.onRunBreak();
      units.slice(30, 60).forEach((u) => {
        rec.push(u, track);
        clock.advance(1000 / 15);
      });
    };
    // After a worker restart: the recovered segment ended 300 ms past the new worker's clock.
    const resumed = spans(record(60_000, feed, { notBeforeMs: T0 + 300 }).events);
    expect(resumed).toHaveLength(2);
    expect(resumed[0]!.startMs).toBe(T0 + 300);
    expect(resumed[1]!.startMs).toBeGreaterThanOrEqual(resumed[0]!.endMs);
    expect(resumed[0]!.endMs - resumed[0]!.startMs).toBe(2000); // 30 frames at 15 fps
    // The wall clock was set back an hour: recording starts now rather than an hour late.
    const setBack = spans(record(60_000, feed, { notBeforeMs: T0 + 3_600_000 }).events);
    expect(setBack[0]!.startMs).toBe(T0);
    expect(setBack[1]!.startMs).toBeGreaterThanOrEqual(setBack[0]!.endMs);
  });

  it('starts each segment at a keyframe, dropping what comes before the first one', () => {
    const { events } = record(60_000, (rec, clock) => {
      for (const u of units.slice(5)) {
        rec.push(u, track);
        clock.advance(1000 / 15);
      }
    });
    expect(events.filter((e) => e.type === 'run.start')).toHaveLength(1);
    const frames = framesIn(events);
    expect(frames).toBe(units.length - 15);
  });

  it('reports a disk error, keeps what was written, and resumes when writing works again', () => {
    const dataDir = tmp();
    const clock = new FakeClock(T0);
    const events: RecorderEvent[] = [];
    const rec = new StreamRecorder({
      dataDir,
      cameraId: 'cam1',
      stream: 'main',
      clock,
      emit: (e) => events.push(e),
      segmentDurationMs: 1000,
      diskRetryMs: 1000,
    });
    units.slice(0, 20).forEach((u) => {
      rec.push(u, track);
      clock.advance(1000 / 15);
    });
    // Make the recordings folder unwritable: the next segment cannot be created.
    const camDir = path.join(dataDir, 'recordings', 'cam1');
    fs.rmSync(camDir, { recursive: true, force: true });
    fs.writeFileSync(camDir, 'not a folder');
    units.slice(20, 40).forEach((u) => {
      rec.push(u, track);
      clock.advance(1000 / 15);
    });
    expect(events.some((e) => e.type === 'recorder.error' && e.kind === 'disk')).toBe(true);
    fs.rmSync(camDir);
    units.slice(40).forEach((u) => {
      rec.push(u, track);
      clock.advance(1000 / 15);
    });
    rec.close();
    const lastOpen = events.filter((e) => e.type === 'segment.open').at(-1);
    expect(
      lastOpen?.type === 'segment.open' && fs.existsSync(path.join(dataDir, lastOpen.path)),
    ).toBe(true);
  });

  it('keeps whole segments when timestamps jump on every frame: runs, files and log lines bounded', () => {
    // Two minutes at 15 fps of a camera whose RTP timestamps jump by 0..444 s on every frame.
    const FRAMES = 1800;
    const mem = memorySink();
    const dataDir = tmp();
    const index = RecordingIndex.open({ dataDir });
    const writer = new IndexWriter(index, createLogger({ level: 'info', sink: mem.sink }));
    const { dataDir: recDir, events } = record(60_000, (rec, clock) => {
      for (let i = 0; i < FRAMES; i++) {
        const u = units[i % units.length]!;
        const jump90k = ((i * 7919) % 13) * 37 * 90_000;
        rec.push({ ...u, pts90k: 1_000_000 + i * 6000 + jump90k }, track);
        clock.advance(1000 / 15);
      }
      expect(rec.reanchors).toBeGreaterThan(FRAMES / 2);
    });
    const count = (type: string) => events.filter((e) => e.type === type).length;
    // At most 3 jump runs a minute (plus the first run); segments are cut by length, not by jumps.
    expect(count('run.start')).toBeLessThanOrEqual(1 + 3 * 2);
    expect(count('segment.open')).toBeLessThanOrEqual(count('run.start') + 2);
    const frames = framesIn(events);
    expect(frames).toBeGreaterThanOrEqual(FRAMES - 15 * count('run.start'));
    // Media time stays on the receive clock: the recorded span is the two minutes, in order.
    const opens = events.filter((e) => e.type === 'segment.open');
    const starts = opens.map((e) => (e.type === 'segment.open' ? e.startMs : 0));
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    const lastEnd = events.filter((e) => e.type === 'fragment').at(-1);
    const spanMs = (lastEnd?.type === 'fragment' ? lastEnd.endMs : 0) - starts[0]!;
    expect(Math.abs(spanMs - (FRAMES * 1000) / 15)).toBeLessThan(3000);
    for (const open of opens) {
      if (open.type !== 'segment.open') continue;
      const errors = execFileSync(
        'ffmpeg',
        ['-v', 'error', '-i', path.join(recDir, open.path), '-f', 'null', '-'],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
      expect(errors).toBe('');
    }

    // A warning the camera repeats on every frame reaches the log a few times a minute.
    const warnings: RecorderEvent[] = Array.from({ length: FRAMES }, () => ({
      type: 'recorder.error',
      cameraId: 'cam1',
      stream: 'main',
      kind: 'malformed',
      message: 'timestamps out of order',
    }));
    writer.apply(warnings);
    expect(mem.lines.length).toBeLessThanOrEqual(5);
    index.close();
  });
});
