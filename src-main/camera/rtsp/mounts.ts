// Mount points of the RTSP server: a looping clip paced in real time (one pacer per mount, shared
// by all its readers) and a published path that relays a publisher's RTP. Owns SDP, pacing and
// RTCP sender reports; knows nothing about RTSP connections or sessions.
import { randomInt } from 'node:crypto';
import { NvrError, systemClock, type Clock } from '../../base';
import type { VideoCodec } from '../../media';
import { H264Packetizer, H265Packetizer, buildSenderReport, parseRtcp } from '../../media/rtp';
import { buildSdp, parseSdp, videoTrackFromSdp } from '../../media/sdp';
import { ClipLooper, type Clip } from './clip-source';
import { TrackFanout } from './fanout';
import { QuirkShaper, quirkSdp } from './quirk-shaper';
import type { RtspQuirk } from './quirks';
import { payloadHasKeyframe } from './rtp-keyframe';

export interface MountTrack {
  /** Relative control URL, e.g. 'trackID=0'. */
  control: string;
  fanout: TrackFanout;
  /** The video codec of the track (undefined for audio or unknown media). */
  codec?: VideoCodec | undefined;
}

export interface Mount {
  readonly path: string;
  readonly kind: 'clip' | 'publish';
  /** The SDP readers get, or undefined while the mount cannot be read (stopped, no publisher). */
  sdp(): string | undefined;
  tracks(): MountTrack[];
  readerCount(): number;
  /** A vendor quirk the mount imitates (clip mounts only). */
  readonly quirk?: RtspQuirk;
}

export interface ClipMountOptions {
  clock?: Clock;
  /** Interval of RTCP sender reports (default 5000 ms). */
  senderReportIntervalMs?: number;
  payloadType?: number;
  mtu?: number;
  /** Behave like a quirky camera (see quirks.ts). */
  quirk?: RtspQuirk;
}

/** Serves a clip in a loop: packetizes each access unit when its time comes and fans it out. */
export class ClipMount implements Mount {
  readonly kind = 'clip';
  private readonly fanout = new TrackFanout();
  private readonly clock: Clock;
  private readonly sdpText: string;
  private running = false;
  private timer: unknown;
  private srTimer: unknown;
  private looper!: ClipLooper;
  private packetizer!: H264Packetizer | H265Packetizer;
  private startMs = 0;
  private rtpBase = 0;
  private ssrc = 0;
  readonly payloadType: number;
  readonly quirk: RtspQuirk | undefined;
  private readonly shaper: QuirkShaper;
  private readonly silentAudio: TrackFanout | undefined;

  constructor(
    readonly path: string,
    readonly clip: Clip,
    private readonly options: ClipMountOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.payloadType = options.payloadType ?? 96;
    this.quirk = options.quirk;
    this.shaper = new QuirkShaper(options.quirk, clip.codec);
    if (options.quirk?.sdp?.audioFirst) this.silentAudio = new TrackFanout({ clockRate: 44100 });
    const sdp = buildSdp({
      sessionName: path,
      tracks: [
        {
          codec: clip.codec,
          payloadType: this.payloadType,
          control: 'trackID=0',
          parameterSets: clip.parameterSets,
        },
      ],
    });
    this.sdpText = quirkSdp(sdp, options.quirk, path);
  }

  get codec(): VideoCodec {
    return this.clip.codec;
  }

  get isRunning(): boolean {
    return this.running;
  }

  sdp(): string | undefined {
    return this.running ? this.sdpText : undefined;
  }

  tracks(): MountTrack[] {
    const video = { control: 'trackID=0', fanout: this.fanout, codec: this.clip.codec };
    // An audio-first quirk lists an audio track too: it can be set up, and stays silent.
    return this.silentAudio ? [video, { control: 'trackID=1', fanout: this.silentAudio }] : [video];
  }

  readerCount(): number {
    return this.fanout.readerCount;
  }

  /** Starts (or restarts) the pacer with a fresh SSRC, sequence and timestamp base, like a camera reboot. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.ssrc = randomInt(1, 0xffffffff);
    this.rtpBase = randomInt(0, 0x7fffffff);
    const opts = {
      payloadType: this.payloadType,
      ssrc: this.ssrc,
      initialSequence: randomInt(0, 0x10000),
      mtu: this.options.mtu ?? 1400,
    };
    this.packetizer =
      this.clip.codec === 'h265' ? new H265Packetizer(opts) : new H264Packetizer(opts);
    this.looper = new ClipLooper(this.clip);
    this.shaper.reset();
    this.fanout.reset();
    this.startMs = this.clock.monotonicMs();
    this.tick();
    this.scheduleSenderReport();
  }

  stop(): void {
    this.running = false;
    this.clock.clearTimeout(this.timer);
    this.clock.clearTimeout(this.srTimer);
  }

  private tick(): void {
    if (!this.running) return;
    const now = this.clock.monotonicMs();
    let sent = 0;
    for (;;) {
      const au = this.looper.peek();
      const dueMs = this.startMs + au.pts90k / 90;
      if (dueMs > now + 1) {
        this.timer = this.clock.setTimeout(() => this.tick(), dueMs - now);
        return;
      }
      if (now - dueMs > 1000 || sent > 30) {
        // The event loop stalled: re-anchor instead of bursting a backlog.
        this.startMs = now - au.pts90k / 90;
      }
      this.looper.next();
      const packets = this.shaper.shape(au, this.rtpBase + au.pts90k, this.packetizer);
      for (const p of packets) this.fanout.push(p.packet, p.keyframe, now);
      sent++;
    }
  }

  private scheduleSenderReport(): void {
    const interval = this.options.senderReportIntervalMs ?? 5000;
    this.srTimer = this.clock.setTimeout(() => {
      if (!this.running) return;
      if (this.fanout.packetCount > 0) {
        const sr = buildSenderReport({
          ssrc: this.ssrc,
          ntpMs: this.clock.nowMs(),
          rtpTimestamp: this.fanout.rtpTimestampAt(this.clock.monotonicMs()),
          packetCount: this.fanout.packetCount,
          octetCount: this.fanout.octetCount,
          cname: 'nvr-demo',
        });
        this.fanout.pushRtcp(sr);
      }
      this.scheduleSenderReport();
    }, interval);
  }
}

interface PublishedTrack extends MountTrack {
  /** The control URL the publisher used in its ANNOUNCE SDP (what its SETUP names). */
  publisherControl: string | undefined;
  codec: VideoCodec | undefined;
}

