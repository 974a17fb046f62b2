// Value types of the storage API (rows, windows, ranges). Types only.
import type { FragmentRecord } from './fragment-index';

export interface StreamRef {
  cameraId: string;
  /** 'main' | 'sub' (any safe name; only 'main' is treated as a main stream by retention). */
  stream: string;
}

export interface TimeWindow extends StreamRef {
  fromMs: number;
  toMs: number;
}

export interface TimeRange {
  startMs: number;
  endMs: number;
}

export interface OpenSegmentInput extends StreamRef {
  runId: number;
  startMs: number;
  /** Relative to dataDir (SegmentFileWriter.relativePath). */
  path: string;
  initSize: number;
  /** 'h264' | 'h265'. */
  codec: string;
}

export interface SegmentRow extends StreamRef {
  id: number;
  runId: number;
  startMs: number;
  endMs: number;
  path: string;
  sizeBytes: number;
  initSize: number;
  codec: string;
  open: boolean;
  fragments: FragmentRecord[];
}

export interface StreamUsage extends StreamRef {
  sizeBytes: number;
  segmentCount: number;
  oldestStartMs: number | undefined;
}
