// src-main/storage: the SQLite recording index, segment files, retention and recovery.
// The only code that touches SQLite (better-sqlite3) or the recordings folder.
export { SegmentFileWriter } from './segment-file-writer';
export type { OpenSegmentFileOptions, AppendResult } from './segment-file-writer';
export { RecordingIndex, segmentEndMs } from './recording-index';
export type { RecordingIndexOptions, StorageClock } from './recording-index';
export { SqliteCameraStore } from './camera-store';
export type { StoredCameraRecord, SecretCipher } from './camera-store';
export { SqliteAuthStore } from './auth-store';
export { SqliteViewStore, viewNameKey } from './view-store';
export type { StoredViewRecord } from './view-store';
export type { AuthRole, AuthUserRecord, AuthTokenRecord, AuditRecord } from './auth-store';
export type {
  StreamRef,
  TimeWindow,
  TimeRange,
  OpenSegmentInput,
  SegmentRow,
  StreamUsage,
} from './types';
export {
  encodeFragmentIndex,
  decodeFragmentIndex,
  FragmentIndexEncoder,
  FRAGMENT_INDEX_VERSION,
} from './fragment-index';
export type { FragmentRecord } from './fragment-index';
export { RetentionManager, DAY_MS } from './retention';
export type { RetentionOptions, RetentionReport, FreeSpace } from './retention';
export { recover, recoverStreams } from './recovery';
export { deleteSegments, discardSegment } from './segment-deleter';
export type { DeletableSegment } from './segment-deleter';
export type {
  RecoverOptions,
  RecoverStreamsOptions,
  RecoveryReport,
  FragmentScan,
} from './recovery';
export { segmentRelativePath, parseSegmentPath, RECORDINGS_DIR } from './paths';
export { SCHEMA_VERSION } from './schema';
export {
  SegmentFile,
  readSegmentBytes,
  segmentFileSize,
  createSegmentReadStream,
} from './segment-reader';
