// Pure form logic of the add-camera wizard and the settings panel: RTSP form → CameraInput, settings form
// → minimal CameraPatch, discovered devices merged as they arrive. No API, no DOM.
import type {
  Camera,
  CameraInput,
  CameraPatch,
  CameraStreamTestRequest,
  DiscoveredDevice,
  StreamTestRequest,
} from '../../../src-preload/contract';

export interface RtspForm {
  name: string;
  mainUrl: string;
  subUrl: string;
  username: string;
  password: string;
}

export type FormResult<T> = { ok: true; value: T } | { ok: false; error: string };

const RTSP = /^rtsps?:\/\/[^\s/]+/i;

/** The addCamera body of the RTSP tab, or what is wrong in words. */
export function rtspFormToInput(f: RtspForm): FormResult<CameraInput> {
  const name = f.name.trim();
  if (!name) return { ok: false, error: 'Give the camera a name.' };
  if (!RTSP.test(f.mainUrl.trim()))
    return { ok: false, error: 'The main stream URL must start with rtsp:// and a host.' };
  if (f.subUrl.trim() && !RTSP.test(f.subUrl.trim()))
    return { ok: false, error: 'The sub stream URL must start with rtsp:// and a host.' };
  const input: CameraInput = {
    name,
    streams: {
      main: { url: f.mainUrl.trim() },
      ...(f.subUrl.trim() ? { sub: { url: f.subUrl.trim() } } : {}),
    },
  };
  if (f.username) input.username = f.username;
  if (f.password) input.password = f.password;
  return { ok: true, value: input };
}

export interface SettingsForm {
  name: string;
  enabled: boolean;
  mainUrl: string;
  subUrl: string;
  username: string;
  /** Empty: keep the stored password. */
  password: string;
  transport: Camera['transport'];
  mode: Camera['recording']['mode'];
  retentionDays: number;
}

export function settingsFormOf(c: Camera): SettingsForm {
  return {
    name: c.name,
    enabled: c.enabled,
    mainUrl: c.streams.main.url,
    subUrl: c.streams.sub?.url ?? '',
    username: c.username ?? '',
    password: '',
    transport: c.transport,
    mode: c.recording.mode,
    retentionDays: c.recording.retentionDays,
  };
}

/** Only what changed, as an updateCamera patch (empty object when nothing did), or what is wrong. */
export function settingsPatch(c: Camera, f: SettingsForm): FormResult<CameraPatch> {
  const p: CameraPatch = {};
  if (!f.name.trim()) return { ok: false, error: 'The name must not be empty.' };
  if (!RTSP.test(f.mainUrl.trim()))
    return { ok: false, error: 'The main stream URL must start with rtsp://.' };
  if (f.subUrl.trim() && !RTSP.test(f.subUrl.trim()))
    return { ok: false, error: 'The sub stream URL must start with rtsp://.' };
  if (!Number.isInteger(f.retentionDays) || f.retentionDays < 1 || f.retentionDays > 3650)
    return { ok: false, error: 'Keep recordings for 1 to 3650 days.' };
  if (f.name.trim() !== c.name) p.name = f.name.trim();
  if (f.enabled !== c.enabled) p.enabled = f.enabled;
  const streams: NonNullable<CameraPatch['streams']> = {};
  if (f.mainUrl.trim() !== c.streams.main.url) streams.main = { url: f.mainUrl.trim() };
  const sub = f.subUrl.trim();
  if (sub !== (c.streams.sub?.url ?? '')) streams.sub = sub ? { url: sub } : null;
  if (Object.keys(streams).length > 0) p.streams = streams;
  if (f.username !== (c.username ?? '')) p.username = f.username || null;
  if (f.password) p.password = f.password;
  if (f.transport !== c.transport) p.transport = f.transport;
  const rec: NonNullable<CameraPatch['recording']> = {};
  if (f.mode !== c.recording.mode) rec.mode = f.mode;
  if (f.retentionDays !== c.recording.retentionDays) rec.retentionDays = f.retentionDays;
  if (Object.keys(rec).length > 0) p.recording = rec;
  return { ok: true, value: p };
}

/**
 * Adds a discovered device. Rows keep the order in which devices first answered: a device answering
 * again (a second Probe, the final discover() result, "Scan again") is updated in place, a new one is
 * appended, so no row moves under the pointer while a scan is still running.
 */
export function mergeDevice(
  list: readonly DiscoveredDevice[],
  d: DiscoveredDevice,
): DiscoveredDevice[] {
  const at = list.findIndex((x) => deviceAddress(x) === deviceAddress(d));
  if (at < 0) return [...list, d];
  const out = list.slice();
  out[at] = { ...list[at]!, ...d };
  return out;
}

/** "Axis P3245" (what the device calls itself), or undefined when it says nothing. */
export function deviceName(d: DiscoveredDevice): string | undefined {
  return d.name ?? ([d.manufacturer, d.model].filter(Boolean).join(' ') || undefined);
}

/** "10.0.0.5:80" ("[fe80::1]:80" for IPv6): where the device's ONVIF service answers. */
export function deviceAddress(d: DiscoveredDevice): string {
  const host = d.host.includes(':') ? `[${d.host}]` : d.host;
  return `${host}:${d.port ?? 80}`;
}

/** "Axis P3245 · 10.0.0.5:80" */
export function deviceLabel(d: DiscoveredDevice): string {
  const name = deviceName(d);
  return name ? `${name} · ${deviceAddress(d)}` : deviceAddress(d);
}

/** The testStream request of the RTSP tab's main URL, or what is wrong in words. */
export function rtspFormToTest(f: RtspForm): FormResult<StreamTestRequest> {
  const url = f.mainUrl.trim();
  if (!RTSP.test(url))
    return { ok: false, error: 'The main stream URL must start with rtsp:// and a host.' };
  return {
    ok: true,
    value: {
      url,
      ...(f.username ? { username: f.username } : {}),
      ...(f.password ? { password: f.password } : {}),
      width: 480,
    },
  };
}

/**
 * The testCameraStream request of the settings form's main URL, or what is wrong in words. The engine
 * lays these edits over the stored camera: an empty password field means the stored password.
 */
export function settingsFormToTest(
  c: Camera,
  f: SettingsForm,
): FormResult<CameraStreamTestRequest> {
  const url = f.mainUrl.trim();
  if (!RTSP.test(url))
    return { ok: false, error: 'The main stream URL must start with rtsp:// and a host.' };
  return {
    ok: true,
    value: {
      id: c.id,
      stream: 'main',
      url,
      ...(f.username !== (c.username ?? '') ? { username: f.username || null } : {}),
      ...(f.password ? { password: f.password } : {}),
      transport: f.transport,
      width: 480,
    },
  };
}

/** "H.264 · 1920×1080 · 25 fps" from what a stream test or a profile says (parts left out when unknown). */
export function streamFormat(s: {
  codec?: string | undefined;
  width?: number | undefined;
  height?: number | undefined;
  fps?: number | undefined;
}): string {
  const codec = s.codec?.toLowerCase();
  const codecName = codec === 'h264' ? 'H.264' : codec === 'h265' ? 'H.265' : s.codec;
  return [
    codecName,
    s.width && s.height ? `${s.width}×${s.height}` : '',
    s.fps ? `${Math.round(s.fps * 10) / 10} fps` : '',
  ]
    .filter(Boolean)
    .join(' · ');
}
