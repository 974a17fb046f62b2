import { afterEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CameraInputSchema } from '../../../src-preload/contract';
import type {
  Camera,
  CameraConfig,
  DiscoveredDevice,
  NvrEvent,
  ProbeResult,
} from '../../../src-preload/contract';
import { RtspClient, RtspServer } from '../rtsp';
import { cameraFromProbe } from './camera-from-probe';
import { createOnvifHandlers, isDeviceAdded } from './onvif-handlers';
import { OnvifService } from './onvif-service';
import { startFakeOnvifDevices } from './demo';
import type { FakeOnvifDevice } from './demo';

const DEMO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../resources/demo');
const USER = { username: 'admin', password: 'admin123' };

let devices: FakeOnvifDevice[] = [];
let rtsp: RtspServer | undefined;
afterEach(async () => {
  await Promise.all(devices.map((d) => d.close()));
  devices = [];
  await rtsp?.close();
  rtsp = undefined;
});

describe('OnvifService end to end', () => {
  it('discover → probe → camera: the stream URLs play from the project RTSP server', async () => {
    rtsp = new RtspServer({ auth: { users: [USER], scheme: 'digest' } });
    await rtsp.addClipStream('/door/main', { file: path.join(DEMO, 'door-main.h264') });
    await rtsp.addClipStream('/door/sub', { file: path.join(DEMO, 'door-sub.h264') });
    const { port: rtspPort } = (await rtsp.listen()) as { port: number };
    devices = await startFakeOnvifDevices(2, (i) => ({
      name: i === 0 ? 'Door' : 'Garage',
      rtspBaseUrl: `rtsp://127.0.0.1:${rtspPort}/${i === 0 ? 'door' : 'garage'}`,
    }));
    const service = new OnvifService({
      discovery: { interfaces: ['127.0.0.1'], port: devices[0]!.multicastPort! },
    });

    const controller = new AbortController();
    const seen: DiscoveredDevice[] = [];
    const report = await service.discover({ timeoutMs: 3000, signal: controller.signal }, (d) => {
      seen.push(d);
      if (seen.length === 2) controller.abort();
    });
    const door = report.devices.find((d) => d.name === 'Door')!;
    expect(door).toBeDefined();

    const t0 = performance.now();
    const probe = await service.probe({ host: door.host, port: door.port!, ...USER });
    const probeMs = performance.now() - t0;
    const t1 = performance.now();
    await service.probe({ host: door.host, port: door.port!, ...USER });
    console.log(
      `discovery first result ${report.firstResultMs?.toFixed(1)} ms; probe ${probeMs.toFixed(1)} ms (again: ${(performance.now() - t1).toFixed(1)} ms)`,
    );
    const camera = CameraInputSchema.parse(service.cameraFromProbe(probe, { ...USER }));
    expect(camera).toMatchObject({
      name: 'Door',
      streams: {
        main: { url: `rtsp://127.0.0.1:${rtspPort}/door/main` },
        sub: { url: `rtsp://127.0.0.1:${rtspPort}/door/sub` },
      },
      username: 'admin',
      password: 'admin123',
      onvif: { host: '127.0.0.1', port: door.port, profileToken: 'profile_main' },
    });

    const client = new RtspClient({
      url: camera.streams.main.url,
      username: camera.username!,
      password: camera.password!,
      transport: 'tcp',
      timeoutMs: 5000,
    });
    try {
      const track = await client.connect();
      expect(track.codec).toBe('h264');
      expect(track.width).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
  });
});

describe('cameraFromProbe', () => {
  const probe: ProbeResult = {
    device: { manufacturer: 'Acme', model: 'X1' },
    host: '10.0.0.5',
    port: 8080,
    profiles: [
      { token: 'a', name: 'A', width: 1920, height: 1080, rtspUrl: 'rtsp://10.0.0.5/a' },
      { token: 'b', name: 'B', width: 640, height: 360, rtspUrl: 'rtsp://10.0.0.5/b' },
      { token: 'c', name: 'C', width: 320, height: 180 },
    ],
    mainProfile: 'a',
    subProfile: 'b',
  };
  it('uses the chosen profiles, falls back to manufacturer and model for the name', () => {
    expect(cameraFromProbe(probe, { username: 'u', password: 'p' })).toEqual({
      name: 'Acme X1',
      streams: { main: { url: 'rtsp://10.0.0.5/a' }, sub: { url: 'rtsp://10.0.0.5/b' } },
      username: 'u',
      password: 'p',
      onvif: { host: '10.0.0.5', port: 8080, profileToken: 'a' },
    });
    expect(cameraFromProbe(probe, { name: 'Gate', mainProfile: 'b', subProfile: null })).toEqual({
      name: 'Gate',
      streams: { main: { url: 'rtsp://10.0.0.5/b' } },
      onvif: { host: '10.0.0.5', port: 8080, profileToken: 'b' },
    });
  });
  it('refuses profiles without a stream and devices with none', () => {
    expect(() => cameraFromProbe(probe, { subProfile: 'c' })).toThrow(
      expect.objectContaining({ kind: 'bad_request', context: { field: 'subProfile' } }),
    );
    expect(() => cameraFromProbe(probe, { mainProfile: 'zz' })).toThrow(/no profile zz/);
    expect(() => cameraFromProbe({ device: {}, profiles: [] })).toThrow(
      expect.objectContaining({ kind: 'bad_request' }),
    );
  });
});

describe('createOnvifHandlers', () => {
  it('discovers with events, adds a camera from a probe, and drives its PTZ', async () => {
    devices = await startFakeOnvifDevices(1, () => ({ name: 'Porch' }));
    const d = devices[0]!;
    const configs = new Map<string, CameraConfig>();
    const events: NvrEvent[] = [];
    const service = new OnvifService({
      discovery: { interfaces: ['127.0.0.1'], port: d.multicastPort! },
      isAlreadyAdded: (host, dev) => isDeviceAdded([...configs.values()], host, dev),
    });
    const handlers = createOnvifHandlers({
      service,
      getCameraConfig: (id) => configs.get(id),
      addCamera: async (config) => {
        configs.set('porch', config);
        return {
          id: 'porch',
          ...config,
          hasPassword: true,
          createdMs: 1,
          updatedMs: 1,
        } as unknown as Camera;
      },
      emit: (type, payload) => events.push({ type, payload } as NvrEvent),
    });

    const first = await handlers.discover({ timeoutMs: 500 });
    expect(first.devices.map((x) => [x.name, x.alreadyAdded])).toEqual([['Porch', false]]);
    expect(events.map((e) => e.type)).toEqual(['discovery.result', 'discovery.done']);

    const added = await handlers.addCameraFromProbe({
      host: '127.0.0.1',
      port: d.port,
      ...USER,
      subProfile: undefined,
    });
    expect(added.id).toBe('porch');
    expect(configs.get('porch')).toMatchObject({
      name: 'Porch',
      onvif: { host: '127.0.0.1', port: d.port },
      recording: { mode: 'continuous' },
    });

    const again = await handlers.discover({ timeoutMs: 500 });
    expect(again.devices[0]!.alreadyAdded).toBe(true);

    expect(await handlers.getPtz({ id: 'porch' })).toMatchObject({
      supported: true,
      home: true,
      presets: [
        { token: 'preset_1', name: 'Gate' },
        { token: 'preset_2', name: 'Driveway' },
      ],
    });
    await handlers.ptzMove({ id: 'porch', pan: 0.3, tilt: 0, zoom: 0 });
    expect(d.ptzState.velocity).toEqual({ pan: 0.3, tilt: 0, zoom: 0 });
    await handlers.ptzStop({ id: 'porch' });
    expect(d.ptzState.velocity).toBeUndefined();
    await handlers.gotoPtzPreset({ id: 'porch', token: 'preset_1' });
    expect(d.ptzState.pan).toBe(0.5);
    await handlers.ptzHome({ id: 'porch' });
    expect(d.ptzState.pan).toBe(0);
    const preset = await handlers.setPtzPreset({ id: 'porch', name: 'Porch door' });
    expect((await handlers.listPtzPresets({ id: 'porch' })).presets).toContainEqual(preset);
    // One session serves every PTZ command: the clock and services were read once.
    expect(d.calls.filter((c) => c.action === 'GetServices')).toHaveLength(2); // probe + PTZ session

    configs.set(
      'plain',
      CameraInputSchema.parse({ name: 'Plain', streams: { main: { url: 'rtsp://10.9.9.9/a' } } }),
    );
    expect(await handlers.getPtz({ id: 'plain' })).toEqual({
      supported: false,
      home: false,
      presets: [],
    });
    await expect(handlers.ptzStop({ id: 'plain' })).rejects.toMatchObject({ kind: 'bad_request' });
    await expect(handlers.ptzStop({ id: 'nope' })).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('isDeviceAdded matches ONVIF links by host and port, RTSP hosts off loopback only', () => {
    const cams = [
      CameraInputSchema.parse({ name: 'A', streams: { main: { url: 'rtsp://10.0.0.7/x' } } }),
      CameraInputSchema.parse({
        name: 'B',
        streams: { main: { url: 'rtsp://127.0.0.1:8554/b' } },
        onvif: { host: '127.0.0.1', port: 8001 },
      }),
    ];
    const dev = (host: string, port: number): DiscoveredDevice => ({ host, port, xaddrs: [] });
    expect(isDeviceAdded(cams, '10.0.0.7', dev('10.0.0.7', 80))).toBe(true);
    expect(isDeviceAdded(cams, '10.0.0.8', dev('10.0.0.8', 80))).toBe(false);
    expect(isDeviceAdded(cams, '127.0.0.1', dev('127.0.0.1', 8001))).toBe(true);
    expect(isDeviceAdded(cams, '127.0.0.1', dev('127.0.0.1', 8002))).toBe(false);
  });
});
