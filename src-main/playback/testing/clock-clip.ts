// Test clips that carry their own clock: ffmpeg draws each frame's number as a row of black/white
// blocks (machine-readable, survives JPEG and H.264) plus the time as text (for people looking at
// screenshots). readFrameNumbers() decodes JPEGs or MP4s back to those numbers. Tests only.
import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import type { VideoCodec } from '../../media';

export const FFMPEG = '/usr/bin/ffmpeg';
export const FFPROBE = '/usr/bin/ffprobe';
export const CLOCK_WIDTH = 320;
export const CLOCK_HEIGHT = 240;
const BLOCK = 16;
const PER_ROW = CLOCK_WIDTH / BLOCK;
export const CLOCK_BITS = 24;

/** The ffmpeg filter chain drawing frame number `n` as bits and the local time as text. */
export function clockFilter(): string {
  const boxes = [`drawbox=x=0:y=0:w=iw:h=${BLOCK * 2}:color=black:t=fill`];
  for (let b = 0; b < CLOCK_BITS; b++) {
    const x = (b % PER_ROW) * BLOCK;
    const y = Math.floor(b / PER_ROW) * BLOCK;
    boxes.push(
      `drawbox=x=${x}:y=${y}:w=${BLOCK}:h=${BLOCK}:color=white:t=fill:enable='eq(mod(floor(n/${2 ** b})\\,2)\\,1)'`,
    );
  }
  boxes.push(
    "drawtext=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf:text='%{localtime} n=%{n}':fontsize=14:fontcolor=white:box=1:boxcolor=black@0.6:x=8:y=44",
  );
  return boxes.join(',');
}

function encoderArgs(codec: VideoCodec, fps: number, gop: number): string[] {
  return codec === 'h264'
    ? [
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-tune',
        'zerolatency',
        '-bf',
        '0',
        '-g',
        String(gop),
        '-keyint_min',
        String(gop),
        '-sc_threshold',
        '0',
        '-pix_fmt',
        'yuv420p',
        '-r',
        String(fps),
      ]
    : [
        '-c:v',
        'libx265',
        '-preset',
        'ultrafast',
        '-pix_fmt',
        'yuv420p',
        '-r',
        String(fps),
        '-x265-params',
        `keyint=${gop}:min-keyint=${gop}:scenecut=0:bframes=0:log-level=error`,
      ];
}

function run(cmd: string, args: string[], input?: Uint8Array): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(Buffer.concat(out))
        : reject(new Error(`${cmd} exited ${code}: ${err.slice(0, 500)}`)),
    );
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? new Uint8Array());
  });
}

/** Encodes `seconds` of the clock clip to a raw Annex B file (.h264/.h265) in `dir`. */
export async function makeClockClip(
  dir: string,
  opts: { seconds: number; fps?: number; gop?: number; codec?: VideoCodec; name?: string },
): Promise<string> {
  const codec = opts.codec ?? 'h264';
  const fps = opts.fps ?? 25;
  const file = path.join(dir, `${opts.name ?? 'clock'}.${codec}`);
  await run(FFMPEG, [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc=size=${CLOCK_WIDTH}x${CLOCK_HEIGHT}:rate=${fps}`,
    '-t',
    String(opts.seconds),
    '-vf',
    clockFilter(),
    ...encoderArgs(codec, fps, opts.gop ?? fps),
    '-f',
    codec === 'h264' ? 'h264' : 'hevc',
    file,
  ]);
  return file;
}

/** ffmpeg arguments that publish a live clock clip (paced in real time) to an RTSP URL. */
export function liveClockArgs(url: string, opts: { fps?: number; gop?: number } = {}): string[] {
  const fps = opts.fps ?? 25;
  return [
    '-v',
    'error',
    '-re',
    '-f',
    'lavfi',
    '-i',
    `testsrc=size=${CLOCK_WIDTH}x${CLOCK_HEIGHT}:rate=${fps}`,
    '-vf',
    clockFilter(),
    ...encoderArgs('h264', fps, opts.gop ?? fps),
    '-f',
    'rtsp',
    '-rtsp_transport',
    'tcp',
    url,
  ];
}

/** Reads the frame number drawn into a gray CLOCK_WIDTH×CLOCK_HEIGHT picture. */
export function frameNumberOf(gray: Uint8Array, offset = 0): number {
  let n = 0;
  for (let b = 0; b < CLOCK_BITS; b++) {
    const x = (b % PER_ROW) * BLOCK + BLOCK / 2;
    const y = Math.floor(b / PER_ROW) * BLOCK + BLOCK / 2;
    if (gray[offset + y * CLOCK_WIDTH + x]! > 128) n += 2 ** b;
  }
  return n;
}

/** Decodes an image or a video (bytes or a file path) and returns every frame's drawn number. */
export async function readFrameNumbers(
  input: Uint8Array | string,
  format?: string,
): Promise<number[]> {
  const args = [
    '-v',
    'error',
    ...(format ? ['-f', format] : []),
    '-i',
    typeof input === 'string' ? input : 'pipe:0',
    '-vf',
    `scale=${CLOCK_WIDTH}:${CLOCK_HEIGHT}`,
    '-f',
    'rawvideo',
    '-pix_fmt',
    'gray',
    'pipe:1',
  ];
  const raw = await run(FFMPEG, args, typeof input === 'string' ? undefined : input);
  const frame = CLOCK_WIDTH * CLOCK_HEIGHT;
  const out: number[] = [];
  for (let at = 0; at + frame <= raw.length; at += frame) out.push(frameNumberOf(raw, at));
  return out;
}

/** ffprobe's format duration (seconds) and stream facts of a file. */
export function probe(file: string): Promise<{
  durationSec: number;
  streams: { codec_name: string; nb_frames?: string; duration?: string }[];
  tags: Record<string, string>;
}> {
  return new Promise((resolve, reject) => {
    execFile(
      FFPROBE,
      ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file],
      (err, stdout) => {
        if (err) return reject(err);
        const j = JSON.parse(stdout) as {
          format: { duration: string; tags?: Record<string, string> };
          streams: { codec_name: string; nb_frames?: string; duration?: string }[];
        };
        resolve({
          durationSec: Number(j.format.duration),
          streams: j.streams,
          tags: j.format.tags ?? {},
        });
      },
    );
  });
}

/** `ffmpeg -v error -i file -f null -` output: empty when the file decodes cleanly. */
export function decodeErrors(file: string): Promise<string> {
  return new Promise((resolve) => {
    execFile(FFMPEG, ['-v', 'error', '-i', file, '-f', 'null', '-'], (_err, _stdout, stderr) =>
      resolve(String(stderr)),
    );
  });
}
