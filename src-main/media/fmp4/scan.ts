// Crash-recovery scan of a fragmented MP4 file: the init segment, then every whole moof + mdat
// pair. Owns the "where does the valid data end" decision; it never modifies or truncates bytes.
import { NvrError, isNvrError } from '../../base';
import { boxEnd, readBoxHeader } from './box-reader';
import type { BoxHeader } from './box-reader';
import { parseMoov } from './init-parser';
import type { InitSegmentInfo } from './init-parser';
import { DEFAULT_TRACK, parseMoof, ticksTo90k } from './moof-parser';
import type { TrackDefaults } from './moof-parser';

export interface ScannedFragment {
  /** Offset of the moof. */
  offset: number;
  /** moof + mdat size. */
  size: number;
  sequenceNumber: number;
  /** tfdt (decode time of the first sample) in 90 kHz. */
  startPts90k: number;
  /** Sum of the sample durations in 90 kHz. */
  durationTicks: number;
  sampleCount: number;
  /** The first sample is a sync sample. */
  isKeyframe: boolean;
}

export interface ScanResult {
  /** Offset just past the moov (where the first fragment starts). */
  initEnd: number;
  init: InitSegmentInfo;
  fragments: ScannedFragment[];
  /** End of the last whole moof + mdat pair (initEnd when there is none): truncate here. */
  validEnd: number;
}

/** Top-level boxes that may sit between fragments and are skipped. */
const SKIPPABLE = new Set(['free', 'skip', 'styp', 'sidx', 'prft', 'emsg', 'uuid']);
const HEADER_BOXES = new Set(['ftyp', 'free', 'skip', 'uuid', 'styp']);

function isPrintableType(type: string): boolean {
  for (let i = 0; i < 4; i++) {
    const c = type.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

/**
 * Scans a whole file. Throws NvrError('malformed') only when the header (ftyp + moov) is missing,
 * cut off or broken; any damage after it ends the scan, reported through validEnd.
 */
export function scanFragments(bytes: Uint8Array): ScanResult {
  const first = readBoxHeader(bytes, 0);
  if (!first || first.type !== 'ftyp' || boxEnd(first) > bytes.length) {
    throw new NvrError('malformed', 'file does not start with a whole ftyp', {
      sizeBytes: bytes.length,
    });
  }
  let at = boxEnd(first);
  let init: InitSegmentInfo | undefined;
  while (!init) {
    const h = readBoxHeader(bytes, at);
    if (!h || boxEnd(h) > bytes.length) {
      throw new NvrError('malformed', 'file header cut off before the end of moov', {
        byteOffset: at,
        sizeBytes: bytes.length,
      });
    }
    if (h.type === 'moov') init = parseMoov(bytes, h);
    else if (!HEADER_BOXES.has(h.type)) {
      throw new NvrError('malformed', `unexpected '${h.type}' before moov`, { byteOffset: at });
    }
    at = boxEnd(h);
  }
  const initEnd = at;
  const defaults = init.trackDefaults;
  const fragments: ScannedFragment[] = [];
  let validEnd = initEnd;
  for (;;) {
    const fragment = tryFragmentAt(bytes, at, defaults);
    if (fragment === 'stop') break;
    if (fragment === 'skip') {
      at = boxEnd(readBoxHeader(bytes, at)!);
      continue;
    }
    fragments.push(fragment);
    at = fragment.offset + fragment.size;
    validEnd = at;
  }
  return { initEnd, init, fragments, validEnd };
}

/** A whole box at `at` within the buffer, or null (cut off, garbage). */
function wholeBox(bytes: Uint8Array, at: number): BoxHeader | null {
  let h: BoxHeader | null;
  try {
    h = readBoxHeader(bytes, at);
  } catch (e) {
    if (isNvrError(e)) return null;
    throw e;
  }
  if (!h || boxEnd(h) > bytes.length || !isPrintableType(h.type)) return null;
  return h;
}

function tryFragmentAt(
  bytes: Uint8Array,
  at: number,
  defaults: TrackDefaults = DEFAULT_TRACK,
): ScannedFragment | 'skip' | 'stop' {
  const moof = wholeBox(bytes, at);
  if (!moof) return 'stop';
  if (moof.type !== 'moof') return SKIPPABLE.has(moof.type) ? 'skip' : 'stop';
  const mdat = wholeBox(bytes, boxEnd(moof));
  if (!mdat || mdat.type !== 'mdat') return 'stop';
  let parsed;
  try {
    parsed = parseMoof(bytes, moof, defaults);
  } catch (e) {
    if (isNvrError(e)) return 'stop';
    throw e;
  }
  const dataStart = mdat.start + mdat.headerSize;
  let durationTicks = 0;
  for (const s of parsed.samples) {
    if (s.dataOffset < dataStart || s.dataOffset + s.sizeBytes > boxEnd(mdat)) return 'stop';
    durationTicks += s.durationTicks;
  }
  if (parsed.samples.length === 0) return 'stop';
  const ts = defaults.timescale;
  return {
    offset: moof.start,
    size: boxEnd(mdat) - moof.start,
    sequenceNumber: parsed.sequenceNumber,
    startPts90k: ticksTo90k(parsed.baseMediaDecodeTimeTicks, ts),
    durationTicks: ticksTo90k(durationTicks, ts),
    sampleCount: parsed.samples.length,
    isKeyframe: parsed.samples[0]!.isKeyframe,
  };
}
