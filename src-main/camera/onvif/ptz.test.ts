import { afterEach, describe, expect, it } from 'vitest';
import { PtzSession } from './ptz';
import { FakeOnvifDevice } from './demo';
import type { FakeOnvifDeviceOptions } from './demo';

let device: FakeOnvifDevice | undefined;
afterEach(async () => {
  await device?.close();
  device = undefined;
});
const creds = { username: 'admin', password: 'admin123' };
async function session(opts: FakeOnvifDeviceOptions = {}, profileToken?: string) {
  device = await FakeOnvifDevice.start({ discovery: false, ...opts });
  return PtzSession.open(
    { host: '127.0.0.1', port: device.port, ...creds, ...(profileToken ? { profileToken } : {}) },
    { timeoutMs: 2000 },
  );
}

describe('PtzSession', () => {
  it('detects PTZ, home and presets', async () => {
    const s = await session();
    expect(await s.capabilities()).toEqual({
      supported: true,
      profileToken: 'profile_main',
      home: true,
      maxPresets: 16,
      presets: [
        { token: 'preset_1', name: 'Gate' },
        { token: 'preset_2', name: 'Driveway' },
      ],
    });
  });

  it('reports no PTZ on a fixed camera, and refuses moves clearly', async () => {
    const s = await session({ ptz: false });
    expect(await s.capabilities()).toEqual({ supported: false, home: false, presets: [] });
    await expect(s.move({ pan: 1, tilt: 0, zoom: 0 })).rejects.toMatchObject({
      kind: 'not_implemented',
      message: expect.stringMatching(/has no PTZ/),
    });
  });

  it('moves continuously (velocities clamped), stops, goes to a preset and home', async () => {
    const s = await session();
    const state = device!.ptzState;
    await s.move({ pan: 0.5, tilt: -2, zoom: 0.25 }, 2000);
    expect(state.velocity).toEqual({ pan: 0.5, tilt: -1, zoom: 0.25 });
    await s.stop();
    expect(state.velocity).toBeUndefined();
    await s.gotoPreset('preset_2');
    expect([state.pan, state.tilt, state.zoom]).toEqual([-0.4, 0.1, 0.5]);
    const saved = await s.setPreset('Back <door>');
    expect(saved.name).toBe('Back <door>');
    expect((await s.presets()).find((p) => p.token === saved.token)!.name).toBe('Back <door>');
    await s.home();
    expect([state.pan, state.tilt, state.zoom]).toEqual([0, 0, 0]);
    await expect(s.gotoPreset('missing')).rejects.toMatchObject({
      kind: 'protocol',
      message: expect.stringMatching(/No such preset/),
    });
    const ptzCalls = device!.calls.filter((c) => c.service === 'ptz');
    expect(ptzCalls.every((c) => c.authenticated === 'digest')).toBe(true);
    expect(
      ptzCalls.filter((c) => c.action === 'ContinuousMove').map((c) => c.profileToken),
    ).toEqual(['profile_main']);
  });

  it('uses the stored profile token and PasswordText where digests are refused', async () => {
    const s = await session({ acceptPasswordModes: ['text'] }, 'profile_sub');
    await s.move({ pan: 0, tilt: 0, zoom: 1 });
    await s.stop();
    const calls = device!.calls.filter((c) => c.service === 'ptz');
    expect(calls.map((c) => [c.action, c.authenticated, c.profileToken])).toEqual([
      ['ContinuousMove', 'rejected', 'profile_sub'],
      ['ContinuousMove', 'text', 'profile_sub'],
      ['Stop', 'text', 'profile_sub'],
    ]);
  });

  it('wrong password: auth error naming the device', async () => {
    device = await FakeOnvifDevice.start({ discovery: false });
    const s = await PtzSession.open({
      host: '127.0.0.1',
      port: device.port,
      username: 'admin',
      password: 'bad',
      profileToken: 'profile_main',
    });
    await expect(s.stop()).rejects.toMatchObject({
      kind: 'auth',
      message: `ONVIF device 127.0.0.1:${device.port} rejected the username or password (Stop)`,
    });
  });
});
