// H.265 sequence parameter set parsing (ITU-T H.265 7.3.2.2, 7.3.3 profile_tier_level, E.2.1 VUI).
// Owns every SPS field an hvcC box and the recorder need; it never decodes slices.
import { NvrError } from '../../base';
import { BitReader, removeEmulationPrevention } from '../nal';
import { parseProfileTierLevel, type ProfileTierLevel } from './profile-tier-level';

export interface H265Sps extends ProfileTierLevel {
  vpsId: number;
  spsId: number;
  spsMaxSubLayersMinus1: number;
  temporalIdNested: boolean;
  chromaFormatIdc: number;
  separateColourPlane: boolean;
  bitDepthLumaMinus8: number;
  bitDepthChromaMinus8: number;
  /** Coded size in luma samples, before the conformance window. */
  codedWidth: number;
  codedHeight: number;
  /** Display width (conformance window applied). */
  width: number;
  /** Display height (conformance window applied). */
  height: number;
  /** Frame rate from VUI timing (time_scale / num_units_in_tick), when present. */
  fps?: number;
  /** sps_max_num_reorder_pics of the highest sub-layer: frames that may be shown out of decode order. */
  maxNumReorderPics: number;
  /** min_spatial_segmentation_idc from VUI bitstream restrictions (0 when absent), for hvcC. */
  minSpatialSegmentationIdc: number;
  /** RFC 6381 / ISO 14496-15 codec string, e.g. 'hvc1.1.6.L93.B0'. */
  codecString: string;
}

function bad(what: string, value: number, r: BitReader): never {
  throw new NvrError('malformed', `H.265 SPS ${what} out of range (${value})`, {
    byteOffset: 2 + (r.bitsRead >> 3),
    value,
  });
}

function ueMax(r: BitReader, max: number, what: string): number {
  const v = r.ue();
  return v > max ? bad(what, v, r) : v;
}

