// Turns a probe result into a camera to add: main and sub stream URLs from the chosen profiles,
// credentials, a name and the ONVIF link PTZ needs. Pure; the engine stores the camera.
import { NvrError } from '../../base';
import type {
  CameraInput,
  MediaProfile,
  ProbeResult,
  RecordingConfig,
  Transport,
} from '../../../src-preload/contract';

export interface CameraFromProbeOptions {
  /** Default: the device's ONVIF name, else manufacturer and model, else the host. */
  name?: string;
  /** Profile tokens; default the probe's choice (largest main, smallest sub). `subProfile: null`: no sub stream. */
  mainProfile?: string;
  subProfile?: string | null;
  username?: string;
  password?: string;
  transport?: Transport;
  recording?: Partial<RecordingConfig>;
}

function pick(
  probe: ProbeResult,
  token: string,
  role: 'main' | 'sub',
): MediaProfile & { rtspUrl: string } {
  const p = probe.profiles.find((q) => q.token === token);
  const field = role === 'main' ? 'mainProfile' : 'subProfile';
  if (!p) throw new NvrError('bad_request', `the device has no profile ${token}`, { field });
  if (!p.rtspUrl)
    throw new NvrError('bad_request', `profile ${p.name} (${token}) has no stream URI`, { field });
  return p as MediaProfile & { rtspUrl: string };
}

export function defaultCameraName(probe: ProbeResult): string {
  const byModel = [probe.device.manufacturer, probe.device.model]
    .filter((s) => s && s.trim())
    .join(' ');
  const name = (probe.name?.trim() || byModel || probe.host || 'ONVIF camera').slice(0, 100);
  return name;
}

export function cameraFromProbe(
  probe: ProbeResult,
  opts: CameraFromProbeOptions = {},
): CameraInput {
  const mainToken = opts.mainProfile ?? probe.mainProfile;
  if (mainToken === undefined)
    throw new NvrError(
      'bad_request',
      `ONVIF device ${probe.host ?? ''} offers no profile with a stream URI`,
      { field: 'mainProfile' },
    );
  const main = pick(probe, mainToken, 'main');
  const subToken =
    opts.subProfile === null
      ? undefined
      : (opts.subProfile ?? (probe.subProfile !== main.token ? probe.subProfile : undefined));
  const sub = subToken === undefined ? undefined : pick(probe, subToken, 'sub');
  return {
    name: opts.name?.trim() || defaultCameraName(probe),
    streams: { main: { url: main.rtspUrl }, ...(sub ? { sub: { url: sub.rtspUrl } } : {}) },
    ...(opts.username ? { username: opts.username } : {}),
    ...(opts.username && opts.password !== undefined ? { password: opts.password } : {}),
    ...(opts.transport ? { transport: opts.transport } : {}),
    ...(opts.recording ? { recording: opts.recording } : {}),
    ...(probe.host
      ? { onvif: { host: probe.host, port: probe.port ?? 80, profileToken: main.token } }
      : {}),
  };
}
