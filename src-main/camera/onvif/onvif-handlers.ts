// The NvrApi handlers for ONVIF (discover, probe, addCameraFromProbe, PTZ) over an OnvifService, for the
// engine to spread into its handler table. Camera storage stays the engine's: it is passed in.
import { NvrError } from '../../base';
import { CameraInputSchema } from '../../../src-preload/contract';
import type {
  Camera,
  CameraConfig,
  DiscoveredDevice,
  NvrEventMap,
  NvrEventName,
  NvrHandlers,
} from '../../../src-preload/contract';
import type { OnvifService } from './onvif-service';
import type { PtzTarget } from './ptz';

export const ONVIF_METHODS = [
  'discover',
  'probe',
  'addCameraFromProbe',
  'getPtz',
  'ptzMove',
  'ptzStop',
  'ptzHome',
  'listPtzPresets',
  'gotoPtzPreset',
  'setPtzPreset',
] as const;
export type OnvifMethodName = (typeof ONVIF_METHODS)[number];

export interface OnvifHandlerDeps {
  service: OnvifService;
  /** A stored camera's config (with its password), or undefined when there is no such camera. */
  getCameraConfig(id: string): CameraConfig | undefined;
  /** The engine's addCamera (validated config in, API camera out; emits `camera.added`). */
  addCamera(config: CameraConfig): Promise<Camera>;
  emit<K extends NvrEventName>(type: K, payload: NvrEventMap[K]): void;
}

const isLoopback = (host: string) => /^127\./.test(host) || host === '::1' || host === 'localhost';

function urlHost(url: string): string | undefined {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return undefined;
  }
}

/**
 * "Already added": a camera linked to this ONVIF host and port, or (for cameras added by RTSP URL)
 * one streaming from the same host. Loopback is matched by the ONVIF link only, since many (demo)
 * devices share 127.0.0.1.
 */
export function isDeviceAdded(
  cameras: readonly CameraConfig[],
  host: string,
  device: DiscoveredDevice,
): boolean {
  return cameras.some((c) => {
    if (c.onvif)
      return c.onvif.host === host && (device.port === undefined || c.onvif.port === device.port);
    if (isLoopback(host)) return false;
    return [c.streams.main.url, c.streams.sub?.url].some(
      (u) => u !== undefined && urlHost(u) === host,
    );
  });
}

export function createOnvifHandlers(deps: OnvifHandlerDeps): Pick<NvrHandlers, OnvifMethodName> {
  const { service } = deps;
  const target = (id: string): PtzTarget => {
    const config = deps.getCameraConfig(id);
    if (!config) throw new NvrError('not_found', `no camera ${id}`, { field: 'id', camera: id });
    if (!config.onvif)
      throw new NvrError('bad_request', `camera ${id} was not added from ONVIF, so it has no PTZ`, {
        field: 'id',
        camera: id,
      });
    return {
      host: config.onvif.host,
      port: config.onvif.port,
      ...(config.username ? { username: config.username, password: config.password ?? '' } : {}),
      ...(config.onvif.profileToken ? { profileToken: config.onvif.profileToken } : {}),
    };
  };
  const ok = { ok: true as const };

  return {
    discover: async ({ timeoutMs, unicastHosts }) => {
      const report = await service.discover(
        { timeoutMs, ...(unicastHosts ? { unicastHosts } : {}) },
        (device) => deps.emit('discovery.result', { device }),
      );
      deps.emit('discovery.done', { count: report.devices.length });
      return { devices: report.devices };
    },
    probe: async (input) => service.probe(input),
    addCameraFromProbe: async ({
      host,
      port,
      username,
      password,
      name,
      mainProfile,
      subProfile,
      transport,
      recording,
    }) => {
      const probe = await service.probe({
        host,
        port,
        ...(username ? { username, password: password ?? '' } : {}),
      });
      const input = service.cameraFromProbe(probe, {
        ...(name ? { name } : {}),
        ...(mainProfile ? { mainProfile } : {}),
        ...(subProfile !== undefined ? { subProfile } : {}),
        ...(username ? { username, password: password ?? '' } : {}),
        ...(transport ? { transport } : {}),
        ...(recording ? { recording } : {}),
      });
      return deps.addCamera(CameraInputSchema.parse(input));
    },
    getPtz: async ({ id }) => {
      const config = deps.getCameraConfig(id);
      if (!config) throw new NvrError('not_found', `no camera ${id}`, { field: 'id', camera: id });
      if (!config.onvif) return { supported: false, home: false, presets: [] };
      const caps = await service.ptzCapabilities(target(id));
      return {
        supported: caps.supported,
        home: caps.home,
        ...(caps.maxPresets !== undefined ? { maxPresets: caps.maxPresets } : {}),
        presets: caps.presets,
      };
    },
    ptzMove: async ({ id, pan, tilt, zoom, timeoutMs }) => {
      await service.ptzMove(target(id), { pan, tilt, zoom }, timeoutMs);
      return ok;
    },
    ptzStop: async ({ id }) => (await service.ptzStop(target(id)), ok),
    ptzHome: async ({ id }) => (await service.ptzHome(target(id)), ok),
    listPtzPresets: async ({ id }) => ({ presets: await service.ptzPresets(target(id)) }),
    gotoPtzPreset: async ({ id, token }) => (await service.ptzGotoPreset(target(id), token), ok),
    setPtzPreset: async ({ id, name }) => service.ptzSetPreset(target(id), name),
  };
}