/** Parses an H.265 SPS NAL unit (with its 2-byte header). Throws NvrError('malformed') on bad input. */
export function parseH265Sps(nal: Uint8Array): H265Sps {
  if (nal.length < 3)
    throw new NvrError('malformed', 'H.265 SPS too short', { sizeBytes: nal.length });
  const nalType = (nal[0]! >> 1) & 0x3f;
  if (nalType !== 33)
    throw new NvrError('malformed', `not an H.265 SPS (NAL type ${nalType})`, { nalType });
  const r = new BitReader(removeEmulationPrevention(nal.subarray(2)), 2);
  const vpsId = r.u(4);
  const spsMaxSubLayersMinus1 = r.u(3);
  if (spsMaxSubLayersMinus1 > 6) bad('sps_max_sub_layers_minus1', spsMaxSubLayersMinus1, r);
  const temporalIdNested = r.flag();
  const ptl = parseProfileTierLevel(r, spsMaxSubLayersMinus1);
  const spsId = ueMax(r, 15, 'sps_seq_parameter_set_id');
  const chromaFormatIdc = ueMax(r, 3, 'chroma_format_idc');
  const separateColourPlane = chromaFormatIdc === 3 ? r.flag() : false;
  const codedWidth = ueMax(r, 65535, 'pic_width_in_luma_samples');
  const codedHeight = ueMax(r, 65535, 'pic_height_in_luma_samples');
  if (codedWidth === 0 || codedHeight === 0) bad('picture size', 0, r);
  let width = codedWidth;
  let height = codedHeight;
  if (r.flag()) {
    // conformance_window_flag
    const chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
    const subWidthC = chromaArrayType === 1 || chromaArrayType === 2 ? 2 : 1;
    const subHeightC = chromaArrayType === 1 ? 2 : 1;
    const left = r.ue();
    const right = r.ue();
    const top = r.ue();
    const bottom = r.ue();
    width -= subWidthC * (left + right);
    height -= subHeightC * (top + bottom);
    if (width <= 0 || height <= 0) bad('conformance window', Math.min(width, height), r);
  }
  const bitDepthLumaMinus8 = ueMax(r, 8, 'bit_depth_luma_minus8');
  const bitDepthChromaMinus8 = ueMax(r, 8, 'bit_depth_chroma_minus8');
  const log2MaxPocLsb = ueMax(r, 12, 'log2_max_pic_order_cnt_lsb_minus4') + 4;
  const subLayerOrderingInfo = r.flag();
  let maxNumReorderPics = 0;
  for (let i = subLayerOrderingInfo ? 0 : spsMaxSubLayersMinus1; i <= spsMaxSubLayersMinus1; i++) {
    r.ue(); // sps_max_dec_pic_buffering_minus1
    maxNumReorderPics = Math.min(r.ue(), 16); // sps_max_num_reorder_pics
    r.ue(); // sps_max_latency_increase_plus1
  }
  r.ue(); // log2_min_luma_coding_block_size_minus3
  r.ue(); // log2_diff_max_min_luma_coding_block_size
  r.ue(); // log2_min_luma_transform_block_size_minus2
  r.ue(); // log2_diff_max_min_luma_transform_block_size
  r.ue(); // max_transform_hierarchy_depth_inter
  r.ue(); // max_transform_hierarchy_depth_intra
  if (r.flag() && r.flag()) skipScalingListData(r); // scaling_list_enabled, sps_scaling_list_data_present
  r.skip(2); // amp_enabled_flag, sample_adaptive_offset_enabled_flag
  if (r.flag()) {
    // pcm_enabled_flag
    r.skip(8); // pcm_sample_bit_depth_luma_minus1, pcm_sample_bit_depth_chroma_minus1
    r.ue(); // log2_min_pcm_luma_coding_block_size_minus3
    r.ue(); // log2_diff_max_min_pcm_luma_coding_block_size
    r.skip(1); // pcm_loop_filter_disabled_flag
  }
  const numStRps = ueMax(r, 64, 'num_short_term_ref_pic_sets');
  const sets: StRps[] = [];
  for (let i = 0; i < numStRps; i++) sets.push(parseStRefPicSet(r, i, sets));
  if (r.flag()) {
    // long_term_ref_pics_present_flag
    const numLt = ueMax(r, 32, 'num_long_term_ref_pics_sps');
    for (let i = 0; i < numLt; i++) r.skip(log2MaxPocLsb + 1); // lt_ref_pic_poc_lsb_sps, used_by_curr_pic_lt_sps_flag
  }
  r.skip(2); // sps_temporal_mvp_enabled_flag, strong_intra_smoothing_enabled_flag
  let vui: Vui = { minSpatialSegmentationIdc: 0 };
  if (r.flag()) vui = parseVui(r, spsMaxSubLayersMinus1);

  const sps: H265Sps = {
    ...ptl,
    vpsId,
    spsId,
    spsMaxSubLayersMinus1,
    temporalIdNested,
    chromaFormatIdc,
    separateColourPlane,
    bitDepthLumaMinus8,
    bitDepthChromaMinus8,
    codedWidth,
    codedHeight,
    width,
    height,
    maxNumReorderPics,
    minSpatialSegmentationIdc: vui.minSpatialSegmentationIdc,
    codecString: h265CodecString(ptl),
  };
  if (vui.fps !== undefined) sps.fps = vui.fps;
  return sps;
}

/** ISO/IEC 14496-15 Annex E codec string: hvc1.<space><profile>.<compat>.<tier><level>[.<constraints>]. */
export function h265CodecString(ptl: ProfileTierLevel, sampleEntry = 'hvc1'): string {
  const space = ['', 'A', 'B', 'C'][ptl.generalProfileSpace] ?? '';
  let reversed = 0;
  for (let i = 0; i < 32; i++) {
    if ((ptl.generalProfileCompatibilityFlags >>> i) & 1) reversed |= 1 << (31 - i);
  }
  const compat = (reversed >>> 0).toString(16);
  const tier = ptl.generalTierFlag ? 'H' : 'L';
  const bytes = Array.from(ptl.generalConstraintIndicatorFlags);
  while (bytes.length > 0 && bytes[bytes.length - 1] === 0) bytes.pop();
  const constraints = bytes.map((b) => '.' + b.toString(16).toUpperCase()).join('');
  return `${sampleEntry}.${space}${ptl.generalProfileIdc}.${compat}.${tier}${ptl.generalLevelIdc}${constraints}`;
}

