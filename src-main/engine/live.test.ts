// The live view through the engine's HTTP routes: WHEP (POST → 201 + Location, DELETE), error
// statuses, the viewer figures in the camera status, and live HLS files.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nullLogger } from '../base';
import { createWhepClient, h264PayloadNalTypes } from '../live/testing';
import type { CameraStatus, NvrEventMap } from '../../src-preload/contract';
import { createEngine } from './engine';
import type { Engine } from './engine';

describe('engine live view (demo cameras)', () => {
  let engine: Engine;
  let url: string;
  let dir: string;
  let cameraId: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'nvr-live-'));
    engine = createEngine(
      { host: '127.0.0.1', port: 0, demo: true, logLevel: 'silent', dataDir: dir },
      {
        logger: nullLogger(),
        statsIntervalMs: 0,
        live: { maxViewersPerStream: 2, ffmpegPath: false },
      },
    );
    ({ url } = await engine.start());
    const cameras = await engine.api.listCameras();
    cameraId = cameras.find((c) => c.name === 'Door')!.id;
  });
  afterAll(async () => {
    await engine.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const post = (id: string, sdp: string, stream = 'sub') =>
    fetch(`${url}/api/cameras/${id}/whep?stream=${stream}`, {
      method: 'POST',
      headers: { 'content-type': 'application/sdp' },
      body: sdp,
    });

  it('POST whep answers 201 with SDP and a Location; DELETE ends the session', async () => {
    const client = await createWhepClient();
    try {
      const res = await post(cameraId, client.offerSdp);
      expect(res.status).toBe(201);
      expect(res.headers.get('content-type')).toMatch(/application\/sdp/);
      const location = res.headers.get('location')!;
      expect(location).toMatch(new RegExp(`^/api/cameras/${cameraId}/whep/[A-Za-z0-9_-]+$`));
      const answer = await res.text();
      expect(answer).toMatch(/a=candidate:.* 127\.0\.0\.1 /);
      await client.applyAnswer(answer);
      await client.waitFor((p) => p.some((x) => h264PayloadNalTypes(x.payload).includes(5)), 8000);

      const readStatus = async () =>
        (await (await fetch(`${url}/api/cameras/${cameraId}/status`)).json()) as CameraStatus;
      // Per-viewer figures come from the stream's worker once a second.
      let status = await readStatus();
      for (let i = 0; i < 30 && !status.streams.sub?.liveViewers?.[0]?.bytesSent; i++) {
        await new Promise((r) => setTimeout(r, 100));
        status = await readStatus();
      }
      expect(status.streams.sub?.viewers).toBe(1);
      expect(status.streams.sub).toMatchObject({ webrtcViewers: 1, hlsClients: 0 });
      // The periodic camera.stats event carries the counts too.
      const stats = await new Promise<NvrEventMap['camera.stats']>((resolve) => {
        const off = engine.events.subscribe((e) => {
          if (e.type !== 'camera.stats' || e.payload.id !== cameraId) return;
          off();
          resolve(e.payload);
        });
      });
      expect(stats.streams.sub).toMatchObject({ webrtcViewers: 1, hlsClients: 0 });
      expect(stats.streams.main).toMatchObject({ webrtcViewers: 0, hlsClients: 0 });
      expect(status.streams.sub?.liveViewers?.[0]).toMatchObject({
        kind: 'webrtc',
        state: 'connected',
      });
      expect(status.streams.sub!.liveViewers![0]!.bytesSent).toBeGreaterThan(0);

      const del = await fetch(`${url}${location}`, { method: 'DELETE' });
      expect(del.status).toBe(200);
      const after = (await (
        await fetch(`${url}/api/cameras/${cameraId}/status`)
      ).json()) as CameraStatus;
      expect(after.streams.sub?.viewers ?? 0).toBe(0);
      expect(after.streams.sub?.webrtcViewers).toBe(0);
      expect((await fetch(`${url}${location}`, { method: 'DELETE' })).status).toBe(404);
    } finally {
      await client.close();
    }
  });

  it('answers 400 for a malformed offer, 404 for an unknown camera, 503 at the cap', async () => {
    const bad = await post(cameraId, 'v=0\r\nthis is not sdp\r\n');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { kind: string } }).error.kind).toBe('bad_request');
    const client = await createWhepClient();
    const others = [await createWhepClient(), await createWhepClient()];
    try {
      const missing = await post('no-such-camera', client.offerSdp);
      expect(missing.status).toBe(404);
      for (const c of others) expect((await post(cameraId, c.offerSdp)).status).toBe(201);
      const full = await post(cameraId, client.offerSdp);
      expect(full.status).toBe(503);
      const body = (await full.json()) as { error: { kind: string; message: string } };
      expect(body.error).toMatchObject({ kind: 'unavailable' });
      expect(body.error.message).toMatch(/too many live viewers/);
    } finally {
      await Promise.all([client, ...others].map((c) => c.close()));
    }
  });

  it('serves live HLS: playlist, init segment and media segments', async () => {
    const pl = await fetch(`${url}/api/cameras/${cameraId}/hls/live.m3u8?stream=sub`);
    expect(pl.status).toBe(200);
    expect(pl.headers.get('content-type')).toMatch(/mpegurl/);
    const text = await pl.text();
    const init = /#EXT-X-MAP:URI="([^"]+)"/.exec(text)![1]!;
    const seg = /\n(live\/seg-\d+\.m4s[^\n]*)/.exec(text)![1]!;
    const base = `${url}/api/cameras/${cameraId}/hls/`;
    const initRes = await fetch(new URL(init, base));
    expect(initRes.status).toBe(200);
    expect(
      Buffer.from(await initRes.arrayBuffer())
        .subarray(4, 8)
        .toString(),
    ).toBe('ftyp');
    const segRes = await fetch(new URL(seg, base));
    expect(segRes.status).toBe(200);
    expect(
      Buffer.from(await segRes.arrayBuffer())
        .subarray(4, 8)
        .toString(),
    ).toBe('moof');
    expect((await fetch(`${base}live/seg-1.txt?stream=sub`)).status).toBe(400);
    // One player fetched the newest segments: one HLS client.
    const status = (await (
      await fetch(`${url}/api/cameras/${cameraId}/status`)
    ).json()) as CameraStatus;
    expect(status.streams.sub?.hlsClients).toBe(1);
  });
});
