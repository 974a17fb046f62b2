import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../base';
import { StreamHub, loadClip } from '../camera';
import type { Clip, StreamTrack } from '../camera';
import { LiveHlsStream } from './live-hls';
import { LiveService } from './live-service';
import { DEMO_DIR, startCameraHub } from './testing';
import type { CameraHub } from './testing';

const run = promisify(execFile);

function trackOf(clip: Clip): StreamTrack {
  return {
    codec: clip.codec,
    width: clip.width,
    height: clip.height,
    fps: clip.fps,
    codecString: clip.codec === 'h264' ? 'avc1.42c01e' : 'hvc1.1.6.L93.B0',
    parameterSets: clip.parameterSets,
  };
}

async function probe(
  dir: string,
  name: string,
  bytes: Uint8Array[],
): Promise<{
  codec_name: string;
  width: number;
  height: number;
  nb_read_frames: string;
}> {
  const file = path.join(dir, name);
  await writeFile(file, Buffer.concat(bytes));
  const { stdout } = await run('/usr/bin/ffprobe', [
    '-v',
    'error',
    '-count_frames',
    '-show_entries',
    'stream=codec_name,width,height,nb_read_frames',
    '-of',
    'json',
    file,
  ]);
  return JSON.parse(stdout).streams[0];
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'live-hls-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('LiveHlsStream', () => {
  it('cuts ~1 s fMP4 segments that ffprobe decodes, in a sliding window', async () => {
    const clip = await loadClip(path.join(DEMO_DIR, 'door-sub.h264'));
    const hub = new StreamHub();
    hub.setTrack(trackOf(clip));
    const hls = new LiveHlsStream('t', { windowSegments: 4, nowMs: () => 1_790_000_000_000 });
    hub.subscribe(hls);
    for (const au of clip.accessUnits) hub.publish(au); // 10 s at 15 fps, 1 s GOP
    const playlist = hls.playlist((f) => `live/${f}?stream=sub`);
    expect(playlist).toMatch(/^#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:1\n/);
    expect(playlist).toContain('#EXT-X-MAP:URI="live/init-1.mp4?stream=sub"');
    const segs = [...playlist.matchAll(/live\/seg-(\d+)\.m4s/g)].map((m) => Number(m[1]));
    expect(segs).toHaveLength(4);
    expect(playlist).toContain(`#EXT-X-MEDIA-SEQUENCE:${segs[0]}`);
    for (const d of playlist.matchAll(/#EXTINF:([\d.]+),/g)) expect(Number(d[1])).toBeCloseTo(1, 1);
    const info = await probe(dir, 'a.mp4', [hls.init(1)!, ...segs.map((s) => hls.segment(s)!)]);
    expect(info).toMatchObject({ codec_name: 'h264', width: clip.width, height: clip.height });
    expect(Number(info.nb_read_frames)).toBe(4 * 15);
    expect(hls.segment(0)).toBeUndefined(); // slid out of memory
  });

  it('starts every segment on a keyframe with a 4 s GOP and a 1 s target, and says so in TARGETDURATION', async () => {
    // 13 s at 15 fps with a keyframe every 60 frames (4 s), no scene-cut keyframes.
    const file = path.join(dir, 'gop4.h264');
    await run('/usr/bin/ffmpeg', [
      ...['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=15', '-t', '13'],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-bf', '0', '-g', '60', '-keyint_min', '60'],
      ...['-sc_threshold', '0', '-pix_fmt', 'yuv420p', '-f', 'h264', file],
    ]);
    const clip = await loadClip(file);
    const hub = new StreamHub();
    hub.setTrack(trackOf(clip));
    const hls = new LiveHlsStream('t', { segmentDurationMs: 1000, windowSegments: 6 });
    hub.subscribe(hls);
    for (const au of clip.accessUnits) hub.publish(au);
    const playlist = hls.playlist((f) => f);
    expect(playlist).toContain('#EXT-X-TARGETDURATION:4\n');
    const segs = [...playlist.matchAll(/seg-(\d+)\.m4s/g)].map((m) => Number(m[1]));
    expect(segs).toHaveLength(3); // 0-4 s, 4-8 s, 8-12 s; the last GOP is still open
    for (const d of playlist.matchAll(/#EXTINF:([\d.]+),/g)) expect(Number(d[1])).toBeCloseTo(4, 1);
    for (const seg of segs) {
      const name = path.join(dir, `gop4-${seg}.mp4`);
      await writeFile(name, Buffer.concat([hls.init(1)!, hls.segment(seg)!]));
      const { stdout } = await run('/usr/bin/ffprobe', [
        ...['-v', 'error', '-select_streams', 'v', '-show_entries', 'frame=key_frame,pict_type'],
        ...['-of', 'csv=p=0', name],
      ]);
      const frames = stdout.split('\n').filter((l) => /^[01],[IPB]/.test(l));
      expect(frames).toHaveLength(60);
      expect(frames[0]).toMatch(/^1,I/);
      expect(frames.slice(1).every((f) => f.startsWith('0,'))).toBe(true);
    }
  });

  it('marks a discontinuity and a new init segment when the parameter sets change', async () => {
    const sub = await loadClip(path.join(DEMO_DIR, 'door-sub.h264'));
    const main = await loadClip(path.join(DEMO_DIR, 'yard-main.h264'));
    const hub = new StreamHub();
    const hls = new LiveHlsStream('t', { windowSegments: 6 });
    hub.subscribe(hls);
    hub.setTrack(trackOf(sub));
    for (const au of sub.accessUnits.slice(0, 46)) hub.publish(au);
    hub.breakRun();
    hub.setTrack(trackOf(main));
    for (const au of main.accessUnits.slice(0, 46)) hub.publish(au);
    const playlist = hls.playlist((f) => f);
    expect(playlist).toContain('#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI="init-2.mp4"');
    expect(playlist).toContain('#EXT-X-DISCONTINUITY-SEQUENCE:0');
    const after = playlist.split('#EXT-X-DISCONTINUITY\n')[1]!;
    const first = Number(/seg-(\d+)\.m4s/.exec(after)![1]);
    const info = await probe(dir, 'b.mp4', [hls.init(2)!, hls.segment(first)!]);
    expect(info).toMatchObject({ codec_name: 'h264', width: main.width, height: main.height });
  });
});

describe('LiveService live HLS', () => {
  let cam: CameraHub;
  let live: LiveService;
  beforeAll(async () => {
    cam = await startCameraHub('door-sub.h264');
    await cam.ready;
    live = new LiveService({
      openHub: cam.openHub,
      maxViewersPerStream: 2,
      maxViewersTotal: 2,
      sessionTimeoutMs: 5000,
      logger: createLogger({ level: 'silent' }),
      hls: { idleMs: 1500 },
    });
  });
  afterAll(async () => {
    await live.close();
    await cam.close();
  });

  it('starts on the first request, serves playlist, init and segments, and stops when idle', async () => {
    const consumers = cam.hub.consumerCount;
    const pl = await live.liveHls('cam', 'main', 'live.m3u8');
    expect(pl.contentType).toBe('application/vnd.apple.mpegurl');
    const text = pl.body as string;
    const segs = [...text.matchAll(/live\/seg-(\d+)\.m4s\?stream=main/g)].map((m) => Number(m[1]));
    expect(segs.length).toBeGreaterThanOrEqual(2);
    const init = await live.liveHls('cam', 'main', 'init-1.mp4');
    expect(init.contentType).toBe('video/mp4');
    const parts = [init.body as Uint8Array];
    for (const s of segs)
      parts.push((await live.liveHls('cam', 'main', `seg-${s}.m4s`)).body as Uint8Array);
    const info = await probe(dir, 'c.mp4', parts);
    expect(info.codec_name).toBe('h264');
    expect(Number(info.nb_read_frames)).toBeGreaterThan(10);
    expect(live.viewerStats('cam')).toEqual([
      expect.objectContaining({ kind: 'hls', cameraId: 'cam', stream: 'main' }),
    ]);
    expect(cam.hub.consumerCount).toBe(consumers + 1);
    await expect(live.liveHls('cam', 'main', 'seg-999999.m4s')).rejects.toMatchObject({
      kind: 'not_found',
    });
    await expect(live.liveHls('cam', 'main', '../etc/passwd')).rejects.toMatchObject({
      kind: 'not_found',
    });
    await expect(live.liveHls('other', 'main', 'live.m3u8')).rejects.toMatchObject({
      kind: 'not_found',
    });
    // Idle: nobody asks for 1.5 s → the consumer goes away.
    const t0 = performance.now();
    while (cam.hub.consumerCount > consumers && performance.now() - t0 < 5000)
      await new Promise((r) => setTimeout(r, 100));
    expect(cam.hub.consumerCount).toBe(consumers);
    expect(live.viewerStats('cam')).toEqual([]);
  });
});
