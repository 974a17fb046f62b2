// Conformance harness: the real tools as oracles (ffmpeg decodes, ffmpeg framemd5 hashes, ffprobe
// container flags), run asynchronously with a small concurrency cap so a matrix of files is checked
// in parallel without starving a 2-core machine. Tests only.
import { execFile } from 'node:child_process';

export interface ToolResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

const MAX_PARALLEL = 4;
let running = 0;
const waiting: (() => void)[] = [];

/** Runs a tool to completion (never rejects on a non-zero exit: the caller judges the result). */
export async function runTool(
  file: string,
  args: string[],
  timeoutMs = 60_000,
): Promise<ToolResult> {
  if (running >= MAX_PARALLEL) await new Promise<void>((r) => waiting.push(r));
  running++;
  try {
    return await new Promise<ToolResult>((resolve) => {
      execFile(
        file,
        args,
        { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: timeoutMs },
        (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
          resolve({ stdout, stderr, code });
        },
      );
    });
  } finally {
    running--;
    waiting.shift()?.();
  }
}

export interface Decoded {
  /** What `ffmpeg -v error -i file -f null -` prints: '' for a file a user can play. */
  errors: string;
  /** MD5 of every decoded picture, in presentation order (framemd5, no frame rate conversion). */
  hashes: string[];
}

/**
 * Decodes a file once into two outputs: the null muxer of the user's check
 * (`ffmpeg -v error -i file -f null -`, whose messages are stderr) and framemd5 on stdout.
 */
export async function decodeFile(file: string): Promise<Decoded> {
  const r = await runTool('ffmpeg', [
    ...['-nostdin', '-v', 'error', '-i', file, '-map', '0:v:0', '-f', 'null', '-'],
    ...['-map', '0:v:0', '-fps_mode', 'passthrough', '-f', 'framemd5', 'pipe:1'],
  ]);
  return {
    errors: (r.stderr + (r.code === 0 ? '' : `\n(exit ${r.code})`)).trim(),
    hashes: parseFrameMd5(r.stdout),
  };
}

function parseFrameMd5(out: string): string[] {
  return out
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => l.slice(l.lastIndexOf(',') + 1).trim());
}

/** Picture hashes of a file (see decodeFile). */
export async function frameHashes(file: string): Promise<string[]> {
  return (await decodeFile(file)).hashes;
}

export interface PacketInfo {
  pts: number;
  isKeyframe: boolean;
}

/** The container's packets in decode (file) order, with their keyframe flag (ffprobe). */
export async function packets(file: string): Promise<PacketInfo[]> {
  const r = await runTool('ffprobe', [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-show_entries',
    'packet=pts,flags',
    '-of',
    'csv=p=0',
    file,
  ]);
  return r.stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const [pts, flags] = l.trim().split(',');
      return { pts: Number(pts), isKeyframe: (flags ?? '').includes('K') };
    });
}
