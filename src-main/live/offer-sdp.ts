// WHEP offer handling: validates a client's SDP offer, picks the payload type that carries the
// camera's codec unchanged, and rewrites the offer so werift answers with exactly that one.
// Pure text in, values out; it never creates a peer connection.
import { NvrError } from '../base';
import type { VideoCodec } from '../media';
import { parseSdp } from '../media/sdp';
import type { SdpMedia } from '../media/sdp';

export interface OfferedVideoCodec {
  payloadType: number;
  codec: VideoCodec;
  /** fmtp parameters, keys lower-cased. */
  params: Record<string, string>;
}

export interface OfferInfo {
  /** Index of the first video m-section the client can receive on. */
  videoIndex: number;
  /** Usable codecs of that section in the client's order (H.264 with packetization-mode=0 left out). */
  codecs: OfferedVideoCodec[];
  /** H.264 payload types offered only with packetization-mode=0 (stripped). */
  strippedPayloadTypes: number[];
}

const bad = (message: string, context: Record<string, string | number> = {}): never => {
  throw new NvrError('bad_request', `SDP offer: ${message}`, context);
};

function attr(m: SdpMedia, name: string): string | undefined {
  return m.attributes.find((a) => a.name === name)?.value;
}

function hasFlag(m: SdpMedia, name: string): boolean {
  return m.attributes.some((a) => a.name === name);
}

function canReceive(m: SdpMedia): boolean {
  if (m.port === 0) return false;
  return !hasFlag(m, 'sendonly') && !hasFlag(m, 'inactive');
}

/** Validates the offer and lists the video codecs it accepts. Throws NvrError('bad_request'). */
export function inspectOffer(sdpText: string): OfferInfo {
  if (!sdpText.startsWith('v=0')) bad('must start with v=0');
  let sdp;
  try {
    sdp = parseSdp(sdpText);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return bad(message);
  }
  if (sdp.media.length === 0) bad('has no media section');
  const sessionUfrag = sdp.attributes.find((a) => a.name === 'ice-ufrag')?.value;
  const sessionFingerprint = sdp.attributes.find((a) => a.name === 'fingerprint')?.value;
  const videoIndex = sdp.media.findIndex((m) => m.type === 'video' && canReceive(m));
  if (videoIndex < 0) bad('has no video section the client can receive on');
  const video = sdp.media[videoIndex]!;
  if (!/^UDP\/TLS\/RTP\/SAVPF?$|^UDP\/TLS\/RTP\/SAVP$/i.test(video.protocol))
    bad('video is not DTLS-SRTP (UDP/TLS/RTP/SAVPF)', { protocol: video.protocol });
  if (!(attr(video, 'ice-ufrag') ?? sessionUfrag)) bad('has no ICE credentials (a=ice-ufrag)');
  if (!(attr(video, 'fingerprint') ?? sessionFingerprint))
    bad('has no DTLS fingerprint (a=fingerprint)');

  const codecs: OfferedVideoCodec[] = [];
  const stripped: number[] = [];
  for (const pt of video.formats) {
    const map = video.rtpmaps[pt];
    if (!map || map.clockRate !== 90000) continue;
    const name = map.encoding.toUpperCase();
    const params = video.fmtps[pt] ?? {};
    if (name === 'H264') {
      // RFC 6184: an absent packetization-mode means 0 (single NAL unit): no FU-A, no passthrough.
      if (params['packetization-mode'] !== '1') stripped.push(pt);
      else codecs.push({ payloadType: pt, codec: 'h264', params });
    } else if (name === 'H265') {
      codecs.push({ payloadType: pt, codec: 'h265', params });
    }
  }
  return { videoIndex, codecs, strippedPayloadTypes: stripped };
}

/** profile_idc of an H.264 SPS NAL unit (header byte first). */
function h264ProfileIdc(sps: Uint8Array): number {
  return sps[1] ?? 0;
}

/**
 * Picks the offered payload type for a stream: same codec; for H.264 the entry whose
 * profile-level-id names the stream's profile when there is one, else the first usable.
 * Returns undefined when the client cannot take the codec as it is.
 */
export function chooseCodec(
  offer: OfferInfo,
  codec: VideoCodec,
  sps?: Uint8Array,
): OfferedVideoCodec | undefined {
  const same = offer.codecs.filter((c) => c.codec === codec);
  if (same.length === 0) return undefined;
  if (codec !== 'h264' || !sps) return same[0];
  const profile = h264ProfileIdc(sps);
  const byProfile = same.find((c) => {
    const id = c.params['profile-level-id'];
    return (
      id !== undefined && /^[0-9a-f]{6}$/i.test(id) && parseInt(id.slice(0, 2), 16) === profile
    );
  });
  return byProfile ?? same[0];
}

/**
 * Rewrites the offer so its video section lists only `keepPayloadType` (the other payload types,
 * their rtx companions and their rtpmap/fmtp/rtcp-fb lines are removed). Other sections are kept.
 */
export function restrictOfferToPayloadType(
  sdpText: string,
  videoIndex: number,
  keepPayloadType: number,
): string {
  const eol = sdpText.includes('\r\n') ? '\r\n' : '\n';
  const lines = sdpText.split(/\r\n|\n/);
  const out: string[] = [];
  let section = -1;
  const ptLine = /^a=(rtpmap|fmtp|rtcp-fb):(\d+)[\s]/;
  for (const line of lines) {
    if (line.startsWith('m=')) {
      section++;
      if (section === videoIndex) {
        const parts = line.split(' ');
        out.push([...parts.slice(0, 3), String(keepPayloadType)].join(' '));
        continue;
      }
    }
    if (section === videoIndex) {
      const m = ptLine.exec(line);
      if (m && Number(m[2]) !== keepPayloadType) continue;
    }
    out.push(line);
  }
  return out.join(eol);
}

/**
 * Keeps only the host candidates on `address` in an answer (for engines that serve loopback only:
 * werift also lists the LAN addresses, which its loopback-bound sockets cannot serve).
 */
export function keepCandidatesOn(sdpText: string, address: string): string {
  const eol = sdpText.includes('\r\n') ? '\r\n' : '\n';
  return sdpText
    .split(/\r\n|\n/)
    .filter((line) => {
      if (!line.startsWith('a=candidate:')) return true;
      const parts = line.split(' ');
      return parts[4] === address;
    })
    .join(eol);
}

/** Number of a=candidate lines (a complete, non-trickle answer has at least one). */
export function countCandidates(sdpText: string): number {
  return sdpText.split(/\r\n|\n/).filter((l) => l.startsWith('a=candidate:')).length;
}
