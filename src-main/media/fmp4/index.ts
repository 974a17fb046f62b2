// src-main/media/fmp4: fragmented MP4 writing (init segment, moof + mdat fragments, the streaming
// fragmenter) and box-level parsing (init segment, fragments, crash-recovery scan). Pure: no I/O.
export { VIDEO_TIMESCALE, trackConfigFromParameterSets } from './codec-config';
export type { VideoTrackConfig, ParameterSets } from './codec-config';
export { buildInitSegment, VIDEO_TRACK_ID } from './init-segment';
export type { InitSegmentOptions } from './init-segment';
export {
  buildFragment,
  buildFragmentParts,
  joinParts,
  accessUnitToSample,
  accessUnitToSampleParts,
  SYNC_SAMPLE_FLAGS,
  NON_SYNC_SAMPLE_FLAGS,
} from './fragment';
export type { FragmentSample, FragmentInput, SampleOptions } from './fragment';
export { FragmentBuilder } from './fragment-builder';
export type { FinishedFragment, FragmentBuilderOptions } from './fragment-builder';
export { readBoxes, readBoxHeader, boxEnd, bodyStart } from './box-reader';
export type { BoxHeader } from './box-reader';
export { parseInitSegment } from './init-parser';
export type { InitSegmentInfo } from './init-parser';
export { parseFragmentSamples } from './moof-parser';
export type { TrackDefaults, ParsedFragment, FragmentSampleInfo } from './moof-parser';
export { scanFragments } from './scan';
export type { ScanResult, ScannedFragment } from './scan';
export { parseMoof } from './moof-parser';
export type { ParsedMoof, ParsedSample } from './moof-parser';
export { layoutProgressiveMp4, EXPORT_MOVIE_TIMESCALE } from './progressive-mp4';
export type {
  Mp4Sample,
  Mp4Chunk,
  Mp4Edit,
  Mp4TrackInput,
  Mp4Layout,
  Mp4LayoutOptions,
  PlacedChunk,
} from './progressive-mp4';
