import { afterEach, describe, expect, it } from 'vitest';
import { ProbeResultSchema } from '../../../src-preload/contract';
import { chooseMainAndSub, correctUriHost, probeOnvifDevice } from './probe';
import { FakeOnvifDevice } from './demo';
import type { FakeOnvifDeviceOptions } from './demo';

let device: FakeOnvifDevice | undefined;
afterEach(async () => {
  await device?.close();
  device = undefined;
});

async function start(opts: FakeOnvifDeviceOptions = {}) {
  device = await FakeOnvifDevice.start({
    discovery: false,
    rtspBaseUrl: 'rtsp://127.0.0.1:8554/door',
    ...opts,
  });
  return device;
}
const creds = { username: 'admin', password: 'admin123' };
const probe = (d: FakeOnvifDevice, extra: Partial<Parameters<typeof probeOnvifDevice>[0]> = {}) =>
  probeOnvifDevice({ host: '127.0.0.1', port: d.port, ...creds, timeoutMs: 2000, ...extra });

describe('probeOnvifDevice', () => {
  it('reads device info, Media2 profiles, stream and snapshot URIs, main/sub and PTZ', async () => {
    const d = await start({ name: 'Door', manufacturer: 'Acme', model: 'IPC-9' });
    const t0 = performance.now();
    const result = await probe(d);
    console.log(`probe of one device: ${(performance.now() - t0).toFixed(1)} ms`);
    expect(ProbeResultSchema.parse(result)).toEqual(result);
    expect(result.device).toMatchObject({
      manufacturer: 'Acme',
      model: 'IPC-9',
      firmwareVersion: '1.0.0',
      hardwareId: 'FAKE-IPC-1',
    });
    expect(result).toMatchObject({
      name: 'Door',
      mediaService: 'media2',
      authMode: 'digest',
      mainProfile: 'profile_main',
      subProfile: 'profile_sub',
      ptz: { supported: true },
      warnings: [],
    });
    expect(Math.abs(result.clockSkewMs!)).toBeLessThan(1500);
    expect(result.profiles).toEqual([
      {
        token: 'profile_main',
        name: 'MainStream',
        codec: 'h264',
        width: 1920,
        height: 1080,
        fps: 25,
        bitrateKbps: 4096,
        rtspUrl: 'rtsp://127.0.0.1:8554/door/main',
        snapshotUrl: `http://127.0.0.1:${d.port}/onvif/snapshot/profile_main.jpg`,
        ptz: true,
      },
      expect.objectContaining({
        token: 'profile_sub',
        width: 640,
        height: 360,
        rtspUrl: 'rtsp://127.0.0.1:8554/door/sub',
      }),
    ]);
    // Media2 was used for profiles and URIs; credentials went as digests.
    expect(d.calls.filter((c) => c.service === 'media2').map((c) => c.action)).toContain(
      'GetStreamUri',
    );
    expect(d.calls.some((c) => c.service === 'media')).toBe(false);
    expect(
      d.calls.filter((c) => c.action === 'GetDeviceInformation').map((c) => c.authenticated),
    ).toEqual(['digest']);
    // The snapshot URI serves a JPEG.
    const snap = await fetch(result.profiles[0]!.snapshotUrl!);
    expect(snap.headers.get('content-type')).toBe('image/jpeg');
    expect([...new Uint8Array(await snap.arrayBuffer()).subarray(0, 2)]).toEqual([0xff, 0xd8]);
  });

  it('falls back to Media1 when the device has no Media2', async () => {
    const d = await start({ media2: false });
    const result = await probe(d);
    expect(result.mediaService).toBe('media1');
    expect(result.profiles.map((p) => [p.token, p.width, p.rtspUrl])).toEqual([
      ['profile_main', 1920, 'rtsp://127.0.0.1:8554/door/main'],
      ['profile_sub', 640, 'rtsp://127.0.0.1:8554/door/sub'],
    ]);
    expect(d.calls.some((c) => c.service === 'media2')).toBe(false);
  });

  it('corrects the host when the camera reports an internal address', async () => {
    const d = await start({ reportedHost: '192.168.77.64' });
    const result = await probe(d);
    expect(result.profiles[0]!.rtspUrl).toBe('rtsp://127.0.0.1:8554/door/main');
    expect(result.profiles[0]!.snapshotUrl).toBe(
      `http://127.0.0.1:${d.port}/onvif/snapshot/profile_main.jpg`,
    );
    expect(result.warnings!.join('\n')).toMatch(/192\.168\.77\.64.*using 127\.0\.0\.1/);
  });

  it('falls back to PasswordText when the device refuses digests', async () => {
    const d = await start({ acceptPasswordModes: ['text'] });
    const result = await probe(d);
    expect(result.authMode).toBe('text');
    expect(result.warnings!.join('\n')).toMatch(/PasswordText/);
    expect(
      d.calls.filter((c) => c.action === 'GetDeviceInformation').map((c) => c.authenticated),
    ).toEqual(['rejected', 'text']);
  });

  it('wrong password: a clear auth error naming the device', async () => {
    const d = await start();
    const err = await probe(d, { password: 'nope' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'auth', context: { device: `127.0.0.1:${d.port}` } });
    expect((err as Error).message).toBe(
      `ONVIF device 127.0.0.1:${d.port} rejected the username or password (GetDeviceInformation)`,
    );
  });

  it('no credentials for a device that needs them: auth error', async () => {
    const d = await start();
    await expect(
      probeOnvifDevice({ host: '127.0.0.1', port: d.port, timeoutMs: 2000 }),
    ).rejects.toMatchObject({
      kind: 'auth',
      message: expect.stringMatching(/needs a username and password/),
    });
  });

  it('a device that never answers: timeout', async () => {
    const d = await start({ broken: 'no-answer' });
    const t0 = performance.now();
    await expect(probe(d, { timeoutMs: 300 })).rejects.toMatchObject({
      kind: 'timeout',
      message: expect.stringContaining(`127.0.0.1:${d.port}`),
    });
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('a device answering malformed XML: malformed', async () => {
    const d = await start({ broken: 'malformed-xml' });
    await expect(probe(d)).rejects.toMatchObject({
      kind: 'malformed',
      message: expect.stringContaining('GetSystemDateAndTime'),
    });
  });

  it('a device answering a SOAP fault: protocol error with the reason', async () => {
    const d = await start({ broken: 'soap-fault' });
    await expect(probe(d)).rejects.toMatchObject({
      kind: 'protocol',
      message: expect.stringContaining('The device is busy (fake fault)'),
    });
  });

  it('a closed port: unreachable', async () => {
    const d = await start();
    const port = d.port;
    await d.close();
    device = undefined;
    await expect(
      probeOnvifDevice({ host: '127.0.0.1', port, ...creds, timeoutMs: 1000 }),
    ).rejects.toMatchObject({ kind: 'unreachable' });
  });

  it('a profile without a stream URI is listed without one and never chosen', async () => {
    const d = await start({
      profiles: [
        {
          token: 'p4k',
          name: 'Ultra',
          width: 3840,
          height: 2160,
          fps: 15,
          bitrateKbps: 8000,
          codec: 'H264',
          streamPath: 'x',
          streamUri: null,
        },
        {
          token: 'p1',
          name: 'Main',
          width: 1920,
          height: 1080,
          fps: 25,
          bitrateKbps: 4000,
          codec: 'H264',
          streamPath: 'main',
        },
        {
          token: 'p2',
          name: 'Empty',
          width: 640,
          height: 360,
          fps: 25,
          bitrateKbps: 500,
          codec: 'H264',
          streamPath: 'sub',
          streamUri: '',
        },
      ],
    });
    const result = await probe(d);
    expect(result.profiles.map((p) => [p.token, p.rtspUrl])).toEqual([
      ['p4k', undefined],
      ['p1', 'rtsp://127.0.0.1:8554/door/main'],
      ['p2', undefined],
    ]);
    expect(result.mainProfile).toBe('p1');
    expect(result.subProfile).toBeUndefined();
    expect(result.warnings!.filter((w) => /no stream URI/.test(w))).toHaveLength(2);
  });

  it('a camera clock 10 minutes off: signs in anyway and warns clearly', async () => {
    const d = await start({ clockOffsetMs: 10 * 60_000 });
    const result = await probe(d);
    expect(result.clockSkewMs!).toBeGreaterThan(10 * 60_000 - 2000);
    expect(result.clockSkewMs!).toBeLessThan(10 * 60_000 + 2000);
    expect(result.authMode).toBe('digest');
    expect(result.warnings!.join('\n')).toMatch(
      /clock is (?:9 min 5\d|10 min \d+) s ahead of this computer's.*digest/,
    );
    // Without the correction the device would have refused: its window is 5 minutes.
    const behind = await FakeOnvifDevice.start({ discovery: false, clockOffsetMs: -10 * 60_000 });
    try {
      const r2 = await probe(behind);
      expect(r2.warnings!.join('\n')).toMatch(/(?:9 min 5\d|10 min \d+) s behind/);
    } finally {
      await behind.close();
    }
  });
});

describe('correctUriHost', () => {
  it('replaces the host, keeps port and path, drops credentials', () => {
    expect(correctUriHost('rtsp://u:p@192.168.1.64:554/ch1?x=1', '10.0.0.5')).toEqual({
      url: 'rtsp://10.0.0.5:554/ch1?x=1',
      corrected: true,
    });
    expect(correctUriHost('rtsp://10.0.0.5/ch1', '10.0.0.5')).toEqual({
      url: 'rtsp://10.0.0.5/ch1',
      corrected: false,
    });
    expect(correctUriHost('rtsp://0.0.0.0:8554/a', 'cam.local')!.url).toBe(
      'rtsp://cam.local:8554/a',
    );
    expect(correctUriHost('not a uri', '10.0.0.5')).toBeUndefined();
    expect(correctUriHost('ftp://10.0.0.5/x', '10.0.0.5')).toBeUndefined();
  });
});

describe('chooseMainAndSub', () => {
  const p = (
    token: string,
    width: number,
    height: number,
    codec = 'h264',
    rtspUrl: string | undefined = `rtsp://h/${token}`,
  ) => ({
    token,
    name: token,
    width,
    height,
    codec,
    ...(rtspUrl ? { rtspUrl } : {}),
  });
  it('picks the largest as main and the smallest below it as sub, H.264/H.265 first', () => {
    expect(chooseMainAndSub([p('a', 640, 360), p('b', 2560, 1440), p('c', 1280, 720)])).toEqual({
      main: 'b',
      sub: 'a',
    });
    expect(chooseMainAndSub([p('mj', 3840, 2160, 'jpeg'), p('a', 1920, 1080)])).toEqual({
      main: 'a',
    });
    expect(chooseMainAndSub([p('a', 1920, 1080), p('b', 1920, 1080)])).toEqual({ main: 'a' });
    expect(chooseMainAndSub([p('a', 1920, 1080, 'h264', '')])).toEqual({});
  });
});
