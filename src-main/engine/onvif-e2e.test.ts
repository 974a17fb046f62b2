// ONVIF end to end through the engine's API: discover a fake ONVIF device on loopback, probe it with
// credentials, add it in one call, and see the camera record (real RTSP, real SQLite, real files).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { nullLogger } from '../base';
import { RtspServer } from '../camera';
import { startFakeOnvifDevices } from '../camera/onvif/demo';
import type { FakeOnvifDevice } from '../camera/onvif/demo';
import { createEngine } from './engine';
import { findProjectRoot } from './paths';

const DEMO = path.join(findProjectRoot()!, 'resources', 'demo');
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

it('discover → probe → add → the camera records', { timeout: 60_000 }, async () => {
  const rtsp = new RtspServer();
  await rtsp.addClipStream('/door/main', { file: path.join(DEMO, 'door-main.h264') });
  await rtsp.addClipStream('/door/sub', { file: path.join(DEMO, 'door-sub.h264') });
  const { port: rtspPort } = await rtsp.listen({ host: '127.0.0.1', port: 0 });
  cleanups.push(() => rtsp.close());
  const devices: FakeOnvifDevice[] = await startFakeOnvifDevices(2, (i) => ({
    name: i === 0 ? 'Front Door' : 'Back Yard',
    rtspBaseUrl: `rtsp://127.0.0.1:${rtspPort}/door`,
  }));
  cleanups.push(() => Promise.all(devices.map((d) => d.close())));
  const door = devices[0]!;

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nvr-onvif-e2e-'));
  cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const engine = createEngine(
    { host: '127.0.0.1', port: 0, demo: false, logLevel: 'silent', dataDir },
    {
      logger: nullLogger(),
      onvifDiscovery: { interfaces: ['127.0.0.1'], port: door.multicastPort! },
      recording: { workers: 0, segmentDurationMs: 2000 },
    },
  );
  cleanups.push(() => engine.stop());
  await engine.start();
  const api = engine.api;

  const found = await api.discover({ timeoutMs: 1000 });
  const names = found.devices.map((d) => d.name).sort();
  expect(names).toEqual(['Back Yard', 'Front Door']);
  expect(found.devices.every((d) => !d.alreadyAdded)).toBe(true);

  const probe = await api.probe({
    host: '127.0.0.1',
    port: door.port,
    username: 'admin',
    password: 'admin123',
  });
  expect(probe.profiles.length).toBeGreaterThanOrEqual(2);

  const camera = await api.addCameraFromProbe({
    host: '127.0.0.1',
    port: door.port,
    username: 'admin',
    password: 'admin123',
  });
  expect(camera.name).toBe('Front Door');
  expect(camera.streams.main.url).toContain(`127.0.0.1:${rtspPort}/door/main`);
  expect(camera.hasPassword).toBe(true);

  // The camera records: a recorded range shows up within seconds.
  const deadline = Date.now() + 30_000;
  let ranges: { startMs: number; endMs: number }[] = [];
  while (Date.now() < deadline) {
    ranges = (await api.listRecordings({ id: camera.id, from: 0, to: Date.now() + 60_000 })).ranges;
    if (ranges.length > 0 && ranges[0]!.endMs - ranges[0]!.startMs > 1000) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(ranges.length).toBeGreaterThan(0);
  expect(ranges[0]!.endMs - ranges[0]!.startMs).toBeGreaterThan(1000);
  const status = await api.getCameraStatus({ id: camera.id });
  expect(status.streams.main).toMatchObject({
    state: 'streaming',
    codec: 'h264',
    width: 1920,
    height: 1080,
  });

  // A second scan marks it as added.
  const again = await api.discover({ timeoutMs: 1000 });
  expect(again.devices.find((d) => d.name === 'Front Door')?.alreadyAdded).toBe(true);
  expect(again.devices.find((d) => d.name === 'Back Yard')?.alreadyAdded).toBe(false);
});
