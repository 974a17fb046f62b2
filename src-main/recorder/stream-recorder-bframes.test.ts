// B-frames: a clip encoded with B-frames, fed as RTP would give it (decode order, presentation
// times only), is recorded with derived decode times and composition offsets: every segment decodes
// clean, decode times only increase, and the pictures come out in the source's presentation order.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../base';
import type { AccessUnit, VideoCodec } from '../media';
import { splitAnnexB } from '../media/nal';
import { trackConfigFromParameterSets } from '../media/fmp4';
import type { StreamTrack } from '../camera';
import { StreamRecorder } from './stream-recorder';
import type { RecorderEvent } from './protocol';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nvr-rec-b-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const run = (cmd: string, args: string[]) =>
  execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** 4 s at 25 fps, GOP 25, 3 B-frames with pyramid; units in decode order with the file's PTS. */
function clip(codec: VideoCodec): { units: AccessUnit[]; track: StreamTrack; mp4: string } {
  const mp4 = path.join(dir, `${codec}.mp4`);
  const enc =
    codec === 'h264'
      ? ['-c:v', 'libx264', '-bf', '3', '-x264-params', 'aud=1:b-pyramid=normal:scenecut=0']
      : [
          '-c:v',
          'libx265',
          '-x265-params',
          'aud=1:bframes=3:b-pyramid=1:open-gop=0:scenecut=0:log-level=0',
        ];
  run('ffmpeg', [
    ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25', '-t', '4'],
    ...[...enc, '-g', '25', '-keyint_min', '25', '-pix_fmt', 'yuv420p', mp4],
  ]);
  const pts = run('ffprobe', [
    ...['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts', '-of', 'csv=p=0'],
    mp4,
  ])
    .trim()
    .split('\n')
    .map(Number);
  const es = path.join(dir, `${codec}.es`);
  run('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-i',
    mp4,
    '-c',
    'copy',
    '-f',
    codec === 'h264' ? 'h264' : 'hevc',
    es,
  ]);
  const type = (n: Uint8Array) => (codec === 'h264' ? n[0]! & 0x1f : (n[0]! >> 1) & 0x3f);
  const isKey = (n: Uint8Array) =>
    codec === 'h264' ? type(n) === 5 : type(n) >= 16 && type(n) <= 21;
  const ps: Record<string, Uint8Array> = {};
  const isVcl = (n: Uint8Array) => (codec === 'h264' ? type(n) >= 1 && type(n) <= 5 : type(n) < 32);
  // First slice of a picture: first_mb_in_slice = 0 / first_slice_segment_in_pic_flag.
  const firstSlice = (n: Uint8Array) => (n[codec === 'h264' ? 1 : 2]! & 0x80) !== 0;
  const groups: Uint8Array[][] = [];
  const pending: Uint8Array[] = []; // non-VCL units since the last slice go with the next picture
  for (const nal of splitAnnexB(fs.readFileSync(es))) {
    const t = type(nal);
    if (codec === 'h264' && t === 7) ps.sps ??= nal;
    if (codec === 'h264' && t === 8) ps.pps ??= nal;
    if (codec === 'h265' && t === 32) ps.vps ??= nal;
    if (codec === 'h265' && t === 33) ps.sps ??= nal;
    if (codec === 'h265' && t === 34) ps.pps ??= nal;
    if (!isVcl(nal)) pending.push(nal);
    else if (firstSlice(nal) || groups.length === 0) groups.push([...pending.splice(0), nal]);
    else groups.at(-1)!.push(...pending.splice(0), nal);
  }
  expect(groups.length).toBe(pts.length);
  // mp4 time base is 1/12800 for 25 fps here; scale to 90 kHz and start far from 0 like RTP.
  const tb = Number(
    run('ffprobe', [
      '-v',
      'error',
      '-select_streams',
      'v:0',
      '-show_entries',
      'stream=time_base',
      '-of',
      'csv=p=0',
      mp4,
    ])
      .trim()
      .split('/')[1],
  );
  const units = groups.map((nalus, i) => ({
    pts90k: 5_000_000 + Math.round((pts[i]! * 90_000) / tb),
    isKeyframe: nalus.some(isKey),
    nalus,
  }));
  const parameterSets = { sps: ps.sps!, pps: ps.pps!, ...(ps.vps ? { vps: ps.vps } : {}) };
  const config = trackConfigFromParameterSets({ codec, ...parameterSets });
  const track: StreamTrack = {
    codec,
    width: 320,
    height: 240,
    codecString: config.codecString,
    parameterSets,
  };
  return { units, track, mp4 };
}

describe.each(['h264', 'h265'] as const)('StreamRecorder with B-frames (%s)', (codec) => {
  it('writes decode times and composition offsets: clean decode, source picture order', () => {
    const { units, track, mp4 } = clip(codec);
    expect(units.some((u, i) => i > 0 && u.pts90k < units[i - 1]!.pts90k)).toBe(true);
    const dataDir = fs.mkdtempSync(path.join(dir, 'data-'));
    const clock = new FakeClock(1_790_000_000_000);
    const events: RecorderEvent[] = [];
    const rec = new StreamRecorder({
      dataDir,
      cameraId: 'cam1',
      stream: 'main',
      clock,
      emit: (e) => events.push(e),
      segmentDurationMs: 2000,
    });
    for (const u of units) {
      rec.push(u, track);
      clock.advance(40);
    }
    rec.close();
    const files = events.flatMap((e) =>
      e.type === 'segment.open' ? [path.join(dataDir, e.path)] : [],
    );
    expect(files.length).toBe(2);
    const hashes = (file: string) =>
      run('ffmpeg', [
        '-v',
        'error',
        '-i',
        file,
        '-map',
        '0:v:0',
        '-fps_mode',
        'passthrough',
        '-f',
        'framemd5',
        '-',
      ])
        .split('\n')
        .filter((l) => l && !l.startsWith('#'))
        .map((l) => l.split(',').at(-1)!.trim());
    const recorded: string[] = [];
    for (const file of files) {
      expect(run('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-'])).toBe('');
      const dts = run('ffprobe', [
        '-v',
        'error',
        '-show_entries',
        'packet=dts',
        '-of',
        'csv=p=0',
        file,
      ])
        .trim()
        .split('\n')
        .map(Number);
      expect(dts.every((d, i) => i === 0 || d > dts[i - 1]!)).toBe(true);
      recorded.push(...hashes(file));
    }
    expect(recorded).toEqual(hashes(mp4));
  });
});
