// Video tracks described by SDP: extracting H.264/H.265 parameters from a media section (RFC 6184,
// RFC 7798) and building an SDP for our own RTSP server. Owns the fmtp conventions; no I/O.
import { Buffer } from 'node:buffer';
import { NvrError } from '../../base';
import type { VideoCodec } from '../types';
import type { SdpMedia } from './parse';

export interface ParameterSets {
  vps?: Uint8Array;
  sps?: Uint8Array;
  pps?: Uint8Array;
}

export interface SdpVideoTrack {
  codec: VideoCodec;
  payloadType: number;
  clockRate: number;
  control?: string;
  /** From sprop-parameter-sets (H.264) or sprop-vps/sprop-sps/sprop-pps (H.265); may be empty. */
  parameterSets: ParameterSets;
  /** H.264 packetization-mode when given (RFC 6184 says absent means 0, cameras often ignore that). */
  packetizationMode?: number;
  /** H.264 profile-level-id (6 hex digits) when given. */
  profileLevelId?: string;
}

const ENCODINGS: Record<string, VideoCodec> = { H264: 'h264', H265: 'h265', HEVC: 'h265' };

function decodeBase64(text: string): Uint8Array | undefined {
  const clean = text.trim();
  if (clean === '') return undefined;
  if (!/^[A-Za-z0-9+/\-_]+=*$/.test(clean)) {
    throw new NvrError('malformed', 'SDP parameter set is not base64', {
      text: clean.slice(0, 40),
    });
  }
  const bytes = Buffer.from(clean, 'base64');
  return bytes.length > 0
    ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length).slice()
    : undefined;
}

function firstOf(list: string | undefined): Uint8Array | undefined {
  if (list === undefined) return undefined;
  for (const item of list.split(',')) {
    const bytes = decodeBase64(item);
    if (bytes) return bytes;
  }
  return undefined;
}

/**
 * Extracts the video track of an SDP media section. Throws NvrError('unsupported_codec') when no
 * format is H.264 or H.265, and NvrError('malformed') for undecodable parameter sets.
 */
export function videoTrackFromSdp(media: SdpMedia): SdpVideoTrack {
  const candidates =
    media.formats.length > 0 ? media.formats : Object.keys(media.rtpmaps).map(Number);
  for (const pt of candidates) {
    const map = media.rtpmaps[pt];
    const codec = map ? ENCODINGS[map.encoding.toUpperCase()] : undefined;
    if (!map || !codec) continue;
    const fmtp = media.fmtps[pt] ?? {};
    const track: SdpVideoTrack = {
      codec,
      payloadType: pt,
      clockRate: map.clockRate,
      parameterSets: {},
    };
    if (media.control !== undefined) track.control = media.control;
    if (codec === 'h264') {
      for (const item of (fmtp['sprop-parameter-sets'] ?? '').split(',')) {
        const nal = decodeBase64(item);
        const type = nal ? nal[0]! & 0x1f : -1;
        if (type === 7 && !track.parameterSets.sps) track.parameterSets.sps = nal;
        if (type === 8 && !track.parameterSets.pps) track.parameterSets.pps = nal;
      }
      const mode = fmtp['packetization-mode'];
      if (mode !== undefined && /^\d+$/.test(mode)) track.packetizationMode = Number(mode);
      const pli = fmtp['profile-level-id'];
      if (pli !== undefined && /^[0-9a-f]{6}$/i.test(pli)) track.profileLevelId = pli.toLowerCase();
    } else {
      const vps = firstOf(fmtp['sprop-vps']);
      const sps = firstOf(fmtp['sprop-sps']);
      const pps = firstOf(fmtp['sprop-pps']);
      if (vps) track.parameterSets.vps = vps;
      if (sps) track.parameterSets.sps = sps;
      if (pps) track.parameterSets.pps = pps;
    }
    return track;
  }
  const encodings = Object.values(media.rtpmaps)
    .map((m) => m.encoding)
    .join(',');
  throw new NvrError('unsupported_codec', `no H.264/H.265 format in m=${media.type}`, {
    mediaType: media.type,
    encodings: encodings || media.formats.join(','),
  });
}

export interface SdpTrackSpec {
  codec: VideoCodec;
  payloadType: number;
  /** Relative control, e.g. 'trackID=0'. */
  control: string;
  parameterSets: ParameterSets;
  /** H.264 only; we always packetize with FU-A/STAP-A (mode 1). */
  packetizationMode?: 1;
  /** Defaults to 90000. */
  clockRate?: number;
}

export interface BuildSdpOptions {
  sessionName: string;
  /** Address for the o= line; defaults to 127.0.0.1. */
  originAddress?: string;
  /** o= session id; defaults to 0 (callers may pass a time-based id). */
  sessionId?: number | string;
  /** a=range value; defaults to 'npt=now-' (live). Use 'npt=0-' for a file. */
  range?: string;
  tracks: SdpTrackSpec[];
}

function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64');
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

/** Builds an SDP for our RTSP server (ffmpeg, GStreamer and browsers' RTSP-less paths accept it). */
export function buildSdp(opts: BuildSdpOptions): string {
  const addr = opts.originAddress ?? '127.0.0.1';
  const addrType = addr.includes(':') ? 'IP6' : 'IP4';
  const lines = [
    'v=0',
    `o=- ${opts.sessionId ?? 0} 1 IN ${addrType} ${addr}`,
    `s=${opts.sessionName.replace(/[\r\n]/g, ' ') || 'Session'}`,
    'c=IN IP4 0.0.0.0',
    't=0 0',
    'a=tool:nvr',
    `a=range:${opts.range ?? 'npt=now-'}`,
    'a=control:*',
  ];
  for (const t of opts.tracks) {
    const pt = t.payloadType;
    const ps = t.parameterSets;
    lines.push(`m=video 0 RTP/AVP ${pt}`);
    if (t.codec === 'h264') {
      lines.push(`a=rtpmap:${pt} H264/${t.clockRate ?? 90000}`);
      const params = [`packetization-mode=${t.packetizationMode ?? 1}`];
      if (ps.sps && ps.sps.length >= 4) {
        params.push(`profile-level-id=${hex2(ps.sps[1]!)}${hex2(ps.sps[2]!)}${hex2(ps.sps[3]!)}`);
      }
      const sets = [ps.sps, ps.pps].filter((x): x is Uint8Array => x !== undefined).map(b64);
      if (sets.length > 0) params.push(`sprop-parameter-sets=${sets.join(',')}`);
      lines.push(`a=fmtp:${pt} ${params.join(';')}`);
    } else {
      lines.push(`a=rtpmap:${pt} H265/${t.clockRate ?? 90000}`);
      const params: string[] = [];
      if (ps.vps) params.push(`sprop-vps=${b64(ps.vps)}`);
      if (ps.sps) params.push(`sprop-sps=${b64(ps.sps)}`);
      if (ps.pps) params.push(`sprop-pps=${b64(ps.pps)}`);
      if (params.length > 0) lines.push(`a=fmtp:${pt} ${params.join(';')}`);
    }
    lines.push(`a=control:${t.control}`);
  }
  return lines.join('\r\n') + '\r\n';
}
