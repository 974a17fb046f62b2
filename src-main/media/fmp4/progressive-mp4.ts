// Progressive (moov-first) MP4 layout for export: ftyp + moov (full sample tables, edit lists, wall-clock
// metadata) + the mdat header, and where every chunk of sample bytes goes. Pure: it never sees the
// sample bytes, so the exact file size is known before the first byte (the caller copies the chunks).
import { NvrError } from '../../base';
import { ByteWriter } from './box-writer';
import type { VideoTrackConfig } from './codec-config';
import { sampleEntry } from './init-segment';

/** Seconds between 1904-01-01 (MP4 epoch) and 1970-01-01. */
const MP4_EPOCH_OFFSET_S = 2_082_844_800;
const UNITY_MATRIX = [0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000];
/** Movie timescale of exports: the same 90 kHz as the media, so edits are exact. */
export const EXPORT_MOVIE_TIMESCALE = 90_000;

export interface Mp4Sample {
  sizeBytes: number;
  durationTicks: number;
  isKeyframe: boolean;
  /** pts − dts in track ticks (0 without B-frames). */
  compositionOffset: number;
}

/** A run of samples stored back to back (one source fragment's samples, typically). */
export interface Mp4Chunk {
  /** Samples [firstSample, firstSample + sampleCount) of the track. */
  firstSample: number;
  sampleCount: number;
  sizeBytes: number;
  /** Interleaving key across tracks (e.g. wall-clock ms); chunks are written in ascending order. */
  orderKey: number;
}

/** One edit-list entry: `mediaTimeTicks` −1 is an empty edit (nothing shown for that long). */
export interface Mp4Edit {
  /** In the movie timescale (90 kHz). */
  durationTicks: number;
  mediaTimeTicks: number;
}

export interface Mp4TrackInput {
  config: VideoTrackConfig;
  samples: readonly Mp4Sample[];
  chunks: readonly Mp4Chunk[];
  edits: readonly Mp4Edit[];
  /** hdlr name (shown by ffprobe as handler_name), e.g. the camera id. */
  name?: string;
}

export interface Mp4LayoutOptions {
  /** Wall clock of the first shown frame: mvhd/tkhd/mdhd creation time and a `©day` ISO date. */
  startMs?: number;
  /** Free text in `©cmt` (e.g. camera names and the requested window). */
  comment?: string;
}

export interface PlacedChunk {
  track: number;
  chunk: number;
  /** Offset of the chunk's first byte in the output file. */
  outputOffset: number;
  sizeBytes: number;
}

export interface Mp4Layout {
  /** ftyp + moov + mdat header: the first bytes of the file. */
  header: Uint8Array;
  /** Exact size of the whole file. */
  totalSizeBytes: number;
  /** Chunks in output order; their bytes follow the header back to back. */
  order: PlacedChunk[];
}

function times(w: ByteWriter, version: number, time: number): void {
  if (version === 1) w.u64(time).u64(time);
  else w.u32(time).u32(time);
}

function duration(w: ByteWriter, version: number, ticks: number): void {
  if (version === 1) w.u64(ticks);
  else w.u32(ticks);
}

function matrix(w: ByteWriter): void {
  for (const v of UNITY_MATRIX) w.u32(v);
}

/** QuickTime-style udta string atom (`©day`, `©cmt`): ffprobe shows them as date / comment. */
function udtaString(w: ByteWriter, type: string, text: string): void {
  const bytes = new TextEncoder().encode(text);
  w.box(type, () => {
    w.u16(bytes.length).u16(0x55c4).bytes(bytes);
  });
}

function sum(values: Iterable<number>): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

function checkTrack(t: Mp4TrackInput, index: number): void {
  let next = 0;
  for (const c of t.chunks) {
    if (c.firstSample !== next || c.sampleCount <= 0)
      throw new NvrError('internal', 'chunks must cover the samples in order', {
        track: index,
        firstSample: c.firstSample,
      });
    const bytes = sum(
      t.samples.slice(c.firstSample, c.firstSample + c.sampleCount).map((s) => s.sizeBytes),
    );
    if (bytes !== c.sizeBytes)
      throw new NvrError('internal', 'chunk size differs from its samples', {
        track: index,
        firstSample: c.firstSample,
      });
    next += c.sampleCount;
  }
  if (next !== t.samples.length || t.samples.length === 0)
    throw new NvrError('internal', 'a track needs samples, all in chunks', { track: index });
}

