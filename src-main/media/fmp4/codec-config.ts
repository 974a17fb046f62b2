// Track configuration from parameter sets, and the avcC / hvcC decoder configuration records
// (ISO/IEC 14496-15). Owns record layout; SPS parsing itself belongs to media/h264 and media/h265.
import { NvrError } from '../../base';
import { parseH264Sps } from '../h264';
import { parseH265Sps } from '../h265';
import type { VideoCodec } from '../types';
import type { ByteWriter } from './box-writer';

export const VIDEO_TIMESCALE = 90_000;

export interface VideoTrackConfig {
  codec: VideoCodec;
  width: number;
  height: number;
  /** Media timescale of the track; 90000 for everything this project writes. */
  timescale: number;
  /** Parameter sets as NAL units with their header, without start codes. */
  sps: Uint8Array;
  pps: Uint8Array;
  /** H.265 only. */
  vps?: Uint8Array;
  /** RFC 6381 codec string for MSE / HLS, e.g. 'avc1.64001f' or 'hvc1.1.6.L93.B0'. */
  codecString: string;
}

export interface ParameterSets {
  codec: VideoCodec;
  vps?: Uint8Array;
  sps: Uint8Array;
  pps: Uint8Array;
}

/** Builds a track configuration by parsing the SPS. Throws NvrError('malformed') on a bad SPS. */
export function trackConfigFromParameterSets(ps: ParameterSets): VideoTrackConfig {
  if (ps.codec === 'h264') {
    const sps = parseH264Sps(ps.sps);
    return {
      codec: 'h264',
      width: sps.width,
      height: sps.height,
      timescale: VIDEO_TIMESCALE,
      sps: ps.sps,
      pps: ps.pps,
      codecString: sps.codecString,
    };
  }
  if (!ps.vps) throw new NvrError('malformed', 'H.265 track needs a VPS', { codec: ps.codec });
  const sps = parseH265Sps(ps.sps);
  return {
    codec: 'h265',
    width: sps.width,
    height: sps.height,
    timescale: VIDEO_TIMESCALE,
    sps: ps.sps,
    pps: ps.pps,
    vps: ps.vps,
    codecString: sps.codecString,
  };
}

function parameterSet(w: ByteWriter, nal: Uint8Array): void {
  if (nal.length > 0xffff) {
    throw new NvrError('malformed', 'parameter set longer than 65535 bytes', {
      sizeBytes: nal.length,
    });
  }
  w.u16(nal.length).bytes(nal);
}

/** Writes an avcC box (AVCDecoderConfigurationRecord, 4-byte NAL lengths). */
export function writeAvcC(w: ByteWriter, track: VideoTrackConfig): void {
  const sps = parseH264Sps(track.sps);
  w.box('avcC', () => {
    w.u8(1).u8(sps.profileIdc).u8(sps.constraintFlags).u8(sps.levelIdc);
    w.u8(0xfc | 3); // lengthSizeMinusOne = 3
    w.u8(0xe0 | 1);
    parameterSet(w, track.sps);
    w.u8(1);
    parameterSet(w, track.pps);
    // Chroma and bit depth for every profile beyond Baseline/Main/Extended, as ffmpeg writes it.
    if (sps.profileIdc !== 66 && sps.profileIdc !== 77 && sps.profileIdc !== 88) {
      w.u8(0xfc | sps.chromaFormatIdc);
      w.u8(0xf8 | (sps.bitDepthLuma - 8));
      w.u8(0xf8 | (sps.bitDepthChroma - 8));
      w.u8(0); // numOfSequenceParameterSetExt
    }
  });
}

const HEVC_NAL_VPS = 32;
const HEVC_NAL_SPS = 33;
const HEVC_NAL_PPS = 34;

/** Writes an hvcC box (HEVCDecoderConfigurationRecord, 4-byte NAL lengths, complete arrays). */
export function writeHvcC(w: ByteWriter, track: VideoTrackConfig): void {
  if (!track.vps) throw new NvrError('malformed', 'H.265 track needs a VPS');
  const vps = track.vps;
  const sps = parseH265Sps(track.sps);
  w.box('hvcC', () => {
    w.u8(1); // configurationVersion
    w.u8(
      ((sps.generalProfileSpace & 3) << 6) |
        ((sps.generalTierFlag ? 1 : 0) << 5) |
        (sps.generalProfileIdc & 0x1f),
    );
    w.u32(sps.generalProfileCompatibilityFlags);
    const constraints = new Uint8Array(6);
    constraints.set(sps.generalConstraintIndicatorFlags.subarray(0, 6));
    w.bytes(constraints);
    w.u8(sps.generalLevelIdc);
    w.u16(0xf000 | (sps.minSpatialSegmentationIdc & 0xfff));
    w.u8(0xfc); // parallelismType = 0 (unknown)
    w.u8(0xfc | (sps.chromaFormatIdc & 3));
    w.u8(0xf8 | (sps.bitDepthLumaMinus8 & 7));
    w.u8(0xf8 | (sps.bitDepthChromaMinus8 & 7));
    w.u16(0); // avgFrameRate unspecified
    // constantFrameRate = 0, numTemporalLayers, temporalIdNested, lengthSizeMinusOne = 3
    w.u8((((sps.spsMaxSubLayersMinus1 + 1) & 7) << 3) | ((sps.temporalIdNested ? 1 : 0) << 2) | 3);
    w.u8(3); // numOfArrays
    for (const [type, nal] of [
      [HEVC_NAL_VPS, vps],
      [HEVC_NAL_SPS, track.sps],
      [HEVC_NAL_PPS, track.pps],
    ] as const) {
      w.u8(0x80 | type); // array_completeness = 1
      w.u16(1);
      parameterSet(w, nal);
    }
  });
}
