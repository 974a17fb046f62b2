import { describe, expect, it } from 'vitest';
import {
  CameraInputSchema,
  CameraPatchSchema,
  CameraStatusSchema,
  ExportRequestSchema,
  ProbeRequestSchema,
  RecordingRangesSchema,
  SnapshotQuerySchema,
  TimeWindowQuerySchema,
} from './schemas';
import { issuesToApiError, inputErrorMap, validateInput } from './validation';
import type { z } from 'zod';

// DESIGN §7 examples, verbatim (the "…" placeholders filled in).
const DESIGN_CAMERA = {
  id: 'cam1',
  name: 'Door',
  enabled: true,
  streams: { main: { url: 'rtsp://10.0.0.5/ch1' }, sub: { url: 'rtsp://10.0.0.5/ch2' } },
  username: 'admin',
  password: 'secret',
  transport: 'auto',
  recording: { mode: 'continuous', retentionDays: 30, recordSub: true },
};
const DESIGN_STATUS = {
  state: 'streaming',
  error: { kind: 'auth', message: 'bad password' },
  streams: {
    main: {
      state: 'streaming',
      codec: 'h264',
      width: 1280,
      height: 720,
      fps: 15,
      bitrateKbps: 1000,
      lastFrameMs: 1790000000000,
    },
  },
};

function errorOf(schema: z.ZodType, value: unknown) {
  const r = schema.safeParse(value, { error: inputErrorMap });
  expect(r.success).toBe(false);
  return issuesToApiError(r.error!.issues);
}

describe('CameraInputSchema', () => {
  it('accepts the DESIGN example verbatim (id is ignored on input)', () => {
    const camera = CameraInputSchema.parse(DESIGN_CAMERA);
    expect(camera.name).toBe('Door');
    expect(camera.streams.sub?.url).toBe('rtsp://10.0.0.5/ch2');
    expect(camera.recording).toEqual({ mode: 'continuous', retentionDays: 30, recordSub: true });
    expect('id' in camera).toBe(false);
  });

  it('fills defaults for a minimal camera', () => {
    const camera = CameraInputSchema.parse({
      name: 'Yard',
      streams: { main: { url: 'rtsps://cam.local:322/x?y=1' } },
    });
    expect(camera).toMatchObject({
      enabled: true,
      transport: 'auto',
      recording: { mode: 'continuous', retentionDays: 30, recordSub: true },
    });
  });

  it('accepts credentials in the URL and IPv6 hosts', () => {
    expect(
      CameraInputSchema.safeParse({
        name: 'A',
        streams: { main: { url: 'rtsp://u:p@[fe80::1]:554/s' } },
      }).success,
    ).toBe(true);
  });

  it.each([
    [
      { ...DESIGN_CAMERA, streams: { main: { url: 'http://10.0.0.5/ch1' } } },
      'streams.main.url',
      'rtsp://',
    ],
    [{ ...DESIGN_CAMERA, streams: { main: { url: 'rtsp://' } } }, 'streams.main.url', 'rtsp://'],
    [
      { ...DESIGN_CAMERA, streams: { main: { url: 'rtsp://a/b' }, sub: { url: 'x' } } },
      'streams.sub.url',
      'rtsp://',
    ],
    [{ ...DESIGN_CAMERA, streams: {} }, 'streams.main', 'is required'],
    [{ ...DESIGN_CAMERA, name: '  ' }, 'name', 'must not be empty'],
    [{ ...DESIGN_CAMERA, name: undefined }, 'name', 'is required'],
    [{ ...DESIGN_CAMERA, transport: 'http' }, 'transport', "'auto', 'tcp', 'udp'"],
    [{ ...DESIGN_CAMERA, recording: { mode: 'motion' } }, 'recording.mode', "'continuous', 'off'"],
    [
      { ...DESIGN_CAMERA, recording: { retentionDays: 0 } },
      'recording.retentionDays',
      'at least 1',
    ],
    [
      { ...DESIGN_CAMERA, recording: { retentionDays: 3651 } },
      'recording.retentionDays',
      'at most 3650',
    ],
    [
      { ...DESIGN_CAMERA, recording: { retentionDays: 1.5 } },
      'recording.retentionDays',
      'whole number',
    ],
    [{ ...DESIGN_CAMERA, recording: { recordSub: 'yes' } }, 'recording.recordSub', 'true or false'],
    [{ ...DESIGN_CAMERA, enabled: 1 }, 'enabled', 'true or false'],
  ])('rejects %j naming %s', (value, field, text) => {
    const error = errorOf(CameraInputSchema, value);
    expect(error.kind).toBe('bad_request');
    expect(error.field).toBe(field);
    expect(error.message).toContain(`${field}: `);
    expect(error.message).toContain(text);
  });
});

describe('CameraPatchSchema', () => {
  it('accepts partial updates, null clears sub and password', () => {
    expect(CameraPatchSchema.parse({ recording: { retentionDays: 7 } })).toEqual({
      recording: { retentionDays: 7 },
    });
    expect(CameraPatchSchema.parse({ streams: { sub: null }, password: null })).toEqual({
      streams: { sub: null },
      password: null,
    });
    expect(CameraPatchSchema.parse({})).toEqual({});
  });
  it('applies no defaults (an absent field stays absent)', () => {
    expect(CameraPatchSchema.parse({ name: 'X' })).toEqual({ name: 'X' });
  });
  it('rejects a bad URL naming the field', () => {
    expect(errorOf(CameraPatchSchema, { streams: { main: { url: 'ftp://x' } } }).field).toBe(
      'streams.main.url',
    );
  });
});

