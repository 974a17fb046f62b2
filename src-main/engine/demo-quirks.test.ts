// `--demo-quirks`: the demo adds one camera per imitated vendor quirk, each a valid camera whose
// stream the RTSP client can open.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../base';
import { REDIRECT_QUIRK, RTSP_QUIRKS, RtspClient } from '../camera/rtsp';
import { CameraInputSchema } from '../../src-preload/contract';
import { parseCommandLine } from './config';
import { startDemo } from './demo';
import type { RunningDemo } from './demo';
import { findProjectRoot } from './paths';

const DEMO = path.join(findProjectRoot()!, 'resources', 'demo');
let demo: RunningDemo;

beforeAll(async () => {
  demo = await startDemo(DEMO, createLogger({ level: 'error' }), undefined, {
    onvifMulticastPort: 0,
    quirks: true,
  });
});
afterAll(async () => {
  await demo.close();
});

describe('demo quirk cameras', () => {
  it('--demo-quirks turns the demo on with quirk cameras', () => {
    const parsed = parseCommandLine(['--demo-quirks', '--data', '/tmp/x'], {});
    expect(parsed).toMatchObject({ kind: 'run', config: { demo: true, demoQuirks: true } });
  });

  it('adds one valid camera per quirk', () => {
    const names = [...RTSP_QUIRKS.map((q) => q.name), REDIRECT_QUIRK.name];
    const quirkCams = demo.cameras.filter((c) => c.name.startsWith('Quirk '));
    expect(quirkCams.map((c) => c.name)).toEqual(names.map((n) => `Quirk ${n}`));
    for (const c of quirkCams) CameraInputSchema.parse(c);
  });

  it.each(['dahua-content-base-query', 'hikvision-password-reserved-chars', REDIRECT_QUIRK.name])(
    'the %s camera streams',
    async (name) => {
      const cam = demo.cameras.find((c) => c.name === `Quirk ${name}`)!;
      const client = new RtspClient({
        url: cam.streams.main.url,
        transport: 'tcp',
        ...(cam.username !== undefined ? { username: cam.username } : {}),
        ...(cam.password !== undefined ? { password: cam.password } : {}),
      });
      const track = await client.connect();
      expect(track).toMatchObject({ codec: 'h264', width: 640, height: 360 });
      await client.close();
    },
  );
});