/**
 * Lays out a moov-first MP4 of one or more video tracks. Chunk offsets use co64 and the mdat a
 * 64-bit size only when the file passes 4 GiB.
 */
export function layoutProgressiveMp4(
  tracks: readonly Mp4TrackInput[],
  opts: Mp4LayoutOptions = {},
): Mp4Layout {
  if (tracks.length === 0) throw new NvrError('internal', 'an MP4 needs at least one track');
  tracks.forEach(checkTrack);

  // Output order: by orderKey, ties by track then chunk (stable).
  const order: PlacedChunk[] = [];
  tracks.forEach((t, ti) =>
    t.chunks.forEach((c, ci) =>
      order.push({ track: ti, chunk: ci, outputOffset: 0, sizeBytes: c.sizeBytes }),
    ),
  );
  order.sort(
    (a, b) =>
      tracks[a.track]!.chunks[a.chunk]!.orderKey - tracks[b.track]!.chunks[b.chunk]!.orderKey ||
      a.track - b.track ||
      a.chunk - b.chunk,
  );
  const payload = sum(order.map((o) => o.sizeBytes));
  const large = payload + 64 * 1024 * 1024 > 0xffffffff;

  const build = (offsets: number[][]): Uint8Array => writeHeader(tracks, opts, offsets, large);
  const zeros = tracks.map((t) => t.chunks.map(() => 0));
  const headerSize = build(zeros).length + (large ? 16 : 8);
  const offsets = tracks.map((t) => t.chunks.map(() => 0));
  let at = headerSize;
  for (const o of order) {
    o.outputOffset = at;
    offsets[o.track]![o.chunk] = at;
    at += o.sizeBytes;
  }
  const w = new ByteWriter(headerSize + 16);
  w.bytes(build(offsets));
  if (large)
    w.u32(1)
      .fourcc('mdat')
      .u64(payload + 16);
  else w.u32(payload + 8).fourcc('mdat');
  const header = w.finish();
  if (header.length !== headerSize)
    throw new NvrError('internal', 'MP4 header size changed between passes', {
      sizeBytes: header.length,
    });
  return { header, totalSizeBytes: headerSize + payload, order };
}

function writeHeader(
  tracks: readonly Mp4TrackInput[],
  opts: Mp4LayoutOptions,
  offsets: number[][],
  large: boolean,
): Uint8Array {
  const time =
    opts.startMs !== undefined && opts.startMs > 0
      ? Math.floor(opts.startMs / 1000) + MP4_EPOCH_OFFSET_S
      : 0;
  const trackDurations = tracks.map((t) => sum(t.edits.map((e) => e.durationTicks)));
  const movieDuration = Math.max(...trackDurations);
  const mediaDurations = tracks.map((t) => sum(t.samples.map((s) => s.durationTicks)));
  const v =
    time > 0xffffffff || movieDuration > 0xffffffff || mediaDurations.some((d) => d > 0xffffffff)
      ? 1
      : 0;
  const sampleCount = sum(tracks.map((t) => t.samples.length));
  const w = new ByteWriter(4096 + sampleCount * 12);

  w.box('ftyp', () => {
    w.fourcc('isom').u32(0x200);
    for (const brand of ['isom', 'iso2', 'avc1', 'mp41']) w.fourcc(brand);
  });
  w.box('moov', () => {
    w.fullBox('mvhd', v, 0, () => {
      times(w, v, time);
      w.u32(EXPORT_MOVIE_TIMESCALE);
      duration(w, v, movieDuration);
      w.u32(0x00010000).u16(0x0100).zeros(10);
      matrix(w);
      w.zeros(24);
      w.u32(tracks.length + 1);
    });
    tracks.forEach((t, i) =>
      writeTrak(w, t, i + 1, {
        v,
        time,
        trackDuration: trackDurations[i]!,
        mediaDuration: mediaDurations[i]!,
        offsets: offsets[i]!,
        large,
      }),
    );
    if (opts.startMs !== undefined || opts.comment)
      w.box('udta', () => {
        if (opts.startMs !== undefined)
          udtaString(w, '\u00a9day', new Date(opts.startMs).toISOString());
        if (opts.comment) udtaString(w, '\u00a9cmt', opts.comment);
      });
  });
  return w.finish();
}

interface TrakParams {
  v: number;
  time: number;
  trackDuration: number;
  mediaDuration: number;
  offsets: number[];
  large: boolean;
}

