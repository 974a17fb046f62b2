// Test-only helpers: ffmpeg-generated Annex B clips, access-unit splitting and file assembly.
// Imported by *.test.ts only; never by the module's index (it spawns processes and writes files).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isH264Keyframe } from '../h264';
import { isH265Keyframe } from '../h265';
import { splitAnnexB } from '../nal';
import type { AccessUnit, VideoCodec } from '../types';
import { FragmentBuilder, buildInitSegment, trackConfigFromParameterSets } from './index';
import type { FinishedFragment, VideoTrackConfig } from './index';

export const FFMPEG = '/usr/bin/ffmpeg';
export const FFPROBE = '/usr/bin/ffprobe';

export function run(
  cmd: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

export async function makeTempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'nvr-fmp4-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export interface ClipOptions {
  seconds: number;
  fps?: number;
  keyint: number;
}

/** Encodes a testsrc clip (640x360, no B-frames, AUDs on) to a raw Annex B stream. */
export async function makeAnnexBClip(
  dir: string,
  codec: VideoCodec,
  opts: ClipOptions,
): Promise<{ bytes: Uint8Array; path: string }> {
  const fps = opts.fps ?? 15;
  const out = path.join(dir, `clip-${codec}-${opts.keyint}.${codec}`);
  const common = ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=size=640x360:rate=${fps}`];
  const args =
    codec === 'h264'
      ? [
          ...common,
          ...['-t', String(opts.seconds), '-c:v', 'libx264', '-bf', '0', '-g', String(opts.keyint)],
          ...['-keyint_min', String(opts.keyint), '-sc_threshold', '0', '-x264-params', 'aud=1'],
          ...['-pix_fmt', 'yuv420p', '-f', 'h264', out],
        ]
      : [
          ...common,
          ...['-t', String(opts.seconds), '-c:v', 'libx265', '-pix_fmt', 'yuv420p'],
          '-x265-params',
          `aud=1:bframes=0:keyint=${opts.keyint}:min-keyint=${opts.keyint}:scenecut=0:log-level=error`,
          ...['-f', 'hevc', out],
        ];
  const r = await run(FFMPEG, args);
  if (r.code !== 0) throw new Error(`ffmpeg failed: ${r.stderr}`);
  return { bytes: new Uint8Array(await readFile(out)), path: out };
}

function isAud(codec: VideoCodec, nal: Uint8Array): boolean {
  return codec === 'h264' ? (nal[0]! & 0x1f) === 9 : ((nal[0]! >> 1) & 0x3f) === 35;
}

/** Splits an Annex B stream with AUDs into access units, 6000 ticks (15 fps) apart. */
export function toAccessUnits(
  codec: VideoCodec,
  annexB: Uint8Array,
  ticksPerFrame = 6000,
): AccessUnit[] {
  const groups: Uint8Array[][] = [];
  for (const nal of splitAnnexB(annexB)) {
    if (isAud(codec, nal) || groups.length === 0) groups.push([]);
    groups[groups.length - 1]!.push(nal);
  }
  return groups.map((nalus, i) => ({
    pts90k: i * ticksPerFrame,
    isKeyframe: codec === 'h264' ? isH264Keyframe(nalus) : isH265Keyframe(nalus),
    nalus,
  }));
}

/** First VPS/SPS/PPS found in the units. */
export function parameterSets(codec: VideoCodec, units: AccessUnit[]): VideoTrackConfig {
  const find = (t: number): Uint8Array | undefined => {
    for (const au of units) {
      for (const n of au.nalus) {
        const type = codec === 'h264' ? n[0]! & 0x1f : (n[0]! >> 1) & 0x3f;
        if (type === t) return n;
      }
    }
    return undefined;
  };
  if (codec === 'h264')
    return trackConfigFromParameterSets({ codec, sps: find(7)!, pps: find(8)! });
  return trackConfigFromParameterSets({ codec, vps: find(32)!, sps: find(33)!, pps: find(34)! });
}

export interface BuiltFile {
  bytes: Uint8Array;
  init: Uint8Array;
  track: VideoTrackConfig;
  fragments: FinishedFragment[];
}

/** Runs units through FragmentBuilder and concatenates init segment + fragments. */
export function buildFile(
  codec: VideoCodec,
  units: AccessUnit[],
  maxFragmentDurationMs = 1000,
): BuiltFile {
  const track = parameterSets(codec, units);
  const init = buildInitSegment(track, { creationTimeMs: 1_790_000_000_000 });
  const builder = new FragmentBuilder({ codec, maxFragmentDurationMs });
  const fragments: FinishedFragment[] = [];
  for (const au of units) fragments.push(...builder.push(au));
  fragments.push(...builder.flush());
  const size = init.length + fragments.reduce((n, f) => n + f.bytes.length, 0);
  const bytes = new Uint8Array(size);
  bytes.set(init, 0);
  let off = init.length;
  for (const f of fragments) {
    bytes.set(f.bytes, off);
    off += f.bytes.length;
  }
  return { bytes, init, track, fragments };
}
