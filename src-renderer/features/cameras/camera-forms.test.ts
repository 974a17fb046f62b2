// Add-camera and settings form logic: validation in words, minimal patches, device merging.
import { describe, expect, it } from 'vitest';
import type { Camera } from '../../../src-preload/contract';
import {
  deviceAddress,
  deviceLabel,
  deviceName,
  mergeDevice,
  rtspFormToTest,
  streamFormat,
  rtspFormToInput,
  settingsFormOf,
  settingsFormToTest,
  settingsPatch,
} from './camera-forms';

const cam: Camera = {
  id: 'door',
  name: 'Door',
  enabled: true,
  streams: { main: { url: 'rtsp://10.0.0.5/main' }, sub: { url: 'rtsp://10.0.0.5/sub' } },
  username: 'admin',
  hasPassword: true,
  transport: 'auto',
  recording: { mode: 'continuous', retentionDays: 30, recordSub: true },
} as Camera;

describe('camera forms', () => {
  it('turns the RTSP tab into an addCamera body', () => {
    const r = rtspFormToInput({
      name: ' Gate ',
      mainUrl: 'rtsp://10.0.0.9:554/h264',
      subUrl: '',
      username: 'admin',
      password: 'pw',
    });
    expect(r).toEqual({
      ok: true,
      value: {
        name: 'Gate',
        streams: { main: { url: 'rtsp://10.0.0.9:554/h264' } },
        username: 'admin',
        password: 'pw',
      },
    });
    const bad = rtspFormToInput({
      name: 'x',
      mainUrl: 'http://a',
      subUrl: '',
      username: '',
      password: '',
    });
    expect(bad).toEqual({ ok: false, error: expect.stringMatching(/rtsp:\/\//) });
    expect(
      rtspFormToInput({ name: '', mainUrl: '', subUrl: '', username: '', password: '' }).ok,
    ).toBe(false);
  });

  it('patches only what changed; empty password keeps it; empty sub removes it', () => {
    const f = settingsFormOf(cam);
    expect(settingsPatch(cam, f)).toEqual({ ok: true, value: {} });
    expect(settingsPatch(cam, { ...f, name: 'Front door', subUrl: '', retentionDays: 7 })).toEqual({
      ok: true,
      value: { name: 'Front door', streams: { sub: null }, recording: { retentionDays: 7 } },
    });
    expect(settingsPatch(cam, { ...f, password: 'new', username: '' })).toEqual({
      ok: true,
      value: { password: 'new', username: null },
    });
    expect(settingsPatch(cam, { ...f, retentionDays: 0 }).ok).toBe(false);
  });

  it('merges devices by host and port in order of first answer; labels carry host:port', () => {
    let list = mergeDevice([], { host: '10.0.0.20', xaddrs: [] });
    list = mergeDevice(list, { host: '10.0.0.3', xaddrs: [] });
    list = mergeDevice(list, { host: '10.0.0.3', port: 8080, xaddrs: [] });
    // A second answer from the first device updates its row in place; nothing moves.
    list = mergeDevice(list, {
      host: '10.0.0.20',
      xaddrs: ['http://10.0.0.20/onvif'],
      name: 'Cam',
    });
    expect(list.map(deviceAddress)).toEqual(['10.0.0.20:80', '10.0.0.3:80', '10.0.0.3:8080']);
    expect(list[0]!.name).toBe('Cam');
    expect(deviceLabel(list[0]!)).toBe('Cam · 10.0.0.20:80');
    expect(deviceLabel(list[1]!)).toBe('10.0.0.3:80');
    expect(deviceName(list[1]!)).toBeUndefined();
    expect(deviceLabel({ host: '1.2.3.4', xaddrs: [], manufacturer: 'Axis', model: 'M10' })).toBe(
      'Axis M10 · 1.2.3.4:80',
    );
    expect(deviceAddress({ host: 'fe80::1', port: 8000, xaddrs: [] })).toBe('[fe80::1]:8000');
  });

  it('builds the Test request of the RTSP tab and words a stream format', () => {
    const f = {
      name: '',
      mainUrl: ' rtsp://10.0.0.5/s1 ',
      subUrl: '',
      username: 'u',
      password: 'p',
    };
    expect(rtspFormToTest(f)).toEqual({
      ok: true,
      value: { url: 'rtsp://10.0.0.5/s1', username: 'u', password: 'p', width: 480 },
    });
    expect(rtspFormToTest({ ...f, mainUrl: 'http://x' }).ok).toBe(false);
    expect(streamFormat({ codec: 'h265', width: 1920, height: 1080, fps: 24.96 })).toBe(
      'H.265 · 1920×1080 · 25 fps',
    );
    expect(streamFormat({ codec: 'H264' })).toBe('H.264');
    expect(streamFormat({})).toBe('');
  });

  it('builds the settings Test request: the stored password unless one is typed', () => {
    const f = settingsFormOf(cam);
    expect(settingsFormToTest(cam, f)).toEqual({
      ok: true,
      value: {
        id: 'door',
        stream: 'main',
        url: 'rtsp://10.0.0.5/main',
        transport: 'auto',
        width: 480,
      },
    });
    expect(settingsFormToTest(cam, { ...f, password: 'typed', username: '' })).toMatchObject({
      ok: true,
      value: { password: 'typed', username: null },
    });
    expect(settingsFormToTest(cam, { ...f, mainUrl: 'http://x' }).ok).toBe(false);
  });
});