function skipScalingListData(r: BitReader): void {
  for (let sizeId = 0; sizeId < 4; sizeId++) {
    for (let matrixId = 0; matrixId < 6; matrixId += sizeId === 3 ? 3 : 1) {
      if (!r.flag()) {
        r.ue(); // scaling_list_pred_matrix_id_delta
      } else {
        const coefNum = Math.min(64, 1 << (4 + (sizeId << 1)));
        if (sizeId > 1) r.se(); // scaling_list_dc_coef_minus8
        for (let i = 0; i < coefNum; i++) r.se(); // scaling_list_delta_coef
      }
    }
  }
}

/** A short-term reference picture set: the POC deltas (values matter for inter-RPS prediction). */
interface StRps {
  s0: number[];
  s1: number[];
}

function parseStRefPicSet(r: BitReader, idx: number, sets: StRps[]): StRps {
  const interPrediction = idx !== 0 && r.flag();
  if (!interPrediction) {
    const numNegative = ueMax(r, 16, 'num_negative_pics');
    const numPositive = ueMax(r, 16, 'num_positive_pics');
    const s0: number[] = [];
    const s1: number[] = [];
    let poc = 0;
    for (let i = 0; i < numNegative; i++) {
      poc -= r.ue() + 1;
      r.skip(1); // used_by_curr_pic_s0_flag
      s0.push(poc);
    }
    poc = 0;
    for (let i = 0; i < numPositive; i++) {
      poc += r.ue() + 1;
      r.skip(1); // used_by_curr_pic_s1_flag
      s1.push(poc);
    }
    return { s0, s1 };
  }
  // In an SPS delta_idx_minus1 is absent (inferred 0): the reference is the previous set.
  const ref = sets[idx - 1]!;
  const sign = r.u1();
  const absDelta = ueMax(r, 32767, 'abs_delta_rps_minus1') + 1;
  const deltaRps = sign ? -absDelta : absDelta;
  const numDeltaPocs = ref.s0.length + ref.s1.length;
  const useDelta: boolean[] = [];
  for (let j = 0; j <= numDeltaPocs; j++) {
    const used = r.flag();
    useDelta.push(used ? true : r.flag());
  }
  // Derivation 7-61/7-62 of H.265.
  const s0: number[] = [];
  const s1: number[] = [];
  const nNeg = ref.s0.length;
  for (let j = ref.s1.length - 1; j >= 0; j--) {
    const d = ref.s1[j]! + deltaRps;
    if (d < 0 && useDelta[nNeg + j]) s0.push(d);
  }
  if (deltaRps < 0 && useDelta[numDeltaPocs]) s0.push(deltaRps);
  for (let j = 0; j < nNeg; j++) {
    const d = ref.s0[j]! + deltaRps;
    if (d < 0 && useDelta[j]) s0.push(d);
  }
  for (let j = nNeg - 1; j >= 0; j--) {
    const d = ref.s0[j]! + deltaRps;
    if (d > 0 && useDelta[j]) s1.push(d);
  }
  if (deltaRps > 0 && useDelta[numDeltaPocs]) s1.push(deltaRps);
  for (let j = 0; j < ref.s1.length; j++) {
    const d = ref.s1[j]! + deltaRps;
    if (d > 0 && useDelta[nNeg + j]) s1.push(d);
  }
  if (s0.length > 16 || s1.length > 16) bad('short-term RPS size', s0.length + s1.length, r);
  return { s0, s1 };
}

interface Vui {
  fps?: number;
  minSpatialSegmentationIdc: number;
}

