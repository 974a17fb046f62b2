// H.265 profile_tier_level() (7.3.3): general fields for hvcC and codec strings; sub-layer fields skipped.
// Owns only this syntax structure; shared by the SPS (and VPS, if ever parsed).
import type { BitReader } from '../nal';

export interface ProfileTierLevel {
  generalProfileSpace: number;
  generalTierFlag: number;
  generalProfileIdc: number;
  /** general_profile_compatibility_flag[0..31], flag 0 in the most significant bit (as stored in hvcC). */
  generalProfileCompatibilityFlags: number;
  /** The 48 bits from general_progressive_source_flag on, as 6 bytes (as stored in hvcC). */
  generalConstraintIndicatorFlags: Uint8Array;
  generalLevelIdc: number;
}

export function parseProfileTierLevel(r: BitReader, maxSubLayersMinus1: number): ProfileTierLevel {
  const generalProfileSpace = r.u(2);
  const generalTierFlag = r.u(1);
  const generalProfileIdc = r.u(5);
  const generalProfileCompatibilityFlags = r.u(32) >>> 0;
  const generalConstraintIndicatorFlags = new Uint8Array(6);
  for (let i = 0; i < 6; i++) generalConstraintIndicatorFlags[i] = r.u(8);
  const generalLevelIdc = r.u(8);
  const profilePresent: boolean[] = [];
  const levelPresent: boolean[] = [];
  for (let i = 0; i < maxSubLayersMinus1; i++) {
    profilePresent.push(r.flag());
    levelPresent.push(r.flag());
  }
  if (maxSubLayersMinus1 > 0) r.skip(2 * (8 - maxSubLayersMinus1)); // reserved_zero_2bits
  for (let i = 0; i < maxSubLayersMinus1; i++) {
    if (profilePresent[i]) r.skip(88); // sub_layer profile space .. inbld/reserved flag
    if (levelPresent[i]) r.skip(8); // sub_layer_level_idc
  }
  return {
    generalProfileSpace,
    generalTierFlag,
    generalProfileIdc,
    generalProfileCompatibilityFlags,
    generalConstraintIndicatorFlags,
    generalLevelIdc,
  };
}
