// Video tracks described by SDP: extracting H.264/H.265 parameters from a media section (RFC 6184,
// RFC 7798) and building an SDP for our own RTSP server. Owns the fmtp conventions; no I/O.
import { Buffer } from 'node:buffer';
import { NvrError, copyBytes, isNvrError } from '../../base';
import { parseH264Sps } from '../h264';
import { parseH265Sps } from '../h265';
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
  /** What was dropped or guessed (a parameter set that does not decode, …); absent when none. */
  warnings?: string[];
}

const ENCODINGS: Record<string, VideoCodec> = { H264: 'h264', H265: 'h265', HEVC: 'h265' };

const quote = (text: string): string =>
  JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);

type Decoded = { nal: Uint8Array } | { error: string };

/**
 * One base64 parameter set (standard or URL alphabet, padding optional; text after a space is
 * junk, not base64); undefined for an empty item. A leading Annex B start code (some firmwares
 * encode one) is dropped.
 */
function decodeParameterSet(text: string): Decoded | undefined {
  const clean = text.trim().split(/\s/)[0]!;
  if (clean === '') return undefined;
  if (!/^[A-Za-z0-9+/\-_]+=*$/.test(clean)) return { error: `not base64: ${quote(clean)}` };
  const bytes = Buffer.from(clean, 'base64');
  let start = 0;
  if (bytes[0] === 0 && bytes[1] === 0) {
    if (bytes[2] === 1) start = 3;
    else if (bytes[2] === 0 && bytes[3] === 1) start = 4;
  }
  if (bytes.length - start < 2) return { error: `too short: ${quote(clean)}` };
  // A copy: Buffer.from takes small buffers from a shared 8 KiB pool.
  return { nal: copyBytes(bytes, start) };
}

/** Which parameter set a decoded NAL unit is, or why it is not a usable one. */
function classify(
  codec: VideoCodec,
  nal: Uint8Array,
): { key: keyof ParameterSets } | { error: string } {
  if ((nal[0]! & 0x80) !== 0) return { error: `forbidden bit set (NAL header ${hex(nal)})` };
  let key: keyof ParameterSets | undefined;
  if (codec === 'h264') {
    key = ({ 7: 'sps', 8: 'pps' } as const)[(nal[0]! & 0x1f) as 7 | 8];
  } else {
    if ((nal[1]! & 7) === 0) return { error: `temporal id 0 (NAL header ${hex(nal)})` };
    key = ({ 32: 'vps', 33: 'sps', 34: 'pps' } as const)[((nal[0]! >> 1) & 0x3f) as 32 | 33 | 34];
  }
  if (key === undefined) return { error: `not a parameter set (NAL header ${hex(nal)})` };
  if (key === 'sps') {
    try {
      if (codec === 'h264') parseH264Sps(nal);
      else parseH265Sps(nal);
    } catch (e) {
      if (!isNvrError(e)) throw e;
      return { error: `SPS does not parse (${e.message})` };
    }
  }
  return { key };
}

function hex(nal: Uint8Array): string {
  return Array.from(nal.subarray(0, 2), (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/**
 * Reads the parameter sets of fmtp parameters `names`: the first usable set of each kind wins.
 * An item that does not decode is dropped with a warning, never an error: cameras that send junk
 * (Reolink, VStarcam: scottlamb/retina#42) also send their parameter sets in band.
 */
function readParameterSets(
  codec: VideoCodec,
  fmtp: Record<string, string>,
  names: readonly string[],
  warnings: string[],
): ParameterSets {
  const sets: ParameterSets = {};
  for (const name of names) {
    const list = fmtp[name];
    if (list === undefined) continue;
    list.split(',').forEach((item, i) => {
      const decoded = decodeParameterSet(item);
      if (!decoded) return;
      const kind = 'error' in decoded ? decoded : classify(codec, decoded.nal);
      if ('error' in kind) {
        warnings.push(
          `${name} item ${i + 1} dropped (${kind.error}); in-band parameter sets replace it`,
        );
      } else if (!sets[kind.key] && 'nal' in decoded) sets[kind.key] = decoded.nal;
    });
  }
  return sets;
}

/** The codec of a payload type without a usable rtpmap, guessed from its fmtp (or undefined). */
function guessCodec(fmtp: Record<string, string> | undefined): VideoCodec | undefined {
  if (!fmtp) return undefined;
  if ('sprop-vps' in fmtp || 'sprop-sps' in fmtp) return 'h265';
  if ('sprop-parameter-sets' in fmtp || 'packetization-mode' in fmtp || 'profile-level-id' in fmtp)
    return 'h264';
  return undefined;
}

/**
 * Extracts the video track of an SDP media section. Throws NvrError('unsupported_codec') when no
 * format is H.264 or H.265. Liberal: parameter sets that do not decode are dropped, a payload type
 * without an rtpmap is recognised by its fmtp, and each such repair adds a warning.
 */
export function videoTrackFromSdp(media: SdpMedia): SdpVideoTrack {
  const mapped = Object.keys(media.rtpmaps).map(Number);
  const candidates = [...media.formats, ...mapped.filter((pt) => !media.formats.includes(pt))];
  const pick = ():
    { pt: number; codec: VideoCodec; clockRate: number; guessed: boolean } | undefined => {
    for (const pt of candidates) {
      const map = media.rtpmaps[pt];
      const codec = map ? ENCODINGS[map.encoding.toUpperCase()] : undefined;
      if (map && codec) return { pt, codec, clockRate: map.clockRate, guessed: false };
    }
    for (const pt of media.formats) {
      const codec = media.rtpmaps[pt] ? undefined : guessCodec(media.fmtps[pt]);
      if (codec) return { pt, codec, clockRate: 90000, guessed: true };
    }
    return undefined;
  };
  const found = pick();
  if (!found) {
    const encodings = Object.values(media.rtpmaps)
      .map((m) => m.encoding)
      .join(',');
    throw new NvrError('unsupported_codec', `no H.264/H.265 format in m=${media.type}`, {
      mediaType: media.type,
      encodings: encodings || media.formats.join(','),
    });
  }
  const { pt, codec } = found;
  const warnings: string[] = [];
  if (found.guessed)
    warnings.push(
      `payload type ${pt} has no a=rtpmap: read as ${codec.toUpperCase()} from its fmtp`,
    );
  else if (!media.formats.includes(pt))
    warnings.push(`payload type ${pt} has an a=rtpmap but is not listed on the m= line`);
  const fmtp = media.fmtps[pt] ?? {};
  const track: SdpVideoTrack = {
    codec,
    payloadType: pt,
    clockRate: found.clockRate > 0 ? found.clockRate : 90000,
    parameterSets: readParameterSets(
      codec,
      fmtp,
      codec === 'h264'
        ? ['sprop-parameter-sets']
        : ['sprop-vps', 'sprop-sps', 'sprop-pps', 'sprop-parameter-sets'],
      warnings,
    ),
  };
  if (media.control !== undefined) track.control = media.control;
  if (codec === 'h264') {
    const mode = fmtp['packetization-mode'];
    if (mode !== undefined && /^\d+$/.test(mode)) track.packetizationMode = Number(mode);
    else if (mode !== undefined) warnings.push(`packetization-mode ${quote(mode)} ignored`);
    const pli = fmtp['profile-level-id'];
    if (pli !== undefined && /^[0-9a-f]{6}$/i.test(pli)) track.profileLevelId = pli.toLowerCase();
    else if (pli !== undefined)
      warnings.push(`profile-level-id ${quote(pli)} ignored (the SPS says)`);
  }
  if (warnings.length > 0) track.warnings = warnings.slice(0, 10);
  return track;
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
