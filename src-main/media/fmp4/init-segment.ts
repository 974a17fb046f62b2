// The fMP4 init segment (ftyp + moov with an empty sample table and mvex/trex) for one video track.
// Owns box layout of the movie header; it never writes samples (see fragment.ts).
import { ByteWriter } from './box-writer';
import { writeAvcC, writeHvcC } from './codec-config';
import type { VideoTrackConfig } from './codec-config';

export const VIDEO_TRACK_ID = 1;

/** Seconds between 1904-01-01 (MP4 epoch) and 1970-01-01. */
const MP4_EPOCH_OFFSET_S = 2_082_844_800;

const UNITY_MATRIX = [0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000];

export interface InitSegmentOptions {
  /** Wall-clock creation time written to mvhd/tkhd/mdhd; 0 (unknown) when absent. */
  creationTimeMs?: number;
}

function matrix(w: ByteWriter): void {
  for (const v of UNITY_MATRIX) w.u32(v);
}

/** Writes the version-dependent creation/modification times (both set to `time`). */
function times(w: ByteWriter, version: number, time: number): void {
  if (version === 1) w.u64(time).u64(time);
  else w.u32(time).u32(time);
}

/** ftyp + moov for one video track, as Chromium MSE, ffmpeg and hls.js accept it. */
export function buildInitSegment(
  track: VideoTrackConfig,
  opts: InitSegmentOptions = {},
): Uint8Array {
  const w = new ByteWriter(1024);
  const time =
    opts.creationTimeMs !== undefined && opts.creationTimeMs > 0
      ? Math.floor(opts.creationTimeMs / 1000) + MP4_EPOCH_OFFSET_S
      : 0;
  const v = time > 0xffffffff ? 1 : 0;

  w.box('ftyp', () => {
    w.fourcc('isom').u32(0x200);
    for (const brand of ['isom', 'iso6', 'iso5', 'mp41']) w.fourcc(brand);
  });
  w.box('moov', () => {
    w.fullBox('mvhd', v, 0, () => {
      times(w, v, time);
      w.u32(1000); // timescale
      if (v === 1) w.u64(0);
      else w.u32(0); // duration: unknown (fragmented)
      w.u32(0x00010000).u16(0x0100).zeros(10); // rate, volume, reserved
      matrix(w);
      w.zeros(24); // pre_defined
      w.u32(VIDEO_TRACK_ID + 1); // next_track_ID
    });
    w.box('trak', () => {
      w.fullBox('tkhd', v, 0x000003, () => {
        // flags: track_enabled | track_in_movie
        times(w, v, time);
        w.u32(VIDEO_TRACK_ID).u32(0);
        if (v === 1) w.u64(0);
        else w.u32(0); // duration
        w.zeros(8).u16(0).u16(0).u16(0).u16(0); // reserved, layer, alternate_group, volume, reserved
        matrix(w);
        w.u32(track.width * 0x10000).u32(track.height * 0x10000);
      });
      w.box('mdia', () => {
        w.fullBox('mdhd', v, 0, () => {
          times(w, v, time);
          w.u32(track.timescale);
          if (v === 1) w.u64(0);
          else w.u32(0);
          w.u16(0x55c4).u16(0); // language 'und', pre_defined
        });
        w.fullBox('hdlr', 0, 0, () => {
          w.u32(0).fourcc('vide').zeros(12);
          w.bytes(new TextEncoder().encode('VideoHandler\0'));
        });
        w.box('minf', () => {
          w.fullBox('vmhd', 0, 1, () => w.zeros(8)); // graphicsmode, opcolor
          w.box('dinf', () => {
            w.fullBox('dref', 0, 0, () => {
              w.u32(1);
              w.fullBox('url ', 0, 1); // self-contained
            });
          });
          w.box('stbl', () => {
            w.fullBox('stsd', 0, 0, () => {
              w.u32(1);
              sampleEntry(w, track);
            });
            w.fullBox('stts', 0, 0, () => w.u32(0));
            w.fullBox('stsc', 0, 0, () => w.u32(0));
            w.fullBox('stsz', 0, 0, () => w.u32(0).u32(0));
            w.fullBox('stco', 0, 0, () => w.u32(0));
          });
        });
      });
    });
    w.box('mvex', () => {
      w.fullBox('trex', 0, 0, () => {
        w.u32(VIDEO_TRACK_ID).u32(1).u32(0).u32(0).u32(0);
      });
    });
  });
  return w.finish();
}

/** avc1 + avcC or hvc1 + hvcC visual sample entry. */
export function sampleEntry(w: ByteWriter, track: VideoTrackConfig): void {
  w.box(track.codec === 'h264' ? 'avc1' : 'hvc1', () => {
    w.zeros(6).u16(1); // reserved, data_reference_index
    w.u16(0).u16(0).zeros(12); // pre_defined, reserved, pre_defined
    w.u16(track.width).u16(track.height);
    w.u32(0x00480000).u32(0x00480000); // 72 dpi
    w.u32(0).u16(1); // reserved, frame_count
    w.zeros(32); // compressorname (empty)
    w.u16(0x0018).i16(-1); // depth, pre_defined
    if (track.codec === 'h264') writeAvcC(w, track);
    else writeHvcC(w, track);
  });
}
