// `--demo`: starts the project's RTSP server on loopback looping the clips in resources/demo and
// describes one camera per scene pointing at it. It adds nothing by itself: the engine adds the cameras.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { NvrError } from '../base';
import type { Logger } from '../base';
import {
  REDIRECT_QUIRK,
  RTSP_QUIRKS,
  RtspServer,
  quirkCameraUrl,
  quirkMountPath,
} from '../camera/rtsp';
import type { RtspQuirk } from '../camera/rtsp';
import { startFakeOnvifDevices } from '../camera/onvif/demo';
import type { FakeOnvifDevice } from '../camera/onvif/demo';
import type { CameraInput } from '../../src-preload/contract';

export interface DemoScene {
  /** Scene name from the file name: `door` for door-main.h264. */
  scene: string;
  mainFile: string;
  subFile?: string;
}

/** Scenes of a demo folder: every `<scene>-main.h264|h265`, with `<scene>-sub.h264|h265` when present. */
export function findDemoScenes(demoDir: string): DemoScene[] {
  let names: string[];
  try {
    names = readdirSync(demoDir);
  } catch (cause) {
    throw new NvrError(
      'not_found',
      `demo clips not found in ${demoDir} (set NVR_RESOURCES_DIR)`,
      { path: demoDir },
      { cause },
    );
  }
  const scenes: DemoScene[] = [];
  for (const name of names.sort()) {
    const m = /^([a-z0-9_-]+)-main\.(h264|h265)$/.exec(name);
    if (!m) continue;
    const scene = m[1] as string;
    const sub = names.find((n) => n === `${scene}-sub.h264` || n === `${scene}-sub.h265`);
    scenes.push({
      scene,
      mainFile: path.join(demoDir, name),
      ...(sub ? { subFile: path.join(demoDir, sub) } : {}),
    });
  }
  if (scenes.length === 0)
    throw new NvrError('not_found', `no demo clips (<scene>-main.h264) in ${demoDir}`, {
      path: demoDir,
    });
  return scenes;
}

export interface DemoRtspServer {
  listen(opts: { host?: string; port?: number }): Promise<unknown>;
  addClipStream(path: string, opts: { file: string; quirk?: RtspQuirk }): Promise<void>;
  addRedirect?(path: string, location: string): void;
  close(): Promise<void>;
  readonly listeningPort: number;
}

export interface RunningDemo {
  /** rtsp://127.0.0.1:<port> */
  rtspBaseUrl: string;
  cameras: CameraInput[];
  /** The fake ONVIF devices, one per scene (empty when they could not start). */
  onvifDevices: readonly FakeOnvifDevice[];
  close(): Promise<void>;
}

export interface DemoOptions {
  /** WS-Discovery port the fake ONVIF devices share; default 3702 (what a Scan asks), 0 in tests. */
  onvifMulticastPort?: number;
  /** Also one camera per vendor quirk the RTSP server imitates (`--demo-quirks`, camera/rtsp/QUIRKS.md). */
  quirks?: boolean;
}

/** The demo ONVIF devices' login (also the PTZ demo camera's). */
export const DEMO_ONVIF_CREDENTIALS = { username: 'demo', password: 'demo' } as const;