function parseVui(r: BitReader, maxSubLayersMinus1: number): Vui {
  if (r.flag()) {
    // aspect_ratio_info_present_flag
    if (r.u(8) === 255) r.skip(32); // sar_width, sar_height
  }
  if (r.flag()) r.skip(1); // overscan_info_present_flag → overscan_appropriate_flag
  if (r.flag()) {
    // video_signal_type_present_flag
    r.skip(4); // video_format, video_full_range_flag
    if (r.flag()) r.skip(24); // colour_primaries, transfer_characteristics, matrix_coeffs
  }
  if (r.flag()) {
    // chroma_loc_info_present_flag
    r.ue();
    r.ue();
  }
  r.skip(3); // neutral_chroma_indication_flag, field_seq_flag, frame_field_info_present_flag
  if (r.flag()) {
    // default_display_window_flag
    for (let i = 0; i < 4; i++) r.ue();
  }
  const vui: Vui = { minSpatialSegmentationIdc: 0 };
  if (r.flag()) {
    // vui_timing_info_present_flag
    const numUnitsInTick = r.u(32);
    const timeScale = r.u(32);
    if (numUnitsInTick > 0 && timeScale > 0)
      vui.fps = Math.round((timeScale / numUnitsInTick) * 1000) / 1000;
    if (r.flag()) r.ue(); // vui_poc_proportional_to_timing_flag → vui_num_ticks_poc_diff_one_minus1
    if (r.flag()) skipHrdParameters(r, true, maxSubLayersMinus1);
  }
  if (r.flag()) {
    // bitstream_restriction_flag
    r.skip(3); // tiles_fixed_structure, motion_vectors_over_pic_boundaries, restricted_ref_pic_lists
    vui.minSpatialSegmentationIdc = ueMax(r, 4095, 'min_spatial_segmentation_idc');
    // max_bytes_per_pic_denom, max_bits_per_min_cu_denom, log2_max_mv_length_horizontal/vertical follow.
  }
  return vui;
}

function skipSubLayerHrd(r: BitReader, cpbCnt: number, subPicParams: boolean): void {
  for (let i = 0; i < cpbCnt; i++) {
    r.ue(); // bit_rate_value_minus1
    r.ue(); // cpb_size_value_minus1
    if (subPicParams) {
      r.ue(); // cpb_size_du_value_minus1
      r.ue(); // bit_rate_du_value_minus1
    }
    r.skip(1); // cbr_flag
  }
}

function skipHrdParameters(
  r: BitReader,
  commonInfPresent: boolean,
  maxSubLayersMinus1: number,
): void {
  let nalHrd = false;
  let vclHrd = false;
  let subPicParams = false;
  if (commonInfPresent) {
    nalHrd = r.flag();
    vclHrd = r.flag();
    if (nalHrd || vclHrd) {
      subPicParams = r.flag();
      if (subPicParams) r.skip(8 + 5 + 1 + 5); // tick_divisor, du_cpb_removal_delay_inc_len, flag, dpb_output_delay_du_len
      r.skip(4 + 4); // bit_rate_scale, cpb_size_scale
      if (subPicParams) r.skip(4); // cpb_size_du_scale
      r.skip(5 + 5 + 5); // initial_cpb_removal_delay_length, au_cpb_removal_delay_length, dpb_output_delay_length
    }
  }
  for (let i = 0; i <= maxSubLayersMinus1; i++) {
    const fixedGeneral = r.flag();
    let fixedWithinCvs = true;
    if (!fixedGeneral) fixedWithinCvs = r.flag();
    let lowDelay = false;
    if (fixedWithinCvs)
      r.ue(); // elemental_duration_in_tc_minus1
    else lowDelay = r.flag();
    let cpbCnt = 1;
    if (!lowDelay) cpbCnt = ueMax(r, 31, 'cpb_cnt_minus1') + 1;
    if (nalHrd) skipSubLayerHrd(r, cpbCnt, subPicParams);
    if (vclHrd) skipSubLayerHrd(r, cpbCnt, subPicParams);
  }
}
