// testStream (add-camera wizard): opens an RTSP URL with the project's client, waits for the first
// keyframe and decodes it to JPEG with ffmpeg; or fetches an ONVIF snapshot URI. Bounded in time and
// size; failures come back as values in words. Keeps no state and touches no camera configuration.
import { NvrError, isNvrError, redactUrl } from '../base';
import {
  RtspClient,
  buildBasicAuthorization,
  buildDigestAuthorization,
  chooseChallenge,
  parseWwwAuthenticate,
  userMessage,
} from '../camera';
import type { TrackInfo } from '../camera';
import type { AccessUnit } from '../media';
import { decodeFrameToJpeg } from '../playback';
import type { MethodParsedInput, StreamTestResult } from '../../src-preload/contract';

export interface StreamTestOptions {
  /** ffmpeg binary; without it an RTSP test answers `unavailable`. */
  ffmpegPath?: string;
  /** Whole test, connect to picture. Default 8 s. */
  timeoutMs?: number;
  /** Largest keyframe accepted. Default 8 MB. */
  maxKeyframeBytes?: number;
  /** Largest snapshot-URI answer accepted. Default 4 MB. */
  maxSnapshotBytes?: number;
  nowMs?: () => number;
}

type Input = MethodParsedInput<'testStream'>;

const DEFAULT_TIMEOUT_MS = 8000;

/** Runs one stream test; never throws for camera-side failures (they are the answer). */
export async function testStream(
  input: Input,
  opts: StreamTestOptions = {},
): Promise<StreamTestResult> {
  const now = opts.nowMs ?? (() => performance.now());
  const startMs = now();
  const elapsedMs = () => Math.round(now() - startMs);
  const controller = new AbortController();
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    if (input.snapshotUrl) {
      const jpeg = await fetchSnapshotUri(input, controller.signal, opts).catch(() => undefined);
      if (jpeg)
        return {
          ok: true,
          snapshotJpegBase64: Buffer.from(jpeg).toString('base64'),
          source: 'snapshot-uri',
          elapsedMs: elapsedMs(),
        };
    }
    const grabbed = await grabKeyframe(input, controller.signal, opts);
    if (!opts.ffmpegPath)
      throw new NvrError('unavailable', 'ffmpeg was not found, so no picture can be decoded');
    const { track, au } = grabbed;
    const jpeg = await decodeFrameToJpeg(
      opts.ffmpegPath,
      {
        codec: track.codec,
        parameterSets: track.parameterSets as { sps: Uint8Array; pps: Uint8Array },
        samples: [lengthPrefixed(au)],
        frameIndex: 0,
        ...(input.width ? { widthPx: input.width } : {}),
      },
      { signal: controller.signal, timeoutMs },
    );
    return {
      ok: true,
      codec: track.codec,
      ...(track.width ? { width: track.width } : {}),
      ...(track.height ? { height: track.height } : {}),
      ...(track.fps ? { fps: Math.round(track.fps * 100) / 100 } : {}),
      snapshotJpegBase64: Buffer.from(jpeg).toString('base64'),
      source: 'rtsp',
      elapsedMs: elapsedMs(),
      ...(track.warnings?.length ? { warnings: track.warnings } : {}),
    };
  } catch (e) {
    const err = controller.signal.aborted
      ? new NvrError('timeout', `no picture within ${Math.round(timeoutMs / 1000)} s`)
      : isNvrError(e)
        ? e
        : new NvrError('internal', e instanceof Error ? e.message : String(e));
    return {
      ok: false,
      error: { kind: err.kind, message: describe(err, input.url) },
      elapsedMs: elapsedMs(),
    };
  } finally {
    clearTimeout(timer);
  }
}

/** The failure in words a person adding a camera understands. */
function describe(err: NvrError, url: string): string {
  const where = redactUrl(url);
  switch (err.kind) {
    case 'protocol':
    case 'malformed':
      // A server that answers DESCRIBE with 404 is an RTSP server without this path.
      if (/\b404\b/.test(err.message))
        return `No stream at this path: ${where} (check the path; ${err.message})`;
      return `${where} does not answer as an RTSP server (${err.message})`;
    case 'not_found':
      return `No stream at this path: ${where} (check the path; ${err.message})`;
    default:
      return userMessage(err, url);
  }
}

/** Connects, reads up to the first keyframe and closes. */
async function grabKeyframe(
  input: Input,
  signal: AbortSignal,
  opts: StreamTestOptions,
): Promise<{ track: TrackInfo; au: AccessUnit }> {
  const client = new RtspClient({
    url: input.url,
    ...(input.username !== undefined ? { username: input.username } : {}),
    ...(input.password !== undefined ? { password: input.password } : {}),
    transport: input.transport,
    timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    signal,
  });
  const units = client.accessUnits(64);
  try {
    await client.connect();
    const maxBytes = opts.maxKeyframeBytes ?? 8 * 1024 * 1024;
    for await (const { au, track } of units) {
      if (!au.isKeyframe) continue;
      const sizeBytes = au.nalus.reduce((n, nal) => n + nal.length, 0);
      if (sizeBytes > maxBytes)
        throw new NvrError('too_large', `keyframe of ${sizeBytes} bytes is over the limit`, {
          url: redactUrl(input.url),
        });
      return { track, au };
    }
    throw new NvrError('protocol', 'the stream ended before a keyframe', {
      url: redactUrl(input.url),
    });
  } finally {
    await units.return?.();
    await client.close().catch(() => undefined);
  }
}

/** An access unit as one AVCC/HVCC sample (4-byte big-endian lengths). */
function lengthPrefixed(au: AccessUnit): Uint8Array {
  const total = au.nalus.reduce((n, nal) => n + 4 + nal.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const nal of au.nalus) {
    view.setUint32(at, nal.length);
    out.set(nal, at + 4);
    at += 4 + nal.length;
  }
  return out;
}

/** GET of the snapshot URI with Basic or Digest credentials; undefined unless it is a JPEG. */
async function fetchSnapshotUri(
  input: Input,
  signal: AbortSignal,
  opts: StreamTestOptions,
): Promise<Uint8Array | undefined> {
  const url = input.snapshotUrl!;
  let res = await fetch(url, { signal, redirect: 'error' });
  if (res.status === 401 && input.username !== undefined) {
    await res.body?.cancel();
    const creds = { username: input.username, password: input.password ?? '' };
    const challenge = chooseChallenge(
      parseWwwAuthenticate(res.headers.get('www-authenticate') ?? ''),
    );
    const u = new URL(url);
    const authorization =
      challenge?.scheme === 'digest'
        ? buildDigestAuthorization(challenge, creds, { method: 'GET', uri: u.pathname + u.search })
        : buildBasicAuthorization(creds.username, creds.password);
    res = await fetch(url, { signal, redirect: 'error', headers: { authorization } });
  }
  if (!res.ok || !(res.headers.get('content-type') ?? '').includes('jpeg')) {
    await res.body?.cancel();
    return undefined;
  }
  const maxBytes = opts.maxSnapshotBytes ?? 4 * 1024 * 1024;
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > maxBytes) {
    await res.body?.cancel();
    return undefined;
  }
  const bytes = new Uint8Array(await res.arrayBuffer());
  return bytes.length > 0 && bytes.length <= maxBytes ? bytes : undefined;
}
