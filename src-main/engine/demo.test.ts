// The demo's PTZ camera: the last scene's camera is linked to its fake ONVIF device, and the engine's
// PTZ handlers move and stop that device; the other demo cameras have no PTZ.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../base';
import { OnvifService, createOnvifHandlers } from '../camera/onvif';
import { CameraInputSchema } from '../../src-preload/contract';
import type { CameraConfig } from '../../src-preload/contract';
import { startDemo } from './demo';
import type { RunningDemo } from './demo';
import { findProjectRoot } from './paths';

const DEMO = path.join(findProjectRoot()!, 'resources', 'demo');
let demo: RunningDemo;

beforeAll(async () => {
  demo = await startDemo(DEMO, createLogger({ level: 'error' }), undefined, {
    onvifMulticastPort: 0,
  });
});
afterAll(async () => {
  await demo.close();
});

describe('demo PTZ camera', () => {
  it('links the last scene to its ONVIF device; PTZ moves and stops that device', async () => {
    expect(demo.onvifDevices).toHaveLength(demo.cameras.length);
    const configs = new Map<string, CameraConfig>(
      demo.cameras.map((c) => [c.name.toLowerCase(), CameraInputSchema.parse(c)]),
    );
    const ptzCameras = demo.cameras.filter((c) => c.onvif);
    expect(ptzCameras.map((c) => c.name)).toEqual([demo.cameras.at(-1)!.name]);
    const device = demo.onvifDevices.at(-1)!;
    const id = demo.cameras.at(-1)!.name.toLowerCase();

    const handlers = createOnvifHandlers({
      service: new OnvifService(),
      getCameraConfig: (cameraId) => configs.get(cameraId),
      addCamera: () => Promise.reject(new Error('not in this test')),
      emit: () => undefined,
    });
    const info = await handlers.getPtz({ id });
    expect(info).toMatchObject({ supported: true, home: true });
    expect(info.presets.length).toBeGreaterThan(0);
    expect((await handlers.getPtz({ id: demo.cameras[0]!.name.toLowerCase() })).supported).toBe(
      false,
    );

    await handlers.ptzMove({ id, pan: -0.5, tilt: 0.25, zoom: 0, timeoutMs: 2000 });
    expect(device.ptzState.velocity).toEqual({ pan: -0.5, tilt: 0.25, zoom: 0 });
    await handlers.ptzStop({ id });
    expect(device.ptzState.velocity).toBeUndefined();
    await handlers.gotoPtzPreset({ id, token: info.presets[0]!.token });
    expect(device.ptzState.pan).not.toBe(0);
    await handlers.ptzHome({ id });
    expect(device.ptzState.pan).toBe(0);
  });
});
