// The opt-in H.265 → H.264 transcode with the real ffmpeg, behind both WHEP and live HLS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../base';
import { parseInitSegment } from '../media/fmp4';
import { LiveService } from './live-service';
import { startCameraHub } from './testing';
import type { CameraHub } from './testing';
import { createWhepClient, h264PayloadNalTypes } from './testing';

describe('H.264 transcode of an H.265 camera', () => {
  let cam: CameraHub;
  let live: LiveService;
  beforeAll(async () => {
    cam = await startCameraHub('street-main.h265');
    await cam.ready;
    live = new LiveService({
      openHub: cam.openHub,
      iceBindAddress: '127.0.0.1',
      maxViewersPerStream: 2,
      maxViewersTotal: 2,
      sessionTimeoutMs: 10_000,
      logger: createLogger({ level: 'silent' }),
      transcode: { ffmpegPath: '/usr/bin/ffmpeg', bitrateKbps: 800 },
    });
  });
  afterAll(async () => {
    await live.close();
    await cam.close();
  });

  it('serves an H.264-only WebRTC client and H.264 live HLS from one ffmpeg', async () => {
    const client = await createWhepClient();
    try {
      const answer = await live.startWhep({
        cameraId: 'cam',
        stream: 'main',
        offerSdp: client.offerSdp,
        transcode: 'h264',
      });
      expect(answer.answerSdp).toMatch(/H264\/90000/);
      await client.applyAnswer(answer.answerSdp);
      await client.waitFor(
        (p) => p.some((x) => h264PayloadNalTypes(x.payload).includes(5)),
        10_000,
      );
      const types = client.packets.flatMap((p) => h264PayloadNalTypes(p.payload));
      expect(types.indexOf(7)).toBeLessThan(types.indexOf(5));
      for (const p of client.packets) expect(p.sizeBytes).toBeLessThanOrEqual(1200);

      const playlist = await live.liveHls('cam', 'main', 'live.m3u8', { transcode: 'h264' });
      expect(playlist.body).toMatch(/#EXTINF/);
      const init = await live.liveHls('cam', 'main', 'init-1.mp4', { transcode: 'h264' });
      const info = parseInitSegment(init.body as Uint8Array);
      expect(info.codec).toBe('h264');
      expect(cam.hub.consumerCount).toBe(1); // one transcode feeds both
      await live.stopWhep(answer.sessionId);
    } finally {
      await client.close();
    }
  });
});
