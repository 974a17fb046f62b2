// H.264 sequence parameter set parsing (ITU-T H.264 7.3.2.1.1 and Annex E VUI timing).
// Owns SPS fields the recorder and muxers need; it never decodes slices.
import { NvrError } from '../../base';
import { BitReader, removeEmulationPrevention } from '../nal';

export interface H264Sps {
  profileIdc: number;
  /** constraint_set0..5 flags and reserved bits: the byte between profile_idc and level_idc. */
  constraintFlags: number;
  levelIdc: number;
  spsId: number;
  chromaFormatIdc: number;
  bitDepthLuma: number;
  bitDepthChroma: number;
  /** Display width in pixels (frame cropping applied). */
  width: number;
  /** Display height in pixels (frame cropping applied). */
  height: number;
  /** Frame rate from VUI timing info (time_scale / (2 * num_units_in_tick)), when present. */
  fps?: number;
  /**
   * max_num_reorder_frames from the VUI bitstream restrictions, when present (0 for Baseline, which
   * has no B-frames). How many frames may follow a frame in decode order and precede it on screen.
   */
  maxNumReorderFrames?: number;
  /** RFC 6381 codec string, e.g. 'avc1.64001f'. */
  codecString: string;
}

const HIGH_PROFILES = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]);

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

function skipScalingList(r: BitReader, size: number): void {
  let last = 8;
  let next = 8;
  for (let j = 0; j < size; j++) {
    if (next !== 0) {
      const delta = r.se();
      next = (last + delta + 256) % 256;
    }
    last = next === 0 ? last : next;
  }
}

function checkRange(value: number, max: number, what: string, offset: number): number {
  if (value > max) {
    throw new NvrError('malformed', `H.264 SPS ${what} out of range (${value})`, {
      byteOffset: offset,
      value,
    });
  }
  return value;
}

/** Parses an H.264 SPS NAL unit (with its 1-byte header). Throws NvrError('malformed') on bad input. */
export function parseH264Sps(nal: Uint8Array): H264Sps {
  if (nal.length < 4)
    throw new NvrError('malformed', 'H.264 SPS too short', { sizeBytes: nal.length });
  const nalType = nal[0]! & 0x1f;
  if (nalType !== 7)
    throw new NvrError('malformed', `not an H.264 SPS (NAL type ${nalType})`, { nalType });
  const r = new BitReader(removeEmulationPrevention(nal.subarray(1)), 1);
  const profileIdc = r.u(8);
  const constraintFlags = r.u(8);
  const levelIdc = r.u(8);
  const spsId = checkRange(r.ue(), 31, 'seq_parameter_set_id', 4);

  let chromaFormatIdc = 1;
  let bitDepthLuma = 8;
  let bitDepthChroma = 8;
  let separateColourPlane = false;
  if (HIGH_PROFILES.has(profileIdc)) {
    chromaFormatIdc = checkRange(r.ue(), 3, 'chroma_format_idc', 4);
    if (chromaFormatIdc === 3) separateColourPlane = r.flag();
    bitDepthLuma = checkRange(r.ue(), 6, 'bit_depth_luma_minus8', 4) + 8;
    bitDepthChroma = checkRange(r.ue(), 6, 'bit_depth_chroma_minus8', 4) + 8;
    r.skip(1); // qpprime_y_zero_transform_bypass_flag
    if (r.flag()) {
      // seq_scaling_matrix_present_flag
      const lists = chromaFormatIdc !== 3 ? 8 : 12;
      for (let i = 0; i < lists; i++) {
        if (r.flag()) skipScalingList(r, i < 6 ? 16 : 64);
      }
    }
  }
  checkRange(r.ue(), 12, 'log2_max_frame_num_minus4', 4);
  const pocType = checkRange(r.ue(), 2, 'pic_order_cnt_type', 4);
  if (pocType === 0) {
    checkRange(r.ue(), 12, 'log2_max_pic_order_cnt_lsb_minus4', 4);
  } else if (pocType === 1) {
    r.skip(1); // delta_pic_order_always_zero_flag
    r.se(); // offset_for_non_ref_pic
    r.se(); // offset_for_top_to_bottom_field
    const cycle = checkRange(r.ue(), 255, 'num_ref_frames_in_pic_order_cnt_cycle', 4);
    for (let i = 0; i < cycle; i++) r.se();
  }
  r.ue(); // max_num_ref_frames
  r.skip(1); // gaps_in_frame_num_value_allowed_flag
  const widthMbs = checkRange(r.ue(), 8191, 'pic_width_in_mbs_minus1', 4) + 1;
  const heightMapUnits = checkRange(r.ue(), 8191, 'pic_height_in_map_units_minus1', 4) + 1;
  const frameMbsOnly = r.flag();
  if (!frameMbsOnly) r.skip(1); // mb_adaptive_frame_field_flag
  r.skip(1); // direct_8x8_inference_flag
  let width = widthMbs * 16;
  let height = heightMapUnits * 16 * (frameMbsOnly ? 1 : 2);
  if (r.flag()) {
    // frame_cropping_flag
    const left = r.ue();
    const right = r.ue();
    const top = r.ue();
    const bottom = r.ue();
    const chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
    const cropUnitX = chromaArrayType === 0 ? 1 : chromaArrayType === 3 ? 1 : 2;
    const subHeightC = chromaArrayType === 1 ? 2 : 1;
    const cropUnitY = (chromaArrayType === 0 ? 1 : subHeightC) * (frameMbsOnly ? 1 : 2);
    width -= (left + right) * cropUnitX;
    height -= (top + bottom) * cropUnitY;
    if (width <= 0 || height <= 0) {
      throw new NvrError('malformed', 'H.264 SPS cropping exceeds the picture size', {
        width,
        height,
      });
    }
  }
  let vui: H264Vui = {};
  if (r.flag()) vui = parseVui(r); // vui_parameters_present_flag
  const { fps } = vui;

  const sps: H264Sps = {
    profileIdc,
    constraintFlags,
    levelIdc,
    spsId,
    chromaFormatIdc,
    bitDepthLuma,
    bitDepthChroma,
    width,
    height,
    codecString: `avc1.${hex2(profileIdc)}${hex2(constraintFlags)}${hex2(levelIdc)}`,
  };
  if (fps !== undefined) sps.fps = fps;
  if (vui.maxNumReorderFrames !== undefined) sps.maxNumReorderFrames = vui.maxNumReorderFrames;
  else if (profileIdc === 66) sps.maxNumReorderFrames = 0;
  return sps;
}

