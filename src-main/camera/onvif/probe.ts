// Probing one ONVIF device with credentials: clock, device information, services, media profiles
// (Media2 where offered, else Media1), stream and snapshot URIs with the host corrected, main/sub
// chosen by resolution, PTZ support. Returns the contract's ProbeResult; never stores anything.
import { NvrError, isNvrError } from '../../base';
import type { MediaProfile, ProbeResult } from '../../../src-preload/contract';
import { OnvifClient } from './onvif-client';
import type { OnvifClientOptions } from './onvif-client';
import { parseScopes } from './ws-discovery';

export interface ProbeOptions extends OnvifClientOptions {
  /** A clock difference above this gets a warning (default 60 s). */
  clockSkewWarnMs?: number;
}

/** What onvif's Cam hands back for a profile (xml2js, "linerased"); only the fields read here. */
interface CamProfile {
  $?: { token?: unknown };
  name?: unknown;
  videoEncoderConfiguration?: {
    encoding?: unknown;
    resolution?: { width?: unknown; height?: unknown };
    rateControl?: { frameRateLimit?: unknown; bitrateLimit?: unknown };
  };
  PTZConfiguration?: unknown;
}

const num = (v: unknown) =>
  typeof v === 'number' && Number.isFinite(v)
    ? v
    : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))
      ? Number(v)
      : undefined;
const str = (v: unknown) =>
  typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;

function codecName(encoding: unknown): string | undefined {
  const e = str(encoding)?.toLowerCase();
  if (e === undefined) return undefined;
  if (e === 'h264' || e === 'avc') return 'h264';
  if (e === 'h265' || e === 'hevc') return 'h265';
  return e;
}

function toProfile(p: CamProfile): (MediaProfile & { ptz: boolean }) | undefined {
  const token = str(p.$?.token);
  if (token === undefined) return undefined;
  const enc = p.videoEncoderConfiguration;
  const fields = {
    codec: codecName(enc?.encoding),
    width: num(enc?.resolution?.width),
    height: num(enc?.resolution?.height),
    fps: num(enc?.rateControl?.frameRateLimit),
    bitrateKbps: num(enc?.rateControl?.bitrateLimit),
  };
  const out: MediaProfile & { ptz: boolean } = {
    token,
    name: str(p.name) ?? token,
    ptz: p.PTZConfiguration !== undefined,
  };
  for (const [k, v] of Object.entries(fields))
    if (v !== undefined)
      (out as Record<string, unknown>)[k] =
        k === 'width' || k === 'height' ? Math.round(v as number) : v;
  return out;
}

/**
 * Puts the probed host into a URI the camera reported (cameras behind NAT, with a stale address or
 * `0.0.0.0` report the wrong one) and drops embedded credentials. Undefined for an unreadable URI.
 */
export function correctUriHost(
  uri: string,
  host: string,
): { url: string; corrected: boolean } | undefined {
  let u: URL;
  try {
    u = new URL(uri.trim());
  } catch {
    return undefined;
  }
  if (!/^(rtsps?|https?):$/i.test(u.protocol) || u.hostname === '') return undefined;
  const want = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const corrected = u.hostname.toLowerCase() !== want.toLowerCase();
  if (corrected) u.hostname = want;
  u.username = '';
  u.password = '';
  return { url: u.toString(), corrected };
}

const KNOWN_CODECS = new Set(['h264', 'h265']);

/** Main: the largest profile with a stream (H.264/H.265 first); sub: the smallest one below it. */
export function chooseMainAndSub(profiles: readonly MediaProfile[]): {
  main?: string;
  sub?: string;
} {
  const area = (p: MediaProfile) => (p.width ?? 0) * (p.height ?? 0);
  const usable = profiles.filter((p) => p.rtspUrl);
  const known = usable.filter((p) => p.codec === undefined || KNOWN_CODECS.has(p.codec));
  const pool = known.length > 0 ? known : usable;
  const sorted = [...pool].sort((a, b) => area(b) - area(a));
  const main = sorted[0];
  if (!main) return {};
  const sub = sorted.filter((p) => p.token !== main.token && area(p) < area(main)).at(-1);
  return { main: main.token, ...(sub ? { sub: sub.token } : {}) };
}

function describeSkew(skewMs: number): string {
  const abs = Math.abs(Math.round(skewMs / 1000));
  const text = abs >= 60 ? `${Math.floor(abs / 60)} min ${abs % 60} s` : `${abs} s`;
  return `${text} ${skewMs > 0 ? 'ahead of' : 'behind'}`;
}

const isFatal = (err: unknown) =>
  isNvrError(err, 'auth') || isNvrError(err, 'timeout') || isNvrError(err, 'unreachable');

