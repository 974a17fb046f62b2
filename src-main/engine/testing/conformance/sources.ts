// Conformance harness: the source clips every server streams, encoded once per run with ffmpeg
// (testsrc2, every picture distinct, fixed GOP, no scene cuts, closed GOPs) and decoded once to a
// table picture-hash → frame number, so any recorded picture can be placed in the source by content.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { frameHashes, runTool } from './tools';

export const SOURCE_FPS = 25;
export const SOURCE_GOP = 25;
export const SOURCE_SECONDS = 48;
export const SOURCE_FRAMES = SOURCE_FPS * SOURCE_SECONDS;

export interface SourceSpec {
  name: string;
  codec: 'h264' | 'h265';
  /** H.264 profile; H.265 is always Main. */
  profile?: 'baseline' | 'main' | 'high';
  bFrames: number;
}

export interface SourceClip extends SourceSpec {
  file: string;
  /** Decoded picture hash → frame number in the clip (0-based). */
  frameOf: Map<string, number>;
  frames: number;
}

function encodeArgs(s: SourceSpec, file: string): string[] {
  const input = [
    '-nostdin',
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=320x240:rate=${SOURCE_FPS}`,
    '-t',
    String(SOURCE_SECONDS),
    '-pix_fmt',
    'yuv420p',
    '-an',
  ];
  if (s.codec === 'h264')
    return [
      ...input,
      ...['-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', s.profile ?? 'high'],
      ...['-bf', String(s.bFrames), '-g', String(SOURCE_GOP), '-keyint_min', String(SOURCE_GOP)],
      ...['-sc_threshold', '0', '-crf', '28', file],
    ];
  const params = [
    `keyint=${SOURCE_GOP}`,
    `min-keyint=${SOURCE_GOP}`,
    'scenecut=0',
    'open-gop=0',
    `bframes=${s.bFrames}`,
    'log-level=error',
  ].join(':');
  return [
    ...input,
    ...['-c:v', 'libx265', '-preset', 'ultrafast', '-x265-params', params],
    ...['-crf', '30', '-tag:v', 'hvc1', file],
  ];
}

/**
 * Encoded clips are kept between runs in the OS temp folder under a name that hashes the ffmpeg
 * command (a changed recipe encodes anew); each run copies the clip into its own folder and
 * re-checks it by decoding, so a damaged cache entry fails loudly instead of passing quietly.
 */
const CACHE_DIR = path.join(os.tmpdir(), 'nvr-conformance-sources');

async function encodeCached(spec: SourceSpec, file: string): Promise<void> {
  const recipe = createHash('sha256')
    .update(JSON.stringify(encodeArgs(spec, 'OUT')))
    .digest('hex')
    .slice(0, 16);
  const cached = path.join(CACHE_DIR, `${spec.name}-${recipe}.mp4`);
  if (!fs.existsSync(cached)) {
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    const partial = `${cached}.${process.pid}.partial.mp4`;
    const enc = await runTool('ffmpeg', encodeArgs(spec, partial), 120_000);
    if (enc.code !== 0) throw new Error(`encoding ${spec.name} failed: ${enc.stderr}`);
    fs.renameSync(partial, cached);
  }
  fs.copyFileSync(cached, file);
}

/** Encodes one clip (or takes it from the cache) and hashes its pictures; throws if any two hash alike. */
export async function prepareSource(dir: string, spec: SourceSpec): Promise<SourceClip> {
  const file = path.join(dir, `${spec.name}.mp4`);
  await encodeCached(spec, file);
  const hashes = await frameHashes(file);
  if (hashes.length !== SOURCE_FRAMES)
    throw new Error(`${spec.name}: ${hashes.length} frames decoded, ${SOURCE_FRAMES} expected`);
  const frameOf = new Map(hashes.map((h, i) => [h, i]));
  if (frameOf.size !== hashes.length)
    throw new Error(`${spec.name}: pictures are not all distinct, content alignment impossible`);
  return { ...spec, file, frameOf, frames: hashes.length };
}
