// Reading the DESCRIBE and SETUP answers for the RTSP client: SDP, base URL (Content-Base, then
// Content-Location, then the request URL), the first video track, the Session header. Turns every
// problem into an NvrError with the request's context; no I/O.
import { isNvrError } from '../../base';
import { parseSdp, videoTrackFromSdp } from '../../media/sdp';
import type { Sdp, SdpMedia, SdpVideoTrack } from '../../media/sdp';
import type { RtspConnection } from './client-connection';
import { parseSessionHeader } from './headers';
import type { SessionHeader } from './headers';
import { bodyText, getCSeq, getHeader } from './message';
import type { RtspResponse } from './message';

/** Parses the SDP of a DESCRIBE answer and finds the base URL for relative controls. */
export function readDescribe(
  conn: RtspConnection,
  res: RtspResponse,
  requestUrl: string,
): { sdp: Sdp; base: string } {
  let sdp: Sdp;
  try {
    sdp = parseSdp(bodyText(res));
  } catch (e) {
    throw conn.error(
      'protocol',
      `DESCRIBE answer is not SDP: ${e instanceof Error ? e.message : String(e)}`,
      contextOf(res, 'DESCRIBE'),
      e,
    );
  }
  const header =
    getHeader(res.headers, 'content-base') ?? getHeader(res.headers, 'content-location');
  let base = requestUrl;
  if (header !== undefined && header !== '') {
    try {
      base = new URL(withScheme(header), requestUrl).href;
    } catch {
      base = requestUrl;
    }
  }
  return { sdp, base };
}

/**
 * Some firmwares (SV3C) send Content-Base as `host:port/path/` without `rtsp://`; resolved as a
 * relative reference it would land under the request path, so it gets the scheme back.
 */
function withScheme(value: string): string {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1];
  if (scheme !== undefined && /^(rtsps?|rtspu|https?)$/i.test(scheme)) return value;
  return /^[^/?#@\s]+:\d+(\/|$)/.test(value) ? `rtsp://${value}` : value;
}

/**
 * The first H.264/H.265 video section of the SDP (a camera may list another video format first),
 * with the SDP's warnings (lines skipped, parameter sets dropped) in `warnings`.
 */
export function pickVideo(conn: RtspConnection, sdp: Sdp, res: RtspResponse): SdpVideoTrack {
  const videos = sdp.media.filter((m) => m.type.toLowerCase() === 'video');
  const context = contextOf(res, 'DESCRIBE');
  if (videos.length === 0)
    throw conn.error('protocol', 'no video track in the SDP', {
      ...context,
      media: sdp.media.map((m) => m.type).join(','),
    });
  const media = videos.find((m) => !isNvrError(tryTrack(m), 'unsupported_codec')) ?? videos[0]!;
  try {
    const track = videoTrackFromSdp(media);
    const warnings = [...sdp.warnings, ...(track.warnings ?? [])];
    return warnings.length > 0 ? { ...track, warnings } : track;
  } catch (e) {
    if (isNvrError(e, 'unsupported_codec'))
      throw conn.error('unsupported_codec', e.message, { ...e.context, ...context }, e);
    throw conn.error(
      'protocol',
      `bad video track in the SDP: ${e instanceof Error ? e.message : String(e)}`,
      context,
      e,
    );
  }
}

function tryTrack(media: SdpMedia): unknown {
  try {
    return videoTrackFromSdp(media);
  } catch (e) {
    return e;
  }
}

export function contextOf(
  res: RtspResponse,
  method: string,
): Record<string, string | number | undefined> {
  return { method, cseq: getCSeq(res), statusCode: res.statusCode };
}

export function readSession(conn: RtspConnection, res: RtspResponse): SessionHeader {
  const header = getHeader(res.headers, 'session');
  if (header === undefined)
    throw conn.error('protocol', 'SETUP answer has no Session header', contextOf(res, 'SETUP'));
  try {
    return parseSessionHeader(header);
  } catch (e) {
    throw conn.error(
      'protocol',
      'bad Session header in the SETUP answer',
      contextOf(res, 'SETUP'),
      e,
    );
  }
}
