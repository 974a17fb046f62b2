// Decodes one frame of a keyframe group to JPEG with ffmpeg: samples (4-byte length-prefixed NAL units)
// plus parameter sets become Annex B on ffmpeg's stdin; the chosen frame comes back on stdout.
// Owns the ffmpeg child process (killed on abort/timeout); knows nothing about the index or files.
import { spawn } from 'node:child_process';
import { NvrError } from '../base';
import type { VideoCodec } from '../media';

export interface FrameDecodeInput {
  codec: VideoCodec;
  parameterSets: { vps?: Uint8Array; sps: Uint8Array; pps: Uint8Array };
  /** Samples in decode order, the first a keyframe; AVCC/HVCC form (4-byte lengths). */
  samples: readonly Uint8Array[];
  /** Which decoded frame (0-based); default the last one. */
  frameIndex?: number;
  /** Scale to this width (height keeps the aspect ratio, even). */
  widthPx?: number;
  /** JPEG quality, ffmpeg's -q:v scale (2 best … 31 worst). Default 4. */
  quality?: number;
}

const START_CODE = new Uint8Array([0, 0, 0, 1]);

/** Annex B bytes: parameter sets, then every sample's NAL units, each after a start code. */
export function toAnnexB(input: Pick<FrameDecodeInput, 'parameterSets' | 'samples'>): Uint8Array {
  const parts: Uint8Array[] = [];
  const ps = input.parameterSets;
  for (const nal of [ps.vps, ps.sps, ps.pps]) if (nal) parts.push(START_CODE, nal);
  for (const sample of input.samples) {
    const view = new DataView(sample.buffer, sample.byteOffset, sample.byteLength);
    let at = 0;
    while (at + 4 <= sample.length) {
      const len = view.getUint32(at);
      if (at + 4 + len > sample.length)
        throw new NvrError('malformed', 'NAL length runs past the sample', { byteOffset: at });
      parts.push(START_CODE, sample.subarray(at + 4, at + 4 + len));
      at += 4 + len;
    }
  }
  return Buffer.concat(parts);
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Default 15 s. */
  timeoutMs?: number;
}

/** Runs ffmpeg and returns the JPEG it writes; NvrError('internal') with its stderr when it fails. */
export function decodeFrameToJpeg(
  ffmpegPath: string,
  input: FrameDecodeInput,
  opts: RunOptions = {},
): Promise<Uint8Array> {
  if (input.samples.length === 0)
    return Promise.reject(new NvrError('not_found', 'no frames to decode'));
  const frame = Math.min(input.frameIndex ?? input.samples.length - 1, input.samples.length - 1);
  const filters = [`select=eq(n\\,${frame})`];
  if (input.widthPx) filters.push(`scale=${Math.round(input.widthPx)}:-2`);
  const args = [
    ...['-hide_banner', '-nostdin', '-loglevel', 'error'],
    ...['-f', input.codec === 'h264' ? 'h264' : 'hevc', '-i', 'pipe:0'],
    ...['-vf', filters.join(','), '-vsync', '0', '-frames:v', '1'],
    ...['-f', 'image2pipe', '-c:v', 'mjpeg', '-q:v', String(input.quality ?? 4), 'pipe:1'],
  ];
  const bytes = toAnnexB(input);
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpegPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    let settled = false;
    const finish = (e: Error | undefined, jpeg?: Uint8Array) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (e) reject(e);
      else resolve(jpeg!);
    };
    const onAbort = () => {
      child.kill('SIGKILL');
      finish(new NvrError('cancelled', 'snapshot cancelled'));
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(
        new NvrError('timeout', 'ffmpeg took too long to decode a frame', { ffmpeg: ffmpegPath }),
      );
    }, opts.timeoutMs ?? 15_000);
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => {
      if (err.length < 4000) err += c.toString();
    });
    child.on('error', (e) =>
      finish(
        new NvrError('unavailable', `cannot run ffmpeg: ${e.message}`, { ffmpeg: ffmpegPath }),
      ),
    );
    child.on('close', (code) => {
      const jpeg = Buffer.concat(out);
      if (code === 0 && jpeg.length > 0) finish(undefined, new Uint8Array(jpeg));
      else
        finish(
          new NvrError(
            'internal',
            `ffmpeg could not decode the frame: ${err.trim().slice(0, 300)}`,
            {
              code: code ?? -1,
            },
          ),
        );
    });
    child.stdin.on('error', () => undefined); // EPIPE when ffmpeg exits early; 'close' reports it
    child.stdin.end(bytes);
  });
}

/** Limits how many ffmpeg processes run at once (a 2-core box must keep recording). */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly max: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}
