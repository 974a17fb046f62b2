// testCameraStream (camera settings' Test) through the headless engine's HTTP API with login required:
// an admin tests a stored camera behind a Digest-protected RTSP server without sending its password;
// typed edits override the stored ones; viewers get 403, unknown cameras 404; no answer carries the
// password. Plus the pure request → test input rules.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nullLogger } from '../base';
import { RtspServer } from '../camera';
import { findFfmpeg } from '../../native';
import { cameraStreamTestInput } from './camera-stream-test';
import type { StoredCamera } from './camera-store';
import { createEngine } from './engine';
import type { Engine } from './engine';
import { apiClient } from './testing';
import { findProjectRoot } from './paths';
import type { StreamTestResult } from '../../src-preload/contract';

const DEMO = path.join(findProjectRoot()!, 'resources', 'demo');
const ffmpegPath = findFfmpeg();
const ADMIN_PW = 'admin-password-1';
const VIEWER_PW = 'viewer-password-1';
const CAM_USER = { username: 'cam', password: 'stored-cam-pw-5d1e' };

const rtsp = new RtspServer({ auth: { users: [CAM_USER], scheme: 'digest' } });
let rtspPort = 0;
let tmp: string;
let engine: Engine;
let base: string;
let adminToken: string;
let viewerToken: string;

const { call, login } = apiClient(() => base);

beforeAll(async () => {
  await rtsp.addClipStream('/door/main', { file: path.join(DEMO, 'door-main.h264') });
  rtspPort = (await rtsp.listen({ host: '127.0.0.1', port: 0 })).port;
  tmp = await mkdtemp(path.join(os.tmpdir(), 'nvr-camtest-'));
  engine = createEngine(
    {
      dataDir: path.join(tmp, 'data'),
      host: '127.0.0.1',
      port: 0,
      demo: false,
      logLevel: 'silent',
      auth: 'required',
      adminPassword: ADMIN_PW,
    },
    { logger: nullLogger(), statsIntervalMs: 0 },
  );
  base = (await engine.start()).url;
  adminToken = await login('admin', ADMIN_PW);
  const added = await call('POST', '/api/cameras', adminToken, {
    name: 'Door',
    enabled: false,
    streams: { main: { url: `rtsp://127.0.0.1:${rtspPort}/door/main` } },
    transport: 'tcp',
    ...CAM_USER,
    recording: { mode: 'off' },
  });
  expect(added.status).toBe(201);
  const user = await call('POST', '/api/auth/users', adminToken, {
    username: 'guard',
    password: VIEWER_PW,
    role: 'viewer',
    cameras: ['door'],
  });
  expect(user.status).toBe(201);
  viewerToken = await login('guard', VIEWER_PW);
}, 60_000);

afterAll(async () => {
  await engine?.stop();
  await rtsp.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('testCameraStream over HTTP', () => {
  it.skipIf(!ffmpegPath)(
    'an admin gets a picture with the stored password; a typed one overrides it',
    async () => {
      const res = await call('POST', '/api/cameras/door/test', adminToken, { width: 320 });
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).not.toContain(CAM_USER.password);
      const r = JSON.parse(text) as StreamTestResult;
      expect(r).toMatchObject({ ok: true, codec: 'h264', source: 'rtsp' });
      if (r.ok) {
        const jpeg = Buffer.from(r.snapshotJpegBase64, 'base64');
        expect([jpeg[0], jpeg[1]]).toEqual([0xff, 0xd8]);
      }

      // The form's edits win: a typed wrong password is an auth error, a typed path is the one tested.
      const wrong = (await (
        await call('POST', '/api/cameras/door/test', adminToken, { password: 'typed-wrong' })
      ).json()) as StreamTestResult;
      expect(wrong).toMatchObject({ ok: false, error: { kind: 'auth' } });
      const path404 = (await (
        await call('POST', '/api/cameras/door/test', adminToken, {
          url: `rtsp://127.0.0.1:${rtspPort}/no/such`,
        })
      ).json()) as StreamTestResult;
      expect(path404.ok).toBe(false);
      if (!path404.ok) expect(path404.error.message).toMatch(/no stream at this path/i);
      // Nothing was saved by testing.
      const cam = (await (await call('GET', '/api/cameras/door', adminToken)).json()) as {
        streams: { main: { url: string } };
        hasPassword: boolean;
      };
      expect(cam.streams.main.url).toBe(`rtsp://127.0.0.1:${rtspPort}/door/main`);
      expect(cam.hasPassword).toBe(true);
    },
    30_000,
  );

  it('is admin only: a viewer of the camera gets 403, also through /api/rpc', async () => {
    expect((await call('POST', '/api/cameras/door/test', viewerToken, {})).status).toBe(403);
    expect(
      (await call('POST', '/api/rpc/testCameraStream', viewerToken, { id: 'door' })).status,
    ).toBe(403);
  });

  it('an unknown camera is a 404; a camera without a sub stream has none to test', async () => {
    const res = await call('POST', '/api/cameras/nobody/test', adminToken, {});
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { kind: string } }).error.kind).toBe('not_found');
    const sub = await call('POST', '/api/cameras/door/test', adminToken, { stream: 'sub' });
    expect(sub.status).toBe(404);
  });
});

describe('cameraStreamTestInput', () => {
  const stored: StoredCamera = {
    id: 'door',
    createdMs: 0,
    updatedMs: 0,
    config: {
      name: 'Door',
      enabled: true,
      streams: { main: { url: 'rtsp://10.0.0.5/main' }, sub: { url: 'rtsp://10.0.0.5/sub' } },
      username: 'admin',
      password: 'stored',
      transport: 'auto',
      recording: { mode: 'continuous', retentionDays: 30, recordSub: true },
    },
  };

  it('uses the stored camera where the form leaves a field out or empty', () => {
    expect(cameraStreamTestInput(stored, { id: 'door', stream: 'main', password: '' })).toEqual({
      url: 'rtsp://10.0.0.5/main',
      username: 'admin',
      password: 'stored',
      transport: 'auto',
    });
    expect(cameraStreamTestInput(stored, { id: 'door', stream: 'sub', width: 320 })).toMatchObject({
      url: 'rtsp://10.0.0.5/sub',
      width: 320,
    });
  });

  it('lays the edits over it as a Save would', () => {
    expect(
      cameraStreamTestInput(stored, {
        id: 'door',
        stream: 'main',
        url: 'rtsp://10.0.0.9/h264',
        username: null,
        transport: 'udp',
      }),
    ).toEqual({ url: 'rtsp://10.0.0.9/h264', password: 'stored', transport: 'udp' });
    // Credentials typed into the URL are used and stripped from it.
    expect(
      cameraStreamTestInput(stored, {
        id: 'door',
        stream: 'main',
        url: 'rtsp://bob:url-pw@10.0.0.9/h264',
      }),
    ).toEqual({
      url: 'rtsp://10.0.0.9/h264',
      username: 'bob',
      password: 'url-pw',
      transport: 'auto',
    });
  });
});