function writeTrak(w: ByteWriter, t: Mp4TrackInput, trackId: number, p: TrakParams): void {
  const { v, time } = p;
  w.box('trak', () => {
    w.fullBox('tkhd', v, 0x000003, () => {
      times(w, v, time);
      w.u32(trackId).u32(0);
      duration(w, v, p.trackDuration);
      w.zeros(8).u16(0).u16(0).u16(0).u16(0);
      matrix(w);
      w.u32(t.config.width * 0x10000).u32(t.config.height * 0x10000);
    });
    w.box('edts', () => {
      const ev = t.edits.some((e) => e.durationTicks > 0xffffffff || e.mediaTimeTicks > 0x7fffffff)
        ? 1
        : 0;
      w.fullBox('elst', ev, 0, () => {
        w.u32(t.edits.length);
        for (const e of t.edits) {
          if (ev === 1) {
            w.u64(e.durationTicks);
            if (e.mediaTimeTicks < 0) w.u32(0xffffffff).u32(0xffffffff);
            else w.u64(e.mediaTimeTicks);
          } else {
            w.u32(e.durationTicks).i32(e.mediaTimeTicks);
          }
          w.u16(1).u16(0); // media_rate 1.0
        }
      });
    });
    w.box('mdia', () => {
      w.fullBox('mdhd', v, 0, () => {
        times(w, v, time);
        w.u32(t.config.timescale);
        duration(w, v, p.mediaDuration);
        w.u16(0x55c4).u16(0);
      });
      w.fullBox('hdlr', 0, 0, () => {
        w.u32(0).fourcc('vide').zeros(12);
        w.bytes(new TextEncoder().encode(`${t.name ?? 'VideoHandler'}\0`));
      });
      w.box('minf', () => {
        w.fullBox('vmhd', 0, 1, () => w.zeros(8));
        w.box('dinf', () => {
          w.fullBox('dref', 0, 0, () => {
            w.u32(1);
            w.fullBox('url ', 0, 1);
          });
        });
        w.box('stbl', () => writeSampleTables(w, t, p));
      });
    });
  });
}

function writeSampleTables(w: ByteWriter, t: Mp4TrackInput, p: TrakParams): void {
  const { samples, chunks } = t;
  w.fullBox('stsd', 0, 0, () => {
    w.u32(1);
    sampleEntry(w, t.config);
  });
  // stts: run-length decode deltas.
  const stts: [number, number][] = [];
  for (const s of samples) {
    const last = stts[stts.length - 1];
    if (last && last[1] === s.durationTicks) last[0]++;
    else stts.push([1, s.durationTicks]);
  }
  w.fullBox('stts', 0, 0, () => {
    w.u32(stts.length);
    for (const [n, d] of stts) w.u32(n).u32(d);
  });
  if (samples.some((s) => s.compositionOffset !== 0)) {
    const negative = samples.some((s) => s.compositionOffset < 0);
    const ctts: [number, number][] = [];
    for (const s of samples) {
      const last = ctts[ctts.length - 1];
      if (last && last[1] === s.compositionOffset) last[0]++;
      else ctts.push([1, s.compositionOffset]);
    }
    w.fullBox('ctts', negative ? 1 : 0, 0, () => {
      w.u32(ctts.length);
      for (const [n, o] of ctts) w.u32(n).i32(o);
    });
  }
  if (!samples.every((s) => s.isKeyframe)) {
    const sync: number[] = [];
    samples.forEach((s, i) => s.isKeyframe && sync.push(i + 1));
    w.fullBox('stss', 0, 0, () => {
      w.u32(sync.length);
      for (const n of sync) w.u32(n);
    });
  }
  const stsc: [number, number][] = [];
  chunks.forEach((c, i) => {
    if (stsc[stsc.length - 1]?.[1] !== c.sampleCount) stsc.push([i + 1, c.sampleCount]);
  });
  w.fullBox('stsc', 0, 0, () => {
    w.u32(stsc.length);
    for (const [first, n] of stsc) w.u32(first).u32(n).u32(1);
  });
  w.fullBox('stsz', 0, 0, () => {
    w.u32(0).u32(samples.length);
    for (const s of samples) w.u32(s.sizeBytes);
  });
  if (p.large)
    w.fullBox('co64', 0, 0, () => {
      w.u32(p.offsets.length);
      for (const o of p.offsets) w.u64(o);
    });
  else
    w.fullBox('stco', 0, 0, () => {
      w.u32(p.offsets.length);
      for (const o of p.offsets) w.u32(o);
    });
}