const titleCase = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Starts the RTSP server on 127.0.0.1, port 0, with `/<scene>/main` and `/<scene>/sub` mounts. */
export async function startDemo(
  demoDir: string,
  logger: Logger,
  createServer: () => DemoRtspServer = () => new RtspServer(),
  options: DemoOptions = {},
): Promise<RunningDemo> {
  const scenes = findDemoScenes(demoDir);
  const server = createServer();
  try {
    for (const s of scenes) {
      await server.addClipStream(`/${s.scene}/main`, { file: s.mainFile });
      if (s.subFile) await server.addClipStream(`/${s.scene}/sub`, { file: s.subFile });
    }
    if (options.quirks) await addQuirkMounts(server, scenes[0]!);
    await server.listen({ host: '127.0.0.1', port: 0 });
  } catch (err) {
    await server.close().catch(() => undefined);
    throw err;
  }
  const rtspBaseUrl = `rtsp://127.0.0.1:${server.listeningPort}`;
  logger.info({ rtsp: rtspBaseUrl, scenes: scenes.map((s) => s.scene) }, 'demo cameras streaming');
  const onvifDevices = await startDemoOnvifDevices(
    scenes.map((s) => s.scene),
    rtspBaseUrl,
    logger,
    options.onvifMulticastPort ?? 3702,
  );
  // The last scene's camera is linked to its fake ONVIF device, so the demo has a PTZ camera.
  const ptzIndex = onvifDevices.length === scenes.length ? scenes.length - 1 : -1;
  const cameras: CameraInput[] = scenes.map((s, i) => ({
    name: titleCase(s.scene),
    streams: {
      main: { url: `${rtspBaseUrl}/${s.scene}/main` },
      ...(s.subFile ? { sub: { url: `${rtspBaseUrl}/${s.scene}/sub` } } : {}),
    },
    transport: 'tcp',
    recording: { mode: 'continuous', retentionDays: 1, recordSub: true },
    ...(i === ptzIndex
      ? {
          username: DEMO_ONVIF_CREDENTIALS.username,
          password: DEMO_ONVIF_CREDENTIALS.password,
          onvif: { host: '127.0.0.1', port: onvifDevices[i]!.port, profileToken: 'profile_main' },
        }
      : {}),
  }));
  if (options.quirks) cameras.push(...quirkCameras(rtspBaseUrl));
  return {
    rtspBaseUrl,
    cameras,
    onvifDevices,
    close: async () => {
      await Promise.all(onvifDevices.map((d) => d.close()));
      await server.close();
    },
  };
}

/** One mount per vendor quirk (`/quirk/<name>`), looping the first scene's sub stream. */
async function addQuirkMounts(server: DemoRtspServer, scene: DemoScene): Promise<void> {
  const file = scene.subFile ?? scene.mainFile;
  for (const quirk of RTSP_QUIRKS)
    await server.addClipStream(quirkMountPath(quirk.name), { file, quirk });
  const redirect = quirkMountPath(REDIRECT_QUIRK.name);
  await server.addClipStream(`${redirect}/moved`, { file });
  server.addRedirect?.(redirect, `${redirect}/moved`);
}

function quirkCameras(rtspBaseUrl: string): CameraInput[] {
  const camera = (name: string, url: string, creds?: RtspQuirk['credentials']): CameraInput => ({
    name: `Quirk ${name}`,
    streams: { main: { url } },
    transport: 'tcp',
    recording: { mode: 'continuous', retentionDays: 1, recordSub: false },
    ...(creds ? { username: creds.username, password: creds.password } : {}),
  });
  return [
    ...RTSP_QUIRKS.map((q) =>
      q.credentials
        ? camera(q.name, `${rtspBaseUrl}${quirkMountPath(q.name)}`, q.credentials)
        : camera(q.name, quirkCameraUrl(rtspBaseUrl, q)),
    ),
    camera(REDIRECT_QUIRK.name, `${rtspBaseUrl}${quirkMountPath(REDIRECT_QUIRK.name)}`),
  ];
}

/**
 * One fake ONVIF device per scene (answering WS-Discovery on loopback, credentials demo/demo), so the
 * Add-camera wizard's Scan finds cameras in the demo. Best effort: the demo runs without them if the
 * WS-Discovery port cannot be shared.
 */
async function startDemoOnvifDevices(
  scenes: string[],
  rtspBaseUrl: string,
  logger: Logger,
  multicastPort: number,
): Promise<FakeOnvifDevice[]> {
  try {
    const devices = await startFakeOnvifDevices(scenes.length, (i) => ({
      name: `Demo ${titleCase(scenes[i]!)} (ONVIF)`,
      rtspBaseUrl: `${rtspBaseUrl}/${scenes[i]!}`,
      credentials: DEMO_ONVIF_CREDENTIALS,
      discovery: { multicastPort, interfaceAddress: '127.0.0.1' },
    }));
    logger.info(
      { devices: devices.map((d) => d.xaddr), username: 'demo', password: 'demo' },
      'demo ONVIF devices answering WS-Discovery on loopback',
    );
    return devices;
  } catch (err) {
    logger.warn({ err: String(err) }, 'demo ONVIF devices not started');
    return [];
  }
}
