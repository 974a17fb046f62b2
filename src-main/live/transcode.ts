// Opt-in H.265 → H.264 transcode for clients that cannot decode H.265: one ffmpeg process per camera
// stream, fed from the camera's hub (Annex B on stdin), read back as H.264 access units (AUD
// delimited) into a hub of its own that WHEP viewers and live HLS use like any other. An H.264
// stream is passed through untouched. Owns the ffmpeg processes; never decodes anything itself.
import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { Logger } from '../base';
import { StreamHub } from '../camera';
import type { StreamTrack } from '../camera';
import type { AccessUnit } from '../media';
import { parseH264Sps } from '../media/h264';
import { AnnexBSplitter, annexB } from '../media/nal';
import type { StreamName } from '../../src-preload/contract';
import type { OpenHub, TranscodeSettings } from './types';
import { withParameterSets } from './viewer-feed';

interface Transcode {
  hub: StreamHub;
  users: number;
  ready: Promise<void>;
  stop: () => void;
}

type Ffmpeg = ChildProcessByStdio<Writable, Readable, Readable>;

/** Stdin bytes ffmpeg may lag behind before the source is skipped to its next keyframe. */
const MAX_STDIN_BACKLOG_BYTES = 4 * 1024 * 1024;

export class TranscodeHubs {
  private readonly running = new Map<string, Transcode>();

  constructor(
    private readonly openSource: OpenHub,
    private readonly settings: TranscodeSettings,
    private readonly logger: Logger,
  ) {}

  /** An H.264 version of the stream (the source itself when it already is H.264). */
  async open(cameraId: string, stream: StreamName): Promise<{ hub: StreamHub; release(): void }> {
    const key = `${cameraId}:${stream}`;
    let t = this.running.get(key);
    if (!t) {
      t = this.start(cameraId, stream, key);
      this.running.set(key, t);
    }
    t.users++;
    const owned = t;
    try {
      await owned.ready;
    } catch (err) {
      owned.users--;
      throw err;
    }
    let released = false;
    return {
      hub: owned.hub,
      release: () => {
        if (released) return;
        released = true;
        if (--owned.users === 0) owned.stop();
      },
    };
  }

  async close(): Promise<void> {
    for (const t of [...this.running.values()]) t.stop();
  }

  private start(cameraId: string, stream: StreamName, key: string): Transcode {
    const out = new StreamHub();
    const cleanup: Array<() => void> = [];
    const t: Transcode = {
      hub: out,
      users: 0,
      ready: Promise.resolve(),
      stop: () => {
        if (this.running.get(key) === t) this.running.delete(key);
        for (const c of cleanup.splice(0).reverse()) c();
      },
    };
    t.ready = (async () => {
      const source = await this.openSource(cameraId, stream);
      cleanup.push(() => source.release());
      let ff: { write: (au: AccessUnit, track: StreamTrack) => boolean } | undefined;
      cleanup.push(
        source.hub.subscribe({
          name: 'transcode',
          push: (au, track) => {
            if (track.codec === 'h264') {
              // Already H.264: mirrored as it is.
              if (out.track !== track) out.setTrack(track);
              out.publish(au);
              return true;
            }
            ff ??= this.spawnFfmpeg(cameraId, stream, out, cleanup);
            return ff.write(au, track);
          },
          onRunBreak: () => out.breakRun(),
        }),
      );
    })();
    return t;
  }

  private spawnFfmpeg(
    cameraId: string,
    stream: StreamName,
    out: StreamHub,
    cleanup: Array<() => void>,
  ): { write: (au: AccessUnit, track: StreamTrack) => boolean } {
    const kbps = this.settings.bitrateKbps ?? 2000;
    const args = [
      '-hide_banner',
      '-loglevel',
      'error',
      '-probesize',
      '32',
      '-analyzeduration',
      '0',
      '-fflags',
      'nobuffer',
      '-f',
      'hevc',
      '-i',
      'pipe:0',
      '-an',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-tune',
      'zerolatency',
      '-bf',
      '0',
      '-g',
      '30',
      '-b:v',
      `${kbps}k`,
      '-maxrate',
      `${kbps}k`,
      '-bufsize',
      `${kbps}k`,
      '-bsf:v',
      'h264_metadata=aud=insert',
      '-f',
      'h264',
      'pipe:1',
    ];
    const log = this.logger.child({ camera: cameraId, stream });
    const proc: Ffmpeg = spawn(this.settings.ffmpegPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stopped = false;
    cleanup.push(() => {
      stopped = true;
      proc.stdin.destroy();
      proc.kill('SIGKILL');
    });
    proc.on('error', (err) => log.error({ err: String(err) }, 'transcode: ffmpeg failed to start'));
    proc.on('exit', (code, signal) => {
      if (!stopped) log.warn({ code, signal }, 'transcode: ffmpeg exited');
    });
    proc.stdin.on('error', () => undefined);
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-2000);
      log.debug({ stderr }, 'transcode: ffmpeg says');
    });

    const ptsQueue: number[] = [];
    let lastPts = 0;
    const splitter = new AnnexBSplitter();
    let current: Uint8Array[] = [];
    let track: StreamTrack | undefined;
    let sps: Uint8Array | undefined;
    let pps: Uint8Array | undefined;
    const finishAu = (): void => {
      const nalus = current;
      current = [];
      if (!nalus.some((n) => (n[0]! & 0x1f) >= 1 && (n[0]! & 0x1f) <= 5)) return;
      for (const n of nalus) {
        const type = n[0]! & 0x1f;
        if (type === 7) sps = n;
        if (type === 8) pps = n;
      }
      if (
        sps &&
        pps &&
        (!track || track.parameterSets.sps !== sps || track.parameterSets.pps !== pps)
      ) {
        const info = parseH264Sps(sps);
        track = {
          codec: 'h264',
          width: info.width,
          height: info.height,
          codecString: info.codecString,
          parameterSets: { sps, pps },
        };
        out.setTrack(track);
      }
      const pts90k = ptsQueue.shift() ?? lastPts + 3000;
      lastPts = pts90k;
      out.publish({ pts90k, isKeyframe: nalus.some((n) => (n[0]! & 0x1f) === 5), nalus });
    };
    proc.stdout.on('data', (chunk: Buffer) => {
      for (const nal of splitter.push(chunk)) {
        if ((nal[0]! & 0x1f) === 9) finishAu();
        else current.push(nal);
      }
    });
    return {
      write: (au, srcTrack) => {
        if (stopped) return true;
        if (proc.stdin.writableLength > MAX_STDIN_BACKLOG_BYTES) return false;
        ptsQueue.push(au.pts90k);
        if (ptsQueue.length > 300) ptsQueue.shift();
        proc.stdin.write(annexB(withParameterSets(au, srcTrack)));
        return true;
      },
    };
  }
}
