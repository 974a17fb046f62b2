// Init segment (ftyp + moov) parsing: the video track's codec, size, timescale, parameter sets
// and trex defaults. Reads only avc1/avc3/hvc1/hev1 entries; anything broken is NvrError('malformed').
import { NvrError, copyBytes } from '../../base';
import type { VideoCodec } from '../types';
import {
  bodyStart,
  boxEnd,
  children,
  findChild,
  fullBoxReader,
  readBoxes,
  requireChild,
  FieldReader,
} from './box-reader';
import type { BoxHeader } from './box-reader';
import { trackConfigFromParameterSets } from './codec-config';
import type { VideoTrackConfig } from './codec-config';
import type { TrackDefaults } from './moof-parser';

export interface InitSegmentInfo extends VideoTrackConfig {
  trackId: number;
  /** Defaults for parseFragmentSamples (trex of the video track and its timescale). */
  trackDefaults: TrackDefaults;
  /** Offset just past the moov box. */
  moovEnd: number;
}

/** Bytes of a VisualSampleEntry before its child boxes. */
const VISUAL_SAMPLE_ENTRY_BYTES = 78;

/** Finds the top-level moov in `bytes` (an init segment or a whole file) and reads its video track. */
export function parseInitSegment(bytes: Uint8Array): InitSegmentInfo {
  let moov: BoxHeader | undefined;
  for (const h of readBoxes(bytes)) {
    if (h.type === 'moov') {
      moov = h;
      break;
    }
    if (h.type === 'moof' || h.type === 'mdat') break;
  }
  if (!moov) throw new NvrError('malformed', "no 'moov' box", { sizeBytes: bytes.length });
  return parseMoov(bytes, moov);
}

export function parseMoov(bytes: Uint8Array, moov: BoxHeader): InitSegmentInfo {
  const boxes = children(bytes, moov);
  for (const trak of boxes.filter((b) => b.type === 'trak')) {
    const mdia = requireChild(bytes, trak, 'mdia');
    const hdlr = fullBoxReader(bytes, requireChild(bytes, mdia, 'hdlr'));
    hdlr.r.u32();
    if (hdlr.r.fourcc() !== 'vide') continue;

    const tkhd = fullBoxReader(bytes, requireChild(bytes, trak, 'tkhd'));
    tkhd.r.skip(tkhd.version === 1 ? 16 : 8);
    const trackId = tkhd.r.u32();

    const mdhd = fullBoxReader(bytes, requireChild(bytes, mdia, 'mdhd'));
    mdhd.r.skip(mdhd.version === 1 ? 16 : 8);
    const timescale = mdhd.r.u32();
    if (timescale === 0)
      throw new NvrError('malformed', 'mdhd timescale is 0', { byteOffset: mdia.start });

    const stbl = requireChild(bytes, requireChild(bytes, mdia, 'minf'), 'stbl');
    const stsd = requireChild(bytes, stbl, 'stsd');
    const entries = children(bytes, stsd, 8); // version/flags + entry_count
    const entry = entries[0];
    if (!entry) throw new NvrError('malformed', "empty 'stsd'", { byteOffset: stsd.start });
    const codec = sampleEntryCodec(entry);
    const fields = new FieldReader(bytes, bodyStart(entry) + 24, boxEnd(entry));
    const width = fields.u16();
    const height = fields.u16();
    const configType = codec === 'h264' ? 'avcC' : 'hvcC';
    const config = findChild(bytes, entry, configType, VISUAL_SAMPLE_ENTRY_BYTES);
    if (!config) {
      throw new NvrError('malformed', `'${entry.type}' has no '${configType}'`, {
        byteOffset: entry.start,
      });
    }
    const ps = codec === 'h264' ? readAvcC(bytes, config) : readHvcC(bytes, config);
    const track = trackConfigFromParameterSets({ codec, ...ps });

    const trackDefaults: TrackDefaults = {
      trackId,
      timescale,
      defaultSampleDurationTicks: 0,
      defaultSampleSizeBytes: 0,
      defaultSampleFlags: 0,
    };
    const mvex = boxes.find((b) => b.type === 'mvex');
    for (const trex of mvex ? children(bytes, mvex).filter((b) => b.type === 'trex') : []) {
      const { r } = fullBoxReader(bytes, trex);
      if (r.u32() !== trackId) continue;
      r.u32(); // default_sample_description_index
      trackDefaults.defaultSampleDurationTicks = r.u32();
      trackDefaults.defaultSampleSizeBytes = r.u32();
      trackDefaults.defaultSampleFlags = r.u32();
    }
    return { ...track, width, height, timescale, trackId, trackDefaults, moovEnd: boxEnd(moov) };
  }
  throw new NvrError('malformed', "'moov' has no video track", { byteOffset: moov.start });
}

function sampleEntryCodec(entry: BoxHeader): VideoCodec {
  switch (entry.type) {
    case 'avc1':
    case 'avc3':
      return 'h264';
    case 'hvc1':
    case 'hev1':
      return 'h265';
    default:
      throw new NvrError('unsupported_codec', `unsupported sample entry '${entry.type}'`, {
        byteOffset: entry.start,
        type: entry.type,
      });
  }
}

function readAvcC(bytes: Uint8Array, box: BoxHeader): { sps: Uint8Array; pps: Uint8Array } {
  const r = new FieldReader(bytes, bodyStart(box), boxEnd(box));
  r.skip(5); // version, profile, compatibility, level, lengthSizeMinusOne
  const spsCount = r.u8() & 0x1f;
  const spsList: Uint8Array[] = [];
  for (let i = 0; i < spsCount; i++) spsList.push(copyBytes(r.bytes(r.u16())));
  const ppsCount = r.u8();
  const ppsList: Uint8Array[] = [];
  for (let i = 0; i < ppsCount; i++) ppsList.push(copyBytes(r.bytes(r.u16())));
  const sps = spsList[0];
  const pps = ppsList[0];
  if (!sps || !pps)
    throw new NvrError('malformed', "'avcC' lacks an SPS or PPS", { byteOffset: box.start });
  return { sps, pps };
}

function readHvcC(
  bytes: Uint8Array,
  box: BoxHeader,
): { vps: Uint8Array; sps: Uint8Array; pps: Uint8Array } {
  const r = new FieldReader(bytes, bodyStart(box), boxEnd(box));
  r.skip(22);
  const arrays = r.u8();
  const found = new Map<number, Uint8Array>();
  for (let i = 0; i < arrays; i++) {
    const type = r.u8() & 0x3f;
    const n = r.u16();
    for (let j = 0; j < n; j++) {
      const nal = r.bytes(r.u16());
      if (!found.has(type)) found.set(type, copyBytes(nal));
    }
  }
  const vps = found.get(32);
  const sps = found.get(33);
  const pps = found.get(34);
  if (!vps || !sps || !pps) {
    throw new NvrError('malformed', "'hvcC' lacks a VPS, SPS or PPS", { byteOffset: box.start });
  }
  return { vps, sps, pps };
}
