// What a recording worker reports to the engine thread, and what the engine asks of it. Plain data
// (structured-clone safe): the same messages flow over a worker's port or a direct call in-thread.
import { NvrError } from '../base';
import type { ErrorKind } from '../base';
import type { DecodeTotals, StreamHealth, StreamTrack, TransportFallback } from '../camera';
import type { AccessUnit } from '../media';
import type { FragmentRecord } from '../storage';

export type StreamName = 'main' | 'sub';

/** A stream asked of a worker (or of the service) that runs nowhere there. */
export function streamNotRunning(cameraId: string, stream: StreamName): NvrError {
  return new NvrError('not_found', `stream ${stream} of camera ${cameraId} is not running`, {
    cameraId,
    stream,
  });
}

/** A stream whose worker died and waits for its restart. */
export function workerRestarting(cameraId: string, stream: StreamName): NvrError {
  return new NvrError('unavailable', `the worker of camera ${cameraId} (${stream}) is restarting`, {
    cameraId,
    stream,
  });
}

/** Everything a worker needs to record one camera stream. */
export interface StreamJob {
  cameraId: string;
  stream: StreamName;
  url: string;
  username?: string;
  password?: string;
  transport: 'auto' | 'tcp' | 'udp';
  record: boolean;
  /** Where this stream's recordings end so far: its first run does not start before (StreamRecorder). */
  notBeforeMs?: number;
}

export type RecorderEvent =
  | { type: 'run.start'; runToken: string; cameraId: string; stream: StreamName; startMs: number }
  | { type: 'run.end'; runToken: string; endMs: number }
  | {
      type: 'segment.open';
      segToken: string;
      runToken: string;
      cameraId: string;
      stream: StreamName;
      startMs: number;
      path: string;
      initSize: number;
      codec: string;
    }
  | { type: 'fragment'; segToken: string; fragment: FragmentRecord; endMs: number }
  | { type: 'segment.close'; segToken: string; endMs: number }
  | {
      type: 'recorder.error';
      cameraId: string;
      stream: StreamName;
      kind: ErrorKind;
      message: string;
    };

/** Per stream state and statistics, reported about once a second. */
export interface StreamReport {
  cameraId: string;
  stream: StreamName;
  state: 'idle' | 'connecting' | 'streaming' | 'reconnecting' | 'failed';
  error?: { kind: ErrorKind; message: string };
  codec?: string;
  width?: number;
  height?: number;
  fps?: number;
  bitrateKbps?: number;
  gopFrames?: number;
  lastFrameMs?: number;
  framesReceived: number;
  framesWritten: number;
  bytesWritten: number;
  reconnects: number;
  /** Wall clock (ms) since which the stream has been streaming without a break; absent while not streaming. */
  streamingSinceMs?: number;
  /** Times the worker running this stream died and was restarted (set by the engine thread). */
  workerRestarts?: number;
  /** The latest of those deaths: when (wall clock, ms) and why. */
  workerCrash?: { atMs: number; reason: string };
  /** What a decoder would see, since the stream started. */
  decode?: DecodeTotals;
  /** Decode health over the last window; absent before any RTP arrived. */
  health?: StreamHealth;
  transport?: 'tcp' | 'udp';
  transportFallback?: TransportFallback;
  /** The camera's SDP oddities we read around (TrackInfo.warnings); absent when none. */
  warnings?: string[];
}

export type WorkerCommand =
  | { type: 'start'; job: StreamJob }
  | { type: 'stop'; cameraId: string; stream: StreamName }
  /** Mirror a stream's hub into the engine thread (live viewers, snapshots): GOP first, then live. */
  | { type: 'tap.open'; cameraId: string; stream: StreamName }
  | { type: 'tap.close'; cameraId: string; stream: StreamName }
  /** For the worker's extension (hub consumers the engine hosts next to the recorder); opaque here. */
  | { type: 'ext'; cameraId: string; stream: StreamName; body: unknown }
  | { type: 'shutdown' };

/**
 * An access unit in one buffer (its NAL units back to back) so it crosses threads by transfer:
 * cloning the NAL views would copy whole socket and reassembly buffers behind them.
 */
export interface PackedAccessUnit {
  pts90k: number;
  dts90k?: number;
  isKeyframe: boolean;
  data: Uint8Array;
  nalLengths: number[];
}

export function packAccessUnit(au: AccessUnit): PackedAccessUnit {
  const nalLengths = au.nalus.map((n) => n.length);
  const data = new Uint8Array(nalLengths.reduce((a, b) => a + b, 0));
  let offset = 0;
  for (const n of au.nalus) {
    data.set(n, offset);
    offset += n.length;
  }
  return {
    pts90k: au.pts90k,
    ...(au.dts90k !== undefined ? { dts90k: au.dts90k } : {}),
    isKeyframe: au.isKeyframe,
    data,
    nalLengths,
  };
}

export function unpackAccessUnit(p: PackedAccessUnit): AccessUnit {
  const nalus: Uint8Array[] = [];
  let offset = 0;
  for (const length of p.nalLengths) {
    nalus.push(p.data.subarray(offset, offset + length));
    offset += length;
  }
  return {
    pts90k: p.pts90k,
    ...(p.dts90k !== undefined ? { dts90k: p.dts90k } : {}),
    isKeyframe: p.isKeyframe,
    nalus,
  };
}

/** What flows through a tap: the hub's track, its units, its run breaks. */
export type TapMessage =
  | { type: 'tap.track'; cameraId: string; stream: StreamName; track: StreamTrack }
  | { type: 'tap.au'; cameraId: string; stream: StreamName; au: PackedAccessUnit }
  | { type: 'tap.break'; cameraId: string; stream: StreamName }
  /** The cached keyframe group has been sent: the mirror is as good as the worker's hub. */
  | { type: 'tap.ready'; cameraId: string; stream: StreamName };

export type WorkerMessage =
  | TapMessage
  | { type: 'events'; events: RecorderEvent[] }
  | { type: 'reports'; reports: StreamReport[] }
  | { type: 'stopped'; cameraId: string; stream: StreamName }
  /** From the worker's extension; opaque here. */
  | { type: 'ext'; body: unknown }
  | { type: 'shutdown.done' };
