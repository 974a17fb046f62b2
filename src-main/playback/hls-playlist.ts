// Byte-range fMP4 HLS media playlists (RFC 8216) from a fragment plan: EXT-X-MAP per segment file,
// EXT-X-BYTERANGE per keyframe group, EXT-X-PROGRAM-DATE-TIME on every entry, EXT-X-DISCONTINUITY at
// breaks. Pure text building; URLs come from the caller (segment ids, never paths).
import type { TimedFragment } from './fragment-plan';

export interface HlsEntry {
  segmentId: number;
  initSize: number;
  /** Byte range of the entry in the segment file. */
  offset: number;
  sizeBytes: number;
  wallStartMs: number;
  durationSec: number;
  discontinuity: boolean;
}

/**
 * Groups fragments into playlist entries: each entry starts at a keyframe fragment (or a break) and
 * takes the contiguous non-keyframe fragments after it, so every entry can be decoded on its own
 * (MSE needs a random access point after a seek).
 */
export function hlsEntries(plan: readonly TimedFragment[]): HlsEntry[] {
  const out: HlsEntry[] = [];
  let cur: HlsEntry | undefined;
  let curEnd = 0;
  for (const f of plan) {
    const joins =
      cur !== undefined &&
      !f.isKeyframe &&
      !f.breakBefore &&
      cur.segmentId === f.segment.id &&
      curEnd === f.offset;
    if (joins && cur) {
      cur.sizeBytes += f.sizeBytes;
      cur.durationSec += f.duration90k / 90_000;
    } else {
      cur = {
        segmentId: f.segment.id,
        initSize: f.segment.initSize,
        offset: f.offset,
        sizeBytes: f.sizeBytes,
        wallStartMs: f.wallStartMs,
        durationSec: f.duration90k / 90_000,
        discontinuity: f.breakBefore && out.length > 0,
      };
      out.push(cur);
    }
    curEnd = f.offset + f.sizeBytes;
  }
  return out;
}

export interface PlaylistOptions {
  /** 'VOD' adds EXT-X-ENDLIST; 'EVENT' leaves the playlist open for appends. */
  type: 'VOD' | 'EVENT';
  /** URL of a segment file by id, e.g. `/api/segments/12.mp4`. */
  segmentUrl: (segmentId: number) => string;
}

export function buildMediaPlaylist(entries: readonly HlsEntry[], opts: PlaylistOptions): string {
  const target = Math.max(1, ...entries.map((e) => Math.ceil(e.durationSec)));
  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:7',
    `#EXT-X-TARGETDURATION:${target}`,
    '#EXT-X-MEDIA-SEQUENCE:0',
    '#EXT-X-DISCONTINUITY-SEQUENCE:0',
    `#EXT-X-PLAYLIST-TYPE:${opts.type}`,
    '#EXT-X-INDEPENDENT-SEGMENTS',
  ];
  let mapOf: number | undefined;
  for (const e of entries) {
    if (e.discontinuity) lines.push('#EXT-X-DISCONTINUITY');
    if (mapOf !== e.segmentId || e.discontinuity) {
      lines.push(`#EXT-X-MAP:URI="${opts.segmentUrl(e.segmentId)}",BYTERANGE="${e.initSize}@0"`);
      mapOf = e.segmentId;
    }
    lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(Math.round(e.wallStartMs)).toISOString()}`);
    lines.push(`#EXTINF:${e.durationSec.toFixed(5)},`);
    lines.push(`#EXT-X-BYTERANGE:${e.sizeBytes}@${e.offset}`);
    lines.push(opts.segmentUrl(e.segmentId));
  }
  if (opts.type === 'VOD') lines.push('#EXT-X-ENDLIST');
  return `${lines.join('\n')}\n`;
}
