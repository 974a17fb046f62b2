// The server side of the vendor quirks does what QUIRKS.md says: checked on the packets and SDP
// themselves, so the corpus cannot pass against a quirk that silently does nothing.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { H264Packetizer, parseRtpPacket } from '../../media/rtp';
import type { RtpPacket } from '../../media/rtp';
import { buildSdp } from '../../media/sdp';
import { ClipLooper, loadClip, type Clip } from './clip-source';
import { QuirkShaper, quirkSdp } from './quirk-shaper';
import { quirkByName } from './quirks';

let clip: Clip;
beforeAll(async () => {
  clip = await loadClip(path.resolve(__dirname, '../../../resources/demo/door-sub.h264'));
});

/** The first `units` access units of the clip through a quirk, as parsed packets. */
function shapeClip(name: string, units: number): { packets: RtpPacket[]; keyframe: boolean }[] {
  const shaper = new QuirkShaper(quirkByName(name)!, 'h264');
  const packetizer = new H264Packetizer({ payloadType: 96, ssrc: 0x1234, mtu: 1400 });
  const looper = new ClipLooper(clip);
  const out = [];
  for (let i = 0; i < units; i++) {
    const au = looper.next();
    const shaped = shaper.shape(au, 1000 + au.pts90k, packetizer);
    out.push({ packets: shaped.map((p) => parseRtpPacket(p.packet)), keyframe: au.isKeyframe });
  }
  return out;
}

describe('quirk SDP', () => {
  const sdp = () =>
    buildSdp({
      sessionName: '/q',
      tracks: [
        { codec: 'h264', payloadType: 96, control: 'trackID=0', parameterSets: clip.parameterSets },
      ],
    });
  it.each([
    ['vstarcam-junk-sprop', /sprop-parameter-sets=[^,]+,[^,]+,6QAAAA==,%%junk%%/],
    ['hikvision-sprop-sps-only', /sprop-parameter-sets=[^,;]+,\r\n/],
    ['h3c-absolute-control-lan-host', /a=control:rtsp:\/\/192\.168\.0\.60\/q\/trackID=0/],
    ['android-audio-first', /m=audio 0 RTP\/AVP 96[\s\S]*m=video 0 RTP\/AVP 96/],
  ])('%s', (name, expected) => {
    expect(quirkSdp(sdp(), quirkByName(name), '/q')).toMatch(expected);
  });
  it('hikvision-in-band-only has no sprop; vstarcam-no-session-control no a=control:*', () => {
    expect(quirkSdp(sdp(), quirkByName('hikvision-in-band-only'), '/q')).not.toMatch(/sprop/);
    expect(quirkSdp(sdp(), quirkByName('vstarcam-no-session-control'), '/q')).not.toMatch(
      /a=control:\*/,
    );
  });
});

describe('quirk RTP', () => {
  it('v380-annexb-in-fu-a: a keyframe is one FU-A of type SPS with start codes inside', () => {
    const key = shapeClip('v380-annexb-in-fu-a', 1)[0]!;
    const fu = key.packets.map((p) => p.payload);
    expect(fu.every((p) => (p[0]! & 0x1f) === 28 && (p[1]! & 0x1f) === 7)).toBe(true);
    const joined = Buffer.concat(fu.map((p) => p.subarray(2)));
    expect(joined.indexOf(Buffer.from([0, 0, 0, 1, 0x68]))).toBeGreaterThan(0); // PPS
    expect(joined.indexOf(Buffer.from([0, 0, 0, 1, 0x65]))).toBeGreaterThan(0); // IDR
  });

  it("vstarcam-params-previous-timestamp: SPS/PPS carry the previous frame's timestamp", () => {
    const units = shapeClip('vstarcam-params-previous-timestamp', 16);
    const second = units.findIndex((u, i) => i > 0 && u.keyframe);
    const prevTs = units[second - 1]!.packets.at(-1)!.timestamp;
    const [sps, pps, ...idr] = units[second]!.packets;
    expect([sps!.payload[0]! & 0x1f, pps!.payload[0]! & 0x1f]).toEqual([7, 8]);
    expect([sps!.timestamp, pps!.timestamp]).toEqual([prevTs, prevTs]);
    expect(idr[0]!.timestamp).not.toBe(prevTs);
  });

  it('uniview-ssrc-per-gop: a new SSRC at each keyframe, sequence numbers continue', () => {
    const packets = shapeClip('uniview-ssrc-per-gop', 31).flatMap((u) => u.packets);
    expect(new Set(packets.map((p) => p.ssrc)).size).toBe(3);
    packets.forEach((p, i) => {
      if (i > 0) expect(p.sequenceNumber).toBe((packets[i - 1]!.sequenceNumber + 1) & 0xffff);
    });
  });

  it('uniview-stray-payload-type: PT 50 before each keyframe, reusing the next sequence number', () => {
    const units = shapeClip('uniview-stray-payload-type', 16);
    const strays = units.flatMap((u) => u.packets).filter((p) => p.payloadType === 50);
    expect(strays).toHaveLength(2);
    const key = units.find((u, i) => i > 0 && u.keyframe)!.packets;
    expect(key[0]!.payloadType).toBe(50);
    expect(key[0]!.sequenceNumber).toBe(key[1]!.sequenceNumber);
    expect(key[0]!.ssrc).toBe(key[1]!.ssrc);
  });

  it('thingino-timestamp-jumps: back 4 s at the 3rd keyframe, forward at the 6th', () => {
    const units = shapeClip('thingino-timestamp-jumps', 76);
    const ts = units.map((u) => u.packets.at(-1)!.timestamp);
    const steps = ts.slice(1).map((t, i) => (t - ts[i]!) | 0);
    expect(steps.filter((d) => d < 0)).toEqual([6000 - 4000 * 90]);
    expect(steps.filter((d) => d > 90_000)).toEqual([6000 + 3 * 4000 * 90]);
  });
});
