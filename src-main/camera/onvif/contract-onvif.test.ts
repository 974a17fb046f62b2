// The contract's ONVIF and PTZ additions (schemas and HTTP bindings) as this module relies on them.
import { describe, expect, it } from 'vitest';
import {
  AddCameraFromProbeSchema,
  CameraInputSchema,
  DiscoverRequestSchema,
  NVR_API_METHODS,
  PtzPresetTokenSchema,
  toHttpRequest,
  validateInput,
} from '../../../src-preload/contract';

describe('contract: ONVIF and PTZ', () => {
  it('discover takes unicast hosts and ranges', () => {
    expect(
      DiscoverRequestSchema.parse({ unicastHosts: ['10.0.0.5', '10.0.0.5:3702', '10.0.0.0/24'] }),
    ).toEqual({
      timeoutMs: 3000,
      unicastHosts: ['10.0.0.5', '10.0.0.5:3702', '10.0.0.0/24'],
    });
    expect(validateInput('discover', { unicastHosts: ['http://x/'] })).toMatchObject({
      ok: false,
      error: { field: 'unicastHosts.0' },
    });
  });

  it('addCameraFromProbe is a probe request plus naming and profile choice', () => {
    expect(
      AddCameraFromProbeSchema.parse({
        host: '10.0.0.5',
        username: 'u',
        password: 'p',
        subProfile: null,
      }),
    ).toEqual({
      host: '10.0.0.5',
      port: 80,
      username: 'u',
      password: 'p',
      subProfile: null,
    });
    expect(NVR_API_METHODS.addCameraFromProbe.http).toEqual({
      method: 'POST',
      path: '/api/onvif/cameras',
      body: '*',
      status: 201,
    });
  });

  it('cameras keep their ONVIF link', () => {
    const c = CameraInputSchema.parse({
      name: 'A',
      streams: { main: { url: 'rtsp://h/a' } },
      onvif: { host: '10.0.0.5' },
    });
    expect(c.onvif).toEqual({ host: '10.0.0.5', port: 80 });
    expect(
      CameraInputSchema.safeParse({
        name: 'A',
        streams: { main: { url: 'rtsp://h/a' } },
        onvif: { host: 'a b' },
      }).success,
    ).toBe(false);
  });

  it('PTZ routes split input over path and body; preset tokens cannot carry XML', () => {
    expect(
      toHttpRequest(NVR_API_METHODS.ptzMove.http, { id: 'c1', pan: 0.5, tilt: 0, zoom: 0 }),
    ).toEqual({
      url: '/api/cameras/c1/ptz/move',
      body: { pan: 0.5, tilt: 0, zoom: 0 },
    });
    expect(toHttpRequest(NVR_API_METHODS.gotoPtzPreset.http, { id: 'c1', token: 'p 1' }).url).toBe(
      '/api/cameras/c1/ptz/presets/p%201/goto',
    );
    expect(validateInput('ptzMove', { id: 'c1', pan: 2 })).toMatchObject({
      ok: false,
      error: { field: 'pan' },
    });
    expect(validateInput('ptzMove', { id: 'c1' })).toEqual({
      ok: true,
      value: { id: 'c1', pan: 0, tilt: 0, zoom: 0 },
    });
    expect(PtzPresetTokenSchema.safeParse('a<b').success).toBe(false);
    expect(validateInput('setPtzPreset', { id: 'c1', name: '' })).toMatchObject({
      ok: false,
      error: { field: 'name' },
    });
  });
});
