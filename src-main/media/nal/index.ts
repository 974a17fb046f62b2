// src-main/media/nal: NAL unit framing (Annex B, length-prefixed) and RBSP bit reading shared by
// h264 and h265. Pure: bytes in, values out.
export {
  splitAnnexB,
  AnnexBSplitter,
  annexB,
  avccLengthPrefixed,
  parseLengthPrefixed,
} from './annex-b';
export { removeEmulationPrevention, BitReader } from './bit-reader';
