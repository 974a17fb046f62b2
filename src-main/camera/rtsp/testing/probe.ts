// Test harness: what ffprobe says about a clip (codec, size, fps, GOP), so tests compare the RTSP
// client's findings with a real tool instead of hard-coded numbers. Tests only.
import { execFileSync } from 'node:child_process';

export interface ClipFacts {
  codec: 'h264' | 'h265';
  width: number;
  height: number;
  fps: number;
  /** Frames from one keyframe to the next. */
  gopFrames: number;
}

export function probeClip(file: string): ClipFacts {
  const run = (args: string[]): string =>
    execFileSync('/usr/bin/ffprobe', ['-v', 'error', ...args, file], { encoding: 'utf8' });
  const [codec, width, height, rate] = run([
    '-select_streams',
    'v:0',
    '-show_entries',
    'stream=codec_name,width,height,r_frame_rate',
    '-of',
    'csv=p=0',
  ])
    .trim()
    .split(',');
  const [num, den] = (rate ?? '0/1').split('/').map(Number);
  const keys = run(['-select_streams', 'v:0', '-show_entries', 'frame=key_frame', '-of', 'csv=p=0'])
    .split('\n')
    .map((l) => l.trim().split(',')[0])
    .filter((l) => l !== '' && l !== undefined);
  const keyIndexes = keys.flatMap((k, i) => (k === '1' ? [i] : []));
  return {
    codec: codec === 'hevc' ? 'h265' : 'h264',
    width: Number(width),
    height: Number(height),
    fps: num! / (den || 1),
    gopFrames: keyIndexes.length >= 2 ? keyIndexes[1]! - keyIndexes[0]! : keys.length,
  };
}