/**
 * A path an encoder publishes to (ANNOUNCE/SETUP record/RECORD). Readers get the publisher's SDP
 * with control URLs renamed to trackID=N, and its RTP and RTCP unchanged.
 */
export class PublishMount implements Mount {
  readonly kind = 'publish';
  readonly quirk = undefined;
  private sdpText: string | undefined;
  private trackList: PublishedTrack[] = [];
  /** Set while a publisher owns the path (an id of its connection). */
  publisherId: string | undefined;
  recording = false;

  constructor(readonly path: string) {}

  sdp(): string | undefined {
    return this.recording ? this.sdpText : undefined;
  }

  tracks(): MountTrack[] {
    return this.trackList;
  }

  readerCount(): number {
    return this.trackList.reduce((n, t) => n + t.fanout.readerCount, 0);
  }

  /** Takes the publisher's SDP. Throws NvrError('malformed') when it has no media. */
  announce(sdpText: string, publisherId: string): void {
    const sdp = parseSdp(sdpText);
    if (sdp.media.length === 0)
      throw new NvrError('malformed', 'ANNOUNCE SDP has no media', { path: this.path });
    this.trackList = sdp.media.map((m) => {
      let codec: VideoCodec | undefined;
      try {
        codec = m.type === 'video' ? videoTrackFromSdp(m).codec : undefined;
      } catch {
        codec = undefined;
      }
      return {
        control: '',
        publisherControl: m.control,
        codec,
        fanout: new TrackFanout({ clockRate: m.rtpmap?.clockRate ?? 90000 }),
      };
    });
    this.trackList.forEach((t, i) => (t.control = `trackID=${i}`));
    this.sdpText = renameControls(sdpText);
    this.publisherId = publisherId;
    this.recording = false;
  }

  /** Index of the publisher's track named by a SETUP URL (its own control value), or -1. */
  publisherTrackIndex(setupUrl: string): number {
    if (this.trackList.length === 1) return 0;
    return this.trackList.findIndex((t) => {
      const c = t.publisherControl;
      if (c === undefined) return false;
      return setupUrl === c || setupUrl.endsWith(`/${c}`);
    });
  }

  /** One RTP packet from the publisher on track `index`. */
  pushRtp(index: number, packet: Uint8Array, nowMs: number): void {
    const t = this.trackList[index];
    if (!t || packet.length < 12) return;
    // Audio or unknown codecs: every packet counts as a start point so readers join at once.
    const headerLen = 12 + (packet[0]! & 0x0f) * 4;
    const key = t.codec
      ? payloadHasKeyframe(t.codec, packet.subarray(headerLen + extensionLength(packet, headerLen)))
      : true;
    t.fanout.push(packet, key, nowMs);
  }

  pushRtcp(index: number, packet: Uint8Array): void {
    const t = this.trackList[index];
    if (!t) return;
    try {
      if (!parseRtcp(packet).some((p) => p.type === 'sr')) return; // relay sender reports only
    } catch {
      return;
    }
    t.fanout.pushRtcp(packet);
  }

  /** The publisher left: forget its SDP and tracks. */
  unpublish(): void {
    this.sdpText = undefined;
    this.trackList = [];
    this.publisherId = undefined;
    this.recording = false;
  }
}

function extensionLength(packet: Uint8Array, headerLen: number): number {
  if ((packet[0]! & 0x10) === 0 || packet.length < headerLen + 4) return 0;
  return 4 + ((packet[headerLen + 2]! << 8) | packet[headerLen + 3]!) * 4;
}

/** Rewrites a=control lines: '*' at session level, trackID=N in the N-th media section. */
function renameControls(sdp: string): string {
  const lines = sdp.split(/\r?\n/).filter((l) => l !== '' && !/^a=control:/i.test(l));
  const out: string[] = [];
  let mediaIndex = -1;
  for (const line of lines) {
    if (line.startsWith('m=')) {
      if (mediaIndex === -1) out.push('a=control:*');
      mediaIndex++;
      out.push(line, `a=control:trackID=${mediaIndex}`);
      continue;
    }
    out.push(line);
  }
  return out.join('\r\n') + '\r\n';
}
