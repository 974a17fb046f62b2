// The depacketizer's loss accounting: what a decoder would miss (frames lost, frames undecodable,
// NAL units dropped) and the drop callback the client uses to tell gaps from late packets.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FrameDropCause } from '.';
import { H264Depacketizer, H264Packetizer, H265Depacketizer, H265Packetizer } from '.';
import type { Codec, TestUnit } from './test-support';
import { arbStream, nal, parseAll } from './test-support';

const makePacketizer = (codec: Codec) =>
  codec === 'h264'
    ? new H264Packetizer({ payloadType: 96, ssrc: 7, mtu: 200, initialSequence: 65000 })
    : new H265Packetizer({ payloadType: 96, ssrc: 7, mtu: 200, initialSequence: 65000 });
const makeDepacketizer = (codec: Codec) =>
  codec === 'h264' ? new H264Depacketizer() : new H265Depacketizer();

const T = {
  h264: { sps: 7, pps: 8, idr: 5, slice: 1 },
  h265: { sps: 33, pps: 34, idr: 19, slice: 1 },
};

/** A GOP-structured stream: keyframe (with parameter sets) every `gop` units, 3 packets per unit. */
function gopStream(codec: Codec, units: number, gop: number): TestUnit[] {
  const t = T[codec];
  const body = (first: boolean) => [first ? 0x88 : 0x08, ...new Array<number>(400).fill(0x55)];
  const out: TestUnit[] = [];
  const vps = codec === 'h265' ? [nal(codec, 32, [0x0c, 0x01])] : [];
  for (let i = 0; i < units; i++) {
    const key = i % gop === 0;
    const nalus = key
      ? [
          ...vps,
          nal(codec, t.sps, [0x42, 0x00, 0x1e]),
          nal(codec, t.pps, [0xce]),
          nal(codec, t.idr, body(true)),
        ]
      : [nal(codec, t.slice, body(true))];
    out.push({ pts90k: 1000 + i * 3000, rtpTimestamp: 1000 + i * 3000, isKeyframe: key, nalus });
  }
  return out;
}

describe.each(['h264', 'h265'] as const)('%s depacketizer loss accounting', (codec) => {
  it('counts a lost P-frame packet as one lost frame, the rest of its GOP as undecodable', () => {
    const p = makePacketizer(codec);
    const packets = parseAll(gopStream(codec, 20, 10).flatMap((au) => p.packetize(au)));
    // Drop the second packet of unit 3 (a P-frame of the first GOP).
    const unit3 = packets.filter((x) => x.timestamp === 1000 + 3 * 3000);
    expect(unit3.length).toBeGreaterThan(1);
    const dropped = unit3[1]!;
    const d = makeDepacketizer(codec);
    const drops: [number, FrameDropCause][] = [];
    d.onFrameDropped = (ts, cause) => drops.push([ts, cause]);
    const units = packets.filter((x) => x !== dropped).flatMap((x) => d.push(x));
    expect(units.length).toBe(13); // units 0-2 and the whole second GOP
    expect(d.stats).toMatchObject({
      framesEmitted: 13,
      framesDropped: 7,
      framesLost: 1,
      framesUndecodable: 6,
      framesBeforeKeyframe: 0,
      keyframesEmitted: 2,
    });
    expect(d.stats.nalusDropped).toBe(7); // unit 3's slice (seen by its start) + units 4-9
    expect(drops[0]).toEqual([1000 + 3 * 3000, 'lost']);
    expect(drops.slice(1).every(([, c]) => c === 'undecodable')).toBe(true);
  });

  it('counts units before the first keyframe apart from loss', () => {
    const p = makePacketizer(codec);
    const packets = parseAll(gopStream(codec, 15, 10).flatMap((au) => p.packetize(au)));
    const start = packets.findIndex((x) => x.timestamp === 1000 + 2 * 3000);
    const d = makeDepacketizer(codec);
    const units = packets.slice(start + 1).flatMap((x) => d.push(x)); // joins mid-frame, mid-GOP
    expect(units.length).toBe(5);
    expect(d.stats).toMatchObject({ framesLost: 0, framesUndecodable: 0, framesBeforeKeyframe: 8 });
  });

  it('drop causes always add up to framesDropped, and every drop is reported (property)', () => {
    fc.assert(
      fc.property(
        arbStream(codec, { maxSliceBytes: 300, maxUnits: 12 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (aus, holes) => {
          const p = makePacketizer(codec);
          const packets = parseAll(aus.flatMap((au) => p.packetize(au)));
          const lost = new Set(holes.map((h) => h % Math.max(1, packets.length)));
          const d = makeDepacketizer(codec);
          let reported = 0;
          d.onFrameDropped = () => reported++;
          const units = packets.filter((_, i) => !lost.has(i)).flatMap((x) => d.push(x));
          units.push(...d.flush());
          const s = d.stats;
          expect(s.framesLost + s.framesUndecodable + s.framesBeforeKeyframe).toBe(s.framesDropped);
          expect(reported).toBe(s.framesDropped);
          expect(s.framesEmitted).toBe(units.length);
          expect(s.keyframesEmitted).toBe(units.filter((u) => u.isKeyframe).length);
          if (lost.size === 0) expect(s.nalusDropped).toBe(0);
        },
      ),
      { numRuns: 150 },
    );
  });
});