/** Probes one device; throws NvrError (`auth` naming the device, `timeout`, `unreachable`, `malformed`, `protocol`). */
export async function probeOnvifDevice(opts: ProbeOptions): Promise<ProbeResult> {
  const client = new OnvifClient(opts);
  const cam = client.cam;
  const warnings: string[] = [];

  const { skewMs } = await client.readClock();
  if (Math.abs(skewMs) > (opts.clockSkewWarnMs ?? 60_000)) {
    warnings.push(
      `The camera's clock is ${describeSkew(skewMs)} this computer's. Cameras reject WS-Security digest sign-ins ` +
        `whose time is more than a few minutes (often 5) off their own clock; this NVR corrects for it, but other ` +
        `software may fail to sign in and the camera's on-screen time is wrong. Set the camera's clock or enable NTP on it.`,
    );
  }

  // Device information needs the credentials: PasswordDigest first, then PasswordText.
  let info: Record<string, unknown>;
  try {
    info = await client.call('GetDeviceInformation', (cb) => cam.getDeviceInformation(cb));
  } catch (err) {
    if (!isNvrError(err, 'auth') || client.authMode !== 'digest') {
      if (isNvrError(err, 'auth') && !opts.username)
        throw new NvrError(
          'auth',
          `ONVIF device ${client.label} needs a username and password`,
          { device: client.label },
          { cause: err },
        );
      throw err;
    }
    client.authMode = 'text';
    try {
      info = await client.call('GetDeviceInformation', (cb) => cam.getDeviceInformation(cb));
      warnings.push(
        'The camera accepted the password only as WS-Security PasswordText (sent unhashed).',
      );
    } catch (err2) {
      throw isNvrError(err2, 'auth') ? err : err2;
    }
  }

  try {
    await client.call('GetServices', (cb) => cam.getServices(true, cb));
  } catch (err) {
    if (isFatal(err)) throw err;
    await client.call('GetCapabilities', (cb) => cam.getCapabilities(cb));
  }
  const internals = client.internals;
  if (!internals.uri?.media && !internals.uri?.media2)
    throw new NvrError(
      'protocol',
      `ONVIF device ${client.label} has no media service (not a camera?)`,
      { device: client.label },
    );

  let camProfiles: CamProfile[];
  let mediaService: 'media2' | 'media1' = internals.media2Support ? 'media2' : 'media1';
  try {
    camProfiles = await client.call<CamProfile[]>('GetProfiles', (cb) => cam.getProfiles(cb));
  } catch (err) {
    if (mediaService !== 'media2' || !internals.uri?.media || isFatal(err)) throw err;
    warnings.push(`Media2 GetProfiles failed (${(err as Error).message}); used Media1.`);
    internals.media2Support = false;
    mediaService = 'media1';
    camProfiles = await client.call<CamProfile[]>('GetProfiles', (cb) => cam.getProfiles(cb));
  }
  const profiles = (Array.isArray(camProfiles) ? camProfiles : [])
    .map(toProfile)
    .filter((p) => p !== undefined);
  if (profiles.length === 0)
    throw new NvrError('protocol', `ONVIF device ${client.label} has no media profiles`, {
      device: client.label,
    });

  const streamOptions =
    mediaService === 'media2'
      ? { protocol: 'RtspUnicast' }
      : { protocol: 'RTSP', stream: 'RTP-Unicast' };
  const corrected = new Set<string>();
  await Promise.all(
    profiles.map(async (p) => {
      const [stream, snapshot] = await Promise.allSettled([
        client.call<{ uri?: unknown }>(`GetStreamUri ${p.token}`, (cb) =>
          cam.getStreamUri({ ...streamOptions, profileToken: p.token }, cb),
        ),
        client.call<{ uri?: unknown }>(`GetSnapshotUri ${p.token}`, (cb) =>
          cam.getSnapshotUri({ profileToken: p.token }, cb),
        ),
      ]);
      if (stream.status === 'rejected' && isFatal(stream.reason)) throw stream.reason;
      const rtsp = stream.status === 'fulfilled' ? str(stream.value?.uri) : undefined;
      const fixed = rtsp ? correctUriHost(rtsp, opts.host) : undefined;
      if (fixed) {
        p.rtspUrl = fixed.url;
        if (fixed.corrected) corrected.add(new URL(rtsp!).hostname);
      } else {
        const why =
          stream.status === 'rejected'
            ? (stream.reason as Error).message
            : rtsp
              ? `unreadable URI ${rtsp}`
              : 'empty URI';
        warnings.push(`Profile ${p.name} (${p.token}) has no stream URI: ${why}`);
      }
      const snap = snapshot.status === 'fulfilled' ? str(snapshot.value?.uri) : undefined;
      const snapFixed = snap ? correctUriHost(snap, opts.host) : undefined;
      if (snapFixed) p.snapshotUrl = snapFixed.url;
    }),
  );
  if (corrected.size > 0)
    warnings.push(
      `The camera reported its streams at ${[...corrected].join(', ')}; using ${opts.host}, where it answered.`,
    );

  let name: string | undefined;
  try {
    const scopes = await client.call<unknown>('GetScopes', (cb) => cam.getScopes(cb));
    const items = (Array.isArray(scopes) ? scopes : [])
      .map((s) => str((s as { scopeItem?: unknown }).scopeItem))
      .filter((s) => s !== undefined);
    name = parseScopes(items).name;
  } catch {
    // Optional: the name is a nicety.
  }

  const ptzSupported = internals.uri?.ptz !== undefined && profiles.some((p) => p.ptz);
  const { main, sub } = chooseMainAndSub(profiles);
  const device = {
    manufacturer: str(info.manufacturer),
    model: str(info.model),
    firmwareVersion: str(info.firmwareVersion),
    serialNumber: str(info.serialNumber),
    hardwareId: str(info.hardwareId),
  };
  return {
    device: Object.fromEntries(Object.entries(device).filter(([, v]) => v !== undefined)),
    profiles,
    host: opts.host,
    port: opts.port,
    ...(name ? { name } : {}),
    mediaService,
    ...(main ? { mainProfile: main } : {}),
    ...(sub ? { subProfile: sub } : {}),
    authMode: client.authMode,
    clockSkewMs: skewMs,
    ptz: { supported: ptzSupported },
    warnings,
  };
}