interface H264Vui {
  fps?: number;
  maxNumReorderFrames?: number;
}

/** The VUI fields we use; a VUI cut short after the timing info keeps what was read. */
function parseVui(r: BitReader): H264Vui {
  const vui: H264Vui = {};
  const fps = parseVuiFps(r);
  if (fps !== undefined) vui.fps = fps;
  try {
    const nalHrd = r.flag() && skipHrd(r); // nal_hrd_parameters_present_flag
    const vclHrd = r.flag() && skipHrd(r); // vcl_hrd_parameters_present_flag
    if (nalHrd || vclHrd) r.skip(1); // low_delay_hrd_flag
    r.skip(1); // pic_struct_present_flag
    if (r.flag()) {
      // bitstream_restriction_flag
      r.skip(1); // motion_vectors_over_pic_boundaries_flag
      for (let i = 0; i < 4; i++) r.ue(); // max_bytes/bits denoms, log2_max_mv_length h/v
      const reorder = r.ue();
      if (reorder <= 16) vui.maxNumReorderFrames = reorder;
    }
  } catch {
    // A truncated VUI tail: the restrictions are optional hints.
  }
  return vui;
}

/** Skips hrd_parameters(); returns true (it was present). */
function skipHrd(r: BitReader): boolean {
  const cpbCnt = r.ue() + 1;
  if (cpbCnt > 32) throw new NvrError('malformed', 'H.264 HRD cpb_cnt out of range');
  r.skip(8); // bit_rate_scale, cpb_size_scale
  for (let i = 0; i < cpbCnt; i++) {
    r.ue();
    r.ue();
    r.skip(1);
  }
  r.skip(20); // four delay-length fields
  return true;
}

/** Reads the VUI up to and with timing_info; returns the frame rate when timing is present and sane. */
function parseVuiFps(r: BitReader): number | undefined {
  if (r.flag()) {
    // aspect_ratio_info_present_flag
    if (r.u(8) === 255) r.skip(32); // Extended_SAR: sar_width, sar_height
  }
  if (r.flag()) r.skip(1); // overscan_info_present_flag → overscan_appropriate_flag
  if (r.flag()) {
    // video_signal_type_present_flag
    r.skip(4); // video_format, video_full_range_flag
    if (r.flag()) r.skip(24); // colour_description_present_flag
  }
  if (r.flag()) {
    // chroma_loc_info_present_flag
    r.ue();
    r.ue();
  }
  if (!r.flag()) return undefined; // timing_info_present_flag
  const numUnitsInTick = r.u(32);
  const timeScale = r.u(32);
  r.skip(1); // fixed_frame_rate_flag
  if (numUnitsInTick === 0 || timeScale === 0) return undefined;
  return roundFps(timeScale / (2 * numUnitsInTick));
}

/** Rounds to 3 decimals so 30000/1001 reads 29.97 and 25 stays 25. */
export function roundFps(fps: number): number {
  return Math.round(fps * 1000) / 1000;
}