describe('CameraStatusSchema', () => {
  it('accepts the DESIGN example verbatim plus stats fields', () => {
    expect(CameraStatusSchema.parse(DESIGN_STATUS)).toEqual(DESIGN_STATUS);
    const withStats = JSON.parse(JSON.stringify(DESIGN_STATUS)) as typeof DESIGN_STATUS & {
      streams: { main: object };
    };
    Object.assign(withStats.streams.main, {
      gopFrames: 15,
      bytesWritten: 1024,
      reconnects: 2,
      viewers: 1,
    });
    expect(CameraStatusSchema.parse(withStats)).toEqual(withStats);
  });
  it('rejects unknown states and error kinds', () => {
    expect(errorOf(CameraStatusSchema, { ...DESIGN_STATUS, state: 'sleeping' }).field).toBe(
      'state',
    );
    expect(
      errorOf(CameraStatusSchema, { ...DESIGN_STATUS, error: { kind: 'oops', message: '' } }).field,
    ).toBe('error.kind');
  });
});

describe('time windows', () => {
  it('coerces numbers from query strings and defaults the stream', () => {
    expect(TimeWindowQuerySchema.parse({ from: '1000', to: '2000' })).toEqual({
      from: 1000,
      to: 2000,
      stream: 'main',
    });
    expect(TimeWindowQuerySchema.parse({ from: 1000, to: 2000, stream: 'sub' })).toEqual({
      from: 1000,
      to: 2000,
      stream: 'sub',
    });
  });
  it.each([
    [{ from: '2000', to: '1000' }, 'to', 'must be after from'],
    [{ from: '1000', to: '1000' }, 'to', 'must be after from'],
    [{ from: 'abc', to: '1000' }, 'from', 'must be a number'],
    [{ to: '1000' }, 'from', 'is required'],
    [{ from: '-5', to: '1000' }, 'from', 'must be'],
    [{ from: '1.5', to: '1000' }, 'from', 'must be'],
    [{ from: '1', to: '1000', stream: 'third' }, 'stream', "'main', 'sub'"],
  ])('rejects %j naming %s', (value, field, text) => {
    const error = errorOf(TimeWindowQuerySchema, value);
    expect(error.field).toBe(field);
    expect(error.message).toContain(text);
  });
  it('RecordingRanges has the DESIGN shape', () => {
    const v = { ranges: [{ startMs: 1, endMs: 2 }] };
    expect(RecordingRangesSchema.parse(v)).toEqual(v);
  });
  it('snapshot time is optional', () => {
    expect(SnapshotQuerySchema.parse({})).toEqual({ stream: 'main' });
    expect(SnapshotQuerySchema.parse({ time: '5', stream: 'sub' })).toEqual({
      time: 5,
      stream: 'sub',
    });
  });
});

describe('export and probe', () => {
  it('export requests need a camera and an ordered window', () => {
    expect(ExportRequestSchema.parse({ cameraIds: ['a'], from: 1, to: 2 })).toEqual({
      cameraIds: ['a'],
      from: 1,
      to: 2,
      stream: 'main',
      gaps: 'preserve',
    });
    expect(errorOf(ExportRequestSchema, { cameraIds: [], from: 1, to: 2 }).field).toBe('cameraIds');
    expect(errorOf(ExportRequestSchema, { cameraIds: ['../x'], from: 1, to: 2 }).field).toBe(
      'cameraIds.0',
    );
    expect(errorOf(ExportRequestSchema, { cameraIds: ['a'], from: 3, to: 2 }).field).toBe('to');
  });
  it('probe requests name a host', () => {
    expect(ProbeRequestSchema.parse({ host: '10.0.0.5' })).toEqual({ host: '10.0.0.5', port: 80 });
    expect(errorOf(ProbeRequestSchema, { host: 'http://x/' }).field).toBe('host');
    expect(errorOf(ProbeRequestSchema, { host: 'x', port: 70000 }).field).toBe('port');
  });
});

describe('validateInput', () => {
  it('validates a method input and strips the body prefix when asked', () => {
    const bad = validateInput(
      'updateCamera',
      { id: 'c1', patch: { streams: { main: { url: 'x' } } } },
      { dropPrefix: 'patch' },
    );
    expect(bad).toEqual({
      ok: false,
      error: {
        kind: 'bad_request',
        field: 'streams.main.url',
        message: 'streams.main.url: must be an rtsp:// or rtsps:// URL',
      },
    });
    const good = validateInput('listRecordings', { id: 'c1', from: '1', to: '2' });
    expect(good).toEqual({ ok: true, value: { id: 'c1', from: 1, to: 2, stream: 'main' } });
  });
  it('rejects path-like camera ids', () => {
    const r = validateInput('getCamera', { id: '../../etc' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.field).toBe('id');
  });
});
