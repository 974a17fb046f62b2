// Demo/test clip source: reads an H.264 or H.265 Annex B file, splits it into access units, takes
// size and fps from the SPS, and loops it forever with timestamps that keep increasing.
// Owns the file -> access unit step only; pacing and RTP belong to the server's mount.
import { readFile } from 'node:fs/promises';
import { NvrError, copyBytes } from '../../base';
import type { AccessUnit, VideoCodec } from '../../media';
import { splitAnnexB } from '../../media/nal';
import { H264NalType, h264NalType, parseH264Sps } from '../../media/h264';
import { H265NalType, h265NalType, isH265IrapType, parseH265Sps } from '../../media/h265';

export interface ClipParameterSets {
  vps?: Uint8Array;
  sps: Uint8Array;
  pps: Uint8Array;
}

export interface Clip {
  file: string;
  codec: VideoCodec;
  width: number;
  height: number;
  fps: number;
  /** Access units in file order, parameter sets and AUDs removed, pts90k from 0. */
  accessUnits: AccessUnit[];
  parameterSets: ClipParameterSets;
  /** 90 kHz length of one loop: frameCount * frame duration. */
  duration90k: number;
}

export interface LoadClipOptions {
  /** Default: from the extension (.h265/.hevc -> h265), else h264. */
  codec?: VideoCodec;
  /** Used when the SPS has no VUI timing (default 15). */
  fallbackFps?: number;
}

export function codecFromFileName(file: string): VideoCodec {
  return /\.(h265|hevc|265)$/i.test(file) ? 'h265' : 'h264';
}

/** Reads and indexes a clip. Throws NvrError('malformed') when it has no SPS/PPS or no keyframe. */
export async function loadClip(file: string, options: LoadClipOptions = {}): Promise<Clip> {
  const data = await readFile(file);
  return parseClip(new Uint8Array(data.buffer, data.byteOffset, data.length), file, options);
}

interface NalTraits {
  isParam: boolean;
  isAud: boolean;
  isVcl: boolean;
  isIrap: boolean;
  /** A VCL unit that starts a new picture (first_mb_in_slice == 0 / first_slice_segment_in_pic_flag). */
  startsPicture: boolean;
  /** A non-VCL unit that can only precede a picture (SEI, AUD, parameter sets). */
  prefix: boolean;
}

function h264Traits(nal: Uint8Array): NalTraits {
  const t = h264NalType(nal);
  const isVcl = t >= 1 && t <= 5;
  return {
    isParam: t === H264NalType.SPS || t === H264NalType.PPS,
    isAud: t === H264NalType.AUD,
    isVcl,
    isIrap: t === H264NalType.IDR,
    // first_mb_in_slice is ue(v): it is 0 exactly when the first bit after the header is 1.
    startsPicture: isVcl && nal.length > 1 && (nal[1]! & 0x80) !== 0,
    prefix:
      t === H264NalType.SEI ||
      t === H264NalType.AUD ||
      t === H264NalType.SPS ||
      t === H264NalType.PPS ||
      (t >= 14 && t <= 18),
  };
}

function h265Traits(nal: Uint8Array): NalTraits {
  const t = h265NalType(nal);
  const isVcl = t >= 0 && t <= 31;
  return {
    isParam: t === H265NalType.VPS || t === H265NalType.SPS || t === H265NalType.PPS,
    isAud: t === H265NalType.AUD,
    isVcl,
    isIrap: isH265IrapType(t),
    startsPicture: isVcl && nal.length > 2 && (nal[2]! & 0x80) !== 0,
    prefix: (t >= 32 && t <= 39) || (t >= 41 && t <= 44) || (t >= 48 && t <= 55),
  };
}

/** Pure part of loadClip, exported for tests. */
export function parseClip(data: Uint8Array, file: string, options: LoadClipOptions = {}): Clip {
  const codec = options.codec ?? codecFromFileName(file);
  const traits = codec === 'h265' ? h265Traits : h264Traits;
  const nalus = splitAnnexB(data);
  const params: Partial<ClipParameterSets> = {};
  const groups: Array<{ nalus: Uint8Array[]; isKeyframe: boolean }> = [];
  let current: { nalus: Uint8Array[]; isKeyframe: boolean; hasVcl: boolean } | undefined;
  for (const nal of nalus) {
    if (nal.length === 0) continue;
    const tr = traits(nal);
    if (tr.isParam) {
      const t = codec === 'h265' ? h265NalType(nal) : h264NalType(nal);
      const key =
        codec === 'h265'
          ? ({ 32: 'vps', 33: 'sps', 34: 'pps' } as const)[t as 32 | 33 | 34]
          : t === H264NalType.SPS
            ? 'sps'
            : 'pps';
      params[key] ??= copyBytes(nal);
    }
    const newAu = current === undefined || (current.hasVcl && (tr.prefix || tr.startsPicture));
    if (newAu) {
      if (current?.hasVcl) groups.push(current);
      current = { nalus: [], isKeyframe: false, hasVcl: false };
    }
    if (tr.isVcl) {
      current!.hasVcl = true;
      if (tr.isIrap) current!.isKeyframe = true;
    }
    // Parameter sets are re-inserted before every keyframe by the sender; AUDs are dropped.
    if (!tr.isParam && !tr.isAud) current!.nalus.push(copyBytes(nal));
  }
  if (current?.hasVcl) groups.push(current);
  if (!params.sps || !params.pps || (codec === 'h265' && !params.vps)) {
    throw new NvrError('malformed', 'clip has no parameter sets', { file, codec });
  }
  const firstKey = groups.findIndex((g) => g.isKeyframe);
  if (firstKey < 0) throw new NvrError('malformed', 'clip has no keyframe', { file, codec });
  const usable = groups.slice(firstKey);

  let width: number;
  let height: number;
  let spsFps: number | undefined;
  if (codec === 'h265') {
    const sps = parseH265Sps(params.sps);
    ({ width, height } = sps);
    spsFps = sps.fps;
  } else {
    const sps = parseH264Sps(params.sps);
    ({ width, height } = sps);
    spsFps = sps.fps;
  }
  const fps =
    spsFps !== undefined && spsFps > 0 && spsFps <= 240 ? spsFps : (options.fallbackFps ?? 15);
  const accessUnits = usable.map((g, i) => ({
    pts90k: Math.round((i * 90000) / fps),
    isKeyframe: g.isKeyframe,
    nalus: g.nalus,
  }));
  return {
    file,
    codec,
    width,
    height,
    fps,
    accessUnits,
    parameterSets: params as ClipParameterSets,
    duration90k: Math.round((usable.length * 90000) / fps),
  };
}

/**
 * Endless iterator over a clip: loop N's units carry pts90k + N * duration90k, and every keyframe
 * carries the parameter sets in band (VPS, SPS, PPS first).
 */
export class ClipLooper {
  private index = 0;
  private loop = 0;

  constructor(readonly clip: Clip) {}

  /** The unit `next()` will return, without consuming it. */
  peek(): AccessUnit {
    const au = this.clip.accessUnits[this.index]!;
    const pts90k = au.pts90k + this.loop * this.clip.duration90k;
    if (!au.isKeyframe) return { ...au, pts90k };
    const ps = this.clip.parameterSets;
    const prefix = ps.vps ? [ps.vps, ps.sps, ps.pps] : [ps.sps, ps.pps];
    return { pts90k, isKeyframe: true, nalus: [...prefix, ...au.nalus] };
  }

  next(): AccessUnit {
    const au = this.peek();
    this.index++;
    if (this.index >= this.clip.accessUnits.length) {
      this.index = 0;
      this.loop++;
    }
    return au;
  }
}
