// export: MB/s to export one hour of a 4 Mbit/s stream to a moov-first MP4 (PlaybackService: plan from
// the index and the moofs, then copy the samples), against `ffmpeg -f concat -c copy` of the same
// segment files in the same run. Both write to the same temp folder; median of --runs (3).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import { createLogger, systemClock } from '../../src-main/base';
import { PlaybackService } from '../../src-main/playback';
import { FFMPEG, probe, recordClip } from '../../src-main/playback/testing';
import { RecordingIndex } from '../../src-main/storage';
import { median } from '../lib/stats';
import type { BenchRow, Scenario } from '../lib/types';

const T0 = Date.UTC(2026, 0, 5, 8, 0, 0);

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${code}: ${err.slice(0, 400)}`)),
    );
  });
}

/** 60 s of hard-to-compress 1280×720 at 4 Mbit/s CBR-ish, keyframe every 2 s, raw Annex B. */
async function makeClip(dir: string, bitrateKbps: number): Promise<string> {
  const file = path.join(dir, 'source.h264');
  await run(FFMPEG, [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=1280x720:rate=25',
    '-t',
    '60',
    '-vf',
    'noise=alls=12:allf=t',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-bf',
    '0',
    '-g',
    '50',
    '-keyint_min',
    '50',
    '-sc_threshold',
    '0',
    '-b:v',
    `${bitrateKbps}k`,
    '-maxrate',
    `${bitrateKbps}k`,
    '-bufsize',
    `${bitrateKbps * 2}k`,
    '-pix_fmt',
    'yuv420p',
    '-f',
    'h264',
    file,
  ]);
  return file;
}

export const exportScenario: Scenario = {
  name: 'export',
  description:
    'MB/s exporting 1 h of one 4 Mbit/s stream to a moov-first MP4 (plan + copy, no ffmpeg), against ffmpeg -f concat -c copy of the same segments in the same run.',
  async run(ctx) {
    const minutes = Number(ctx.option('minutes', '60'));
    const bitrateKbps = Number(ctx.option('kbps', '4000'));
    const runs = Number(ctx.option('runs', '3'));
    const dir = ctx.tempDir();
    ctx.log(`encoding the source clip (${bitrateKbps} kbit/s) …`);
    const clip = await makeClip(dir, bitrateKbps);
    ctx.log(`recording ${minutes} min through StreamRecorder (fake clock) …`);
    const index = RecordingIndex.open({ dataDir: dir });
    const logger = createLogger({ level: 'error' });
    await recordClip({
      index,
      cameraId: 'cam',
      clip,
      startMs: T0,
      runs: [{ frames: minutes * 60 * 25 }],
    });
    const toMs = T0 + minutes * 60_000;
    const segments = index.querySegments({ cameraId: 'cam', stream: 'main', fromMs: T0, toMs });
    const sourceBytes = segments.reduce((n, s) => n + s.sizeBytes, 0);
    const list = path.join(dir, 'concat.txt');
    fs.writeFileSync(list, segments.map((s) => `file '${path.join(dir, s.path)}'`).join('\n'));
    const service = new PlaybackService({
      index,
      dataDir: dir,
      ffmpegPath: undefined,
      clock: systemClock,
      logger,
      exportCapMs: 24 * 3_600_000,
    });

    const ours: number[] = [];
    const theirs: number[] = [];
    let outBytes = 0;
    let refBytes = 0;
    const planMs: number[] = [];
    try {
      for (let i = 0; i < runs; i++) {
        const out = path.join(dir, 'ours.mp4');
        ctx.log(`run ${i + 1}/${runs}: PlaybackService export`);
        let t = performance.now();
        const prepared = await service.prepareExport({
          cameraIds: ['cam'],
          stream: 'main',
          fromMs: T0,
          toMs,
        });
        planMs.push(performance.now() - t);
        await pipeline(prepared.open(), fs.createWriteStream(out));
        ours.push((performance.now() - t) / 1000);
        outBytes = fs.statSync(out).size;
        if (i === 0) {
          const p = await probe(out);
          ctx.log(
            `export: ${(outBytes / 1e6).toFixed(0)} MB, ffprobe duration ${p.durationSec.toFixed(3)} s`,
          );
        }
        fs.rmSync(out);

        const ref = path.join(dir, 'ffmpeg.mp4');
        ctx.log(`run ${i + 1}/${runs}: ffmpeg -f concat -c copy`);
        t = performance.now();
        await run(FFMPEG, [
          '-v',
          'error',
          '-y',
          '-f',
          'concat',
          '-safe',
          '0',
          '-i',
          list,
          '-c',
          'copy',
          ref,
        ]);
        theirs.push((performance.now() - t) / 1000);
        refBytes = fs.statSync(ref).size;
        fs.rmSync(ref);
      }
    } finally {
      await service.dispose();
      index.close();
    }
    const oursSec = median(ours);
    const theirsSec = median(theirs);
    const rows: BenchRow[] = [
      {
        case: `${minutes} min @ ${bitrateKbps} kbit/s`,
        metric: 'export throughput',
        value: outBytes / 1e6 / oursSec,
        unit: 'MB/s',
        reference: refBytes / 1e6 / theirsSec,
        referenceName: 'ffmpeg -f concat -c copy',
      },
      {
        case: `${minutes} min @ ${bitrateKbps} kbit/s`,
        metric: 'export time',
        value: oursSec,
        unit: 's',
        reference: theirsSec,
        referenceName: 'ffmpeg -f concat -c copy',
      },
      {
        case: `${minutes} min @ ${bitrateKbps} kbit/s`,
        metric: 'plan (index + moofs) before the first byte',
        value: median(planMs),
        unit: 'ms',
      },
      {
        case: `${minutes} min @ ${bitrateKbps} kbit/s`,
        metric: 'output size',
        value: outBytes / 1e6,
        unit: 'MB',
        reference: refBytes / 1e6,
        referenceName: 'ffmpeg -f concat -c copy',
      },
    ];
    return {
      rows,
      summary: {
        minutes,
        bitrateKbps,
        runs,
        sourceBytes,
        outBytes,
        refBytes,
        oursSec,
        theirsSec,
        speedup: theirsSec / oursSec,
      },
    };
  },
};
