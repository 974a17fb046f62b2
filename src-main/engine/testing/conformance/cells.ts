// The conformance matrix: which server streams which source clip, packetized how, over which
// transport, behind which auth. Every value of every dimension appears at least once; the
// combinations are the ones that broke or are known to break recorders (FU over UDP, B-frames
// over UDP, huge single NAL units, aggregation with auth). Tests only.
import type { GstFileMount } from '../../../camera/rtsp/testing';
import type { SourceSpec } from './sources';

export const SOURCES = [
  { name: 'h264-baseline', codec: 'h264', profile: 'baseline', bFrames: 0 },
  { name: 'h264-main', codec: 'h264', profile: 'main', bFrames: 0 },
  { name: 'h264-high', codec: 'h264', profile: 'high', bFrames: 0 },
  { name: 'h264-high-b', codec: 'h264', profile: 'high', bFrames: 3 },
  { name: 'h265-main', codec: 'h265', bFrames: 0 },
] as const satisfies readonly SourceSpec[];

export type SourceName = (typeof SOURCES)[number]['name'];

/** GStreamer servers in the one gst-rtsp-server.py process, by auth scheme. */
export type GstServerName = 'open' | 'basic' | 'digest';
export const GST_USER = 'cam';
export const GST_PASSWORD = 's3cret';

export interface Cell {
  /** Camera id in the engine and test name. */
  id: string;
  source: SourceName;
  server: 'gstreamer' | 'rtsp-server-perl' | 'vlc';
  transport: 'tcp' | 'udp';
  /** GStreamer only: which server (auth) and how the mount payloads. */
  gst?: { server: GstServerName; pay: Omit<GstFileMount, 'path' | 'codec' | 'file'> };
  /** Each client gets the clip from frame 0 (GStreamer, one pipeline per client). */
  fromClipStart: boolean;
  /** Also recorded by `ffmpeg -c copy` at the same time and compared frame by frame. */
  differential?: boolean;
  /** What the cell exercises, for the report. */
  note: string;
  /** A recorder bug this cell shows and that is not fixed yet: the cell runs as `it.fails`. */
  knownBug?: string;
}

const SINGLE_NAL = { aggregateMode: 'none', mtu: 60_000 } as const; // one NAL unit per packet
const FRAGMENTED = { aggregateMode: 'none', mtu: 300 } as const; // FU-A / FU for every slice
const AGGREGATED = { aggregateMode: 'zero-latency', mtu: 1400 } as const; // STAP-A / AP + FU

const ALL_CELLS: readonly Cell[] = [
  {
    id: 'gst-h264-baseline-single-udp',
    source: 'h264-baseline',
    server: 'gstreamer',
    transport: 'udp',
    gst: { server: 'open', pay: SINGLE_NAL },
    fromClipStart: true,
    note: 'Baseline, single NAL unit packets up to ~20 kB, UDP',
  },
  {
    id: 'gst-h264-baseline-stapa-tcp',
    source: 'h264-baseline',
    server: 'gstreamer',
    transport: 'tcp',
    gst: { server: 'basic', pay: AGGREGATED },
    fromClipStart: true,
    differential: true,
    note: 'Baseline, STAP-A parameter sets, TCP, Basic auth',
  },
  {
    id: 'gst-h264-main-fua-udp',
    source: 'h264-main',
    server: 'gstreamer',
    transport: 'udp',
    gst: { server: 'digest', pay: FRAGMENTED },
    fromClipStart: true,
    note: 'Main, FU-A (mtu 300), UDP, Digest auth',
  },
  {
    id: 'gst-h264-high-stapa-udp',
    source: 'h264-high',
    server: 'gstreamer',
    transport: 'udp',
    gst: { server: 'open', pay: AGGREGATED },
    fromClipStart: true,
    note: 'High (CABAC, 8x8), STAP-A + FU-A, UDP',
  },
  {
    id: 'gst-h264-high-b-udp',
    source: 'h264-high-b',
    server: 'gstreamer',
    transport: 'udp',
    gst: { server: 'open', pay: AGGREGATED },
    fromClipStart: true,
    differential: true,
    note: 'High with 3 B-frames (pyramid), STAP-A + FU-A, UDP (decode times derived, issue 15)',
  },
  {
    id: 'gst-h265-single-tcp',
    source: 'h265-main',
    server: 'gstreamer',
    transport: 'tcp',
    gst: { server: 'open', pay: SINGLE_NAL },
    fromClipStart: true,
    note: 'H.265 Main, single NAL unit packets up to ~20 kB, TCP',
  },
  {
    id: 'gst-h265-ap-udp',
    source: 'h265-main',
    server: 'gstreamer',
    transport: 'udp',
    gst: { server: 'basic', pay: AGGREGATED },
    fromClipStart: true,
    note: 'H.265, AP parameter sets, UDP, Basic auth',
  },
  {
    id: 'gst-h265-fu-udp',
    source: 'h265-main',
    server: 'gstreamer',
    transport: 'udp',
    gst: { server: 'digest', pay: FRAGMENTED },
    fromClipStart: true,
    differential: true,
    note: 'H.265, FU (mtu 300), UDP, Digest auth: the case of issue 15 bug 1',
  },
  {
    id: 'perl-h264-main-udp',
    source: 'h264-main',
    server: 'rtsp-server-perl',
    transport: 'udp',
    fromClipStart: false,
    note: "rtsp-server-perl relaying ffmpeg's RTSP publish (ANNOUNCE/RECORD), B-frames, UDP",
  },
  {
    id: 'vlc-h265-udp',
    source: 'h265-main',
    server: 'vlc',
    transport: 'udp',
    fromClipStart: false,
    note: "VLC's #rtp{sdp=rtsp://} output (its own packetizer), H.265, UDP",
  },
];

/** The cells to run: all, or those named in NVR_CONFORMANCE_CELLS (comma-separated ids) to debug one. */
export const CELLS: readonly Cell[] = ((only) =>
  only ? ALL_CELLS.filter((c) => only.split(',').includes(c.id)) : ALL_CELLS)(
  process.env.NVR_CONFORMANCE_CELLS,
);
