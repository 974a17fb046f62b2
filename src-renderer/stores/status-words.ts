// Camera status in words and tones, as tiles, the sidebar and the timeline show it ("offline: wrong password").
// Pure functions of a CameraStatus; no store, no DOM.
import type { CameraStatus, ErrorKind, StreamStatus } from '../../src-preload/contract';

/** Colour family of a state dot / label. */
export type StatusTone = 'ok' | 'busy' | 'warn' | 'bad' | 'idle';

export interface StatusWords {
  tone: StatusTone;
  /** Short label: 'live', 'connecting', 'offline: wrong password'. */
  label: string;
  /** Longer hint for the tile centre, or null when nothing is wrong. */
  hint: string | null;
  /** Whether the fix lives in the camera's settings (wrong password, bad URL, codec). */
  fixInSettings: boolean;
}

const REASON: Partial<Record<ErrorKind, string>> = {
  auth: 'wrong password',
  unauthorized: 'wrong password',
  unreachable: 'unreachable',
  timeout: 'not responding',
  unsupported_codec: 'unsupported codec',
  protocol: 'protocol error',
  malformed: 'bad stream',
  not_found: 'stream not found',
  disk: 'disk error',
};

const HINT: Partial<Record<ErrorKind, string>> = {
  auth: 'The camera refused the user name or password.',
  unauthorized: 'The camera refused the user name or password.',
  unreachable: 'No answer from the camera. Check that it is powered and on the network.',
  timeout: 'The camera stopped answering in time.',
  unsupported_codec:
    'The camera sends a codec this NVR cannot record. Choose H.264 or H.265 in the camera.',
  not_found: 'The RTSP path was not found on the camera. Check the stream URL.',
};

const SETTINGS_KINDS = new Set<ErrorKind>([
  'auth',
  'unauthorized',
  'unsupported_codec',
  'not_found',
]);

export function reasonOf(kind: ErrorKind | undefined): string {
  return (kind && REASON[kind]) ?? 'error';
}

export function describeStatus(status: CameraStatus | undefined, enabled = true): StatusWords {
  if (!enabled)
    return {
      tone: 'idle',
      label: 'disabled',
      hint: 'Recording and live view are off for this camera.',
      fixInSettings: true,
    };
  if (!status)
    return { tone: 'idle', label: 'waiting for status', hint: null, fixInSettings: false };
  const kind = status.error?.kind;
  switch (status.state) {
    case 'streaming':
      return { tone: 'ok', label: 'live', hint: null, fixInSettings: false };
    case 'connecting':
      return { tone: 'busy', label: 'connecting', hint: null, fixInSettings: false };
    case 'idle':
      return { tone: 'idle', label: 'idle', hint: null, fixInSettings: false };
    case 'reconnecting':
      return {
        tone: 'warn',
        label: kind ? `reconnecting: ${reasonOf(kind)}` : 'reconnecting',
        hint: (kind && HINT[kind]) ?? status.error?.message ?? null,
        fixInSettings: kind !== undefined && SETTINGS_KINDS.has(kind),
      };
    case 'failed':
      return {
        tone: 'bad',
        label: `offline: ${reasonOf(kind)}`,
        hint: (kind && HINT[kind]) ?? status.error?.message ?? null,
        fixInSettings: kind === undefined || SETTINGS_KINDS.has(kind),
      };
  }
}

export interface HealthWords {
  /** Degraded is a warning, broken an error. */
  tone: 'warn' | 'bad';
  /** Short: 'degraded', 'no picture'. */
  label: string;
  /** The engine's reason, naming the stream: "Main stream: 3 % of frames lost over UDP, try TCP". */
  hint: string;
}

const STREAM_LABEL = { main: 'Main stream', sub: 'Sub stream' } as const;

/**
 * What a decoder sees of the camera's streams, when it is not fine: the worst verdict over main and
 * sub (main first on a tie), or null when every stream decodes clean or none reports health yet.
 */
export function healthWords(status: CameraStatus | undefined): HealthWords | null {
  if (!status) return null;
  let worst: HealthWords | null = null;
  for (const k of ['main', 'sub'] as const) {
    const h = status.streams[k]?.health;
    if (!h || h.verdict === 'ok') continue;
    const tone = h.verdict === 'broken' ? 'bad' : 'warn';
    if (worst && (worst.tone === 'bad' || tone === 'warn')) continue;
    const hint = `${STREAM_LABEL[k]}: ${h.reason ?? h.verdict}`;
    worst = { tone, label: tone === 'bad' ? 'no picture' : 'degraded', hint };
  }
  return worst;
}

/** "25 fps · 1.1 Mb/s · 1280×720" for the stream a tile shows; empty when nothing is measured yet. */
export function streamFacts(stream: StreamStatus | undefined): string[] {
  if (!stream) return [];
  const out: string[] = [];
  if (stream.fps !== undefined) out.push(`${Math.round(stream.fps)} fps`);
  if (stream.bitrateKbps !== undefined) out.push(formatBitrate(stream.bitrateKbps));
  if (stream.width && stream.height) out.push(`${stream.width}×${stream.height}`);
  if (stream.codec) out.push(stream.codec === 'h265' ? 'H.265' : 'H.264');
  return out;
}

export function formatBitrate(kbps: number): string {
  return kbps >= 1000 ? `${(kbps / 1000).toFixed(1)} Mb/s` : `${Math.round(kbps)} kb/s`;
}
