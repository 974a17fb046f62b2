// The RTP and SDP side of a vendor quirk (quirks.ts) for a clip mount: rewrites the SDP the mount
// serves and turns each access unit into the packets a quirky camera would send (odd fragmentation,
// parameter sets with the previous timestamp, SSRC and timestamp jumps, stray payload types).
// Pure: access units in, packets out; the mount paces and fans them out.
import { randomInt } from 'node:crypto';
import type { AccessUnit, VideoCodec } from '../../media';
import type { H264Packetizer, H265Packetizer } from '../../media/rtp';
import type { RtspQuirk } from './quirks';

export interface ShapedPacket {
  packet: Uint8Array;
  keyframe: boolean;
}

const START_CODE = Uint8Array.of(0, 0, 0, 1);

/** The SDP a quirky camera would serve instead of `sdp` (built by buildSdp for one video track). */
export function quirkSdp(sdp: string, quirk: RtspQuirk | undefined, path: string): string {
  const q = quirk?.sdp;
  if (!q) return sdp;
  let out = sdp;
  if (q.sprop === 'none') out = out.replace(/;sprop-parameter-sets=[^;\r\n]*/, '');
  if (q.sprop === 'junk')
    out = out.replace(/(sprop-parameter-sets=[^;\r\n]*)/, '$1,6QAAAA==,%%junk%%');
  if (q.sprop === 'sps-only')
    out = out.replace(/sprop-parameter-sets=([^,;\r\n]*),[^;\r\n]*/, 'sprop-parameter-sets=$1,');
  if (q.noSessionControl) out = out.replace('a=control:*\r\n', '');
  if (q.absoluteControlHost !== undefined)
    out = out.replace(
      'a=control:trackID=0',
      `a=control:rtsp://${q.absoluteControlHost}${path}/trackID=0`,
    );
  if (q.audioFirst) {
    const audio =
      'm=audio 0 RTP/AVP 96\r\na=rtpmap:96 MPEG4-GENERIC/44100/2\r\n' +
      'a=fmtp:96 streamtype=5; profile-level-id=15; mode=AAC-hbr; config=1210; ' +
      'SizeLength=13; IndexLength=3; IndexDeltaLength=3;\r\na=control:trackID=1\r\n';
    out = out.replace('m=video', `${audio}m=video`);
  }
  return out;
}

/** Per-mount state of the RTP quirks; `reset()` on every (re)start of the pacer. */
export class QuirkShaper {
  private prevTimestamp: number | undefined;
  private keyframes = 0;
  private offset90k = 0;
  private ssrc: number | undefined;

  constructor(
    private readonly quirk: RtspQuirk | undefined,
    private readonly codec: VideoCodec,
  ) {}

  reset(): void {
    this.prevTimestamp = undefined;
    this.keyframes = 0;
    this.offset90k = 0;
    this.ssrc = undefined;
  }

  /** The packets of one access unit, as the quirky camera sends them. */
  shape(
    au: AccessUnit,
    rtpTimestamp: number,
    packetizer: H264Packetizer | H265Packetizer,
  ): ShapedPacket[] {
    const q = this.quirk?.rtp;
    if (!q) return plain(packetizer.packetize({ nalus: au.nalus, rtpTimestamp }), au.isKeyframe);
    if (au.isKeyframe) this.onKeyframe(q.timestampJumpMs);
    const ts = rtpTimestamp + this.offset90k;
    const out: ShapedPacket[] = [];
    let nalus = au.nalus;
    if (au.isKeyframe && q.strayPayloadType !== undefined)
      out.push({
        packet: strayPacket(q.strayPayloadType, packetizer.nextSequence, ts, this.ssrc ?? 0),
        keyframe: false,
      });
    if (au.isKeyframe && q.paramsWithPreviousTimestamp && this.prevTimestamp !== undefined) {
      const params = nalus.filter((n) => isParameterSet(this.codec, n));
      nalus = nalus.filter((n) => !isParameterSet(this.codec, n));
      out.push(...plain(packetizer.packetize({ nalus: params, rtpTimestamp: this.prevTimestamp })));
    }
    if (au.isKeyframe && q.annexBInFu && this.codec === 'h264') nalus = [joinAnnexB(nalus)];
    out.push(...plain(packetizer.packetize({ nalus, rtpTimestamp: ts }), au.isKeyframe));
    this.prevTimestamp = ts;
    if (q.ssrcPerGop) {
      if (au.isKeyframe || this.ssrc === undefined) this.ssrc = randomInt(1, 0xffffffff);
      for (const p of out) writeU32(p.packet, 8, this.ssrc);
    } else if (q.strayPayloadType !== undefined && out[1]) {
      // The stray packet carries the video SSRC (known once a video packet exists).
      out[0]!.packet.set(out[1].packet.subarray(8, 12), 8);
    }
    return out;
  }

  private onKeyframe(jumpMs: number | undefined): void {
    this.keyframes++;
    if (jumpMs === undefined) return;
    if (this.keyframes === 3) this.offset90k -= jumpMs * 90;
    if (this.keyframes === 6) this.offset90k += 3 * jumpMs * 90;
  }
}

function plain(packets: Uint8Array[], keyframe = false): ShapedPacket[] {
  return packets.map((packet) => ({ packet, keyframe }));
}

function isParameterSet(codec: VideoCodec, nal: Uint8Array): boolean {
  if (codec === 'h264') {
    const t = nal[0]! & 0x1f;
    return t === 7 || t === 8;
  }
  const t = (nal[0]! >> 1) & 0x3f;
  return t >= 32 && t <= 34;
}

/** One "NAL unit" that is really an Annex B stream of several (the first one's header leads). */
function joinAnnexB(nalus: Uint8Array[]): Uint8Array {
  const size = nalus.reduce((n, x) => n + x.length, 0) + START_CODE.length * (nalus.length - 1);
  const out = new Uint8Array(size);
  let at = 0;
  nalus.forEach((n, i) => {
    if (i > 0) {
      out.set(START_CODE, at);
      at += START_CODE.length;
    }
    out.set(n, at);
    at += n.length;
  });
  return out;
}

function strayPacket(payloadType: number, seq: number, ts: number, ssrc: number): Uint8Array {
  const p = new Uint8Array(16);
  p[0] = 0x80;
  p[1] = 0x80 | (payloadType & 0x7f);
  p[2] = (seq >> 8) & 0xff;
  p[3] = seq & 0xff;
  writeU32(p, 4, ts >>> 0);
  writeU32(p, 8, ssrc);
  p.set([0x01, 0x02, 0x03, 0x04], 12);
  return p;
}

function writeU32(p: Uint8Array, at: number, v: number): void {
  p[at] = (v >>> 24) & 0xff;
  p[at + 1] = (v >>> 16) & 0xff;
  p[at + 2] = (v >>> 8) & 0xff;
  p[at + 3] = v & 0xff;
}
