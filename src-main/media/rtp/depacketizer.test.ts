import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RtpAccessUnit, RtpPacket } from '.';
import { H264Depacketizer, H264Packetizer, H265Depacketizer, H265Packetizer } from '.';
import type { Codec, TestUnit } from './test-support';
import { arbStream, hex, nal, nalHex, parseAll } from './test-support';

const packetizer = (
  codec: Codec,
  o: { mtu: number; aggregate: boolean; initialSequence: number },
) =>
  codec === 'h264'
    ? new H264Packetizer({ payloadType: 96, ssrc: 7, ...o })
    : new H265Packetizer({ payloadType: 96, ssrc: 7, ...o });
const depacketizer = (codec: Codec) =>
  codec === 'h264' ? new H264Depacketizer() : new H265Depacketizer();

function run(
  codec: Codec,
  packets: RtpPacket[],
  flush = false,
): { units: RtpAccessUnit[]; d: H264Depacketizer } {
  const d = depacketizer(codec);
  const units = packets.flatMap((p) => d.push(p));
  if (flush) units.push(...d.flush());
  return { units, d };
}

const summary = (u: { pts90k: number; isKeyframe: boolean; nalus: Uint8Array[] }) => ({
  pts90k: u.pts90k,
  isKeyframe: u.isKeyframe,
  nalus: nalHex(u.nalus),
});

const isVcl = (codec: Codec, n: Uint8Array): boolean => {
  const t = codec === 'h264' ? n[0]! & 0x1f : (n[0]! >> 1) & 0x3f;
  return codec === 'h264' ? t >= 1 && t <= 5 : t <= 31;
};

const options = (codec: Codec, minMtu: number, maxMtu: number) =>
  fc.record({
    mtu: fc.integer({ min: Math.max(minMtu, codec === 'h264' ? 3 : 4), max: maxMtu }),
    aggregate: fc.boolean(),
    initialSequence: fc.integer({ min: 0, max: 0xffff }),
  });

describe.each(['h264', 'h265'] as const)('%s packetize -> depacketize', (codec) => {
  it('round trips random access units with MTU 1200 (property)', () => {
    fc.assert(
      fc.property(
        arbStream(codec),
        fc.boolean(),
        fc.integer({ min: 0, max: 0xffff }),
        (aus, aggregate, initialSequence) => {
          const p = packetizer(codec, { mtu: 1200, aggregate, initialSequence });
          const packets = parseAll(aus.flatMap((au) => p.packetize(au)));
          expect(packets.every((x) => x.payload.length <= 1200)).toBe(true);
          expect(packets.filter((x) => x.marker).length).toBe(aus.length);
          const { units, d } = run(codec, packets);
          expect(units.map(summary)).toEqual(aus.map(summary));
          expect(d.stats).toMatchObject({
            lossEvents: 0,
            framesDropped: 0,
            framesEmitted: aus.length,
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('round trips with tiny MTUs (property)', () => {
    fc.assert(
      fc.property(
        arbStream(codec, { maxSliceBytes: 200, maxUnits: 6 }),
        options(codec, 0, 24),
        (aus, o) => {
          const p = packetizer(codec, o);
          const packets = parseAll(aus.flatMap((au) => p.packetize(au)));
          expect(packets.every((x) => x.payload.length <= o.mtu)).toBe(true);
          expect(run(codec, packets).units.map(summary)).toEqual(aus.map(summary));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('round trips Buffer-backed packets (as UDP delivers them) with fragmentation (property)', () => {
    // Buffer#slice is a view, Uint8Array#slice a copy: reassembling a fragmented NAL unit from a
    // Buffer once corrupted the H.265 NAL header (the layer id byte became the first byte).
    fc.assert(
      fc.property(
        arbStream(codec, { maxSliceBytes: 200, maxUnits: 6 }),
        options(codec, 0, 40),
        (aus, o) => {
          const p = packetizer(codec, o);
          const wire = aus.flatMap((au) => p.packetize(au)).map((b) => Buffer.from(b));
          const copies = wire.map((b) => Buffer.from(b));
          const packets = parseAll(wire);
          expect(run(codec, packets).units.map(summary)).toEqual(aus.map(summary));
          // The depacketizer reads its input; it never writes into the packets it was given.
          expect(wire).toEqual(copies);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('numbers packets continuously across units and wraps at 65536', () => {
    const p = packetizer(codec, { mtu: 100, aggregate: false, initialSequence: 65534 });
    const big = nal(
      codec,
      codec === 'h264' ? 5 : 19,
      Array.from({ length: 300 }, (_, i) => (i % 250) + 1),
    );
    const a = p.packetizeToPackets({ nalus: [big], rtpTimestamp: 2 ** 32 + 5 });
    const b = p.packetizeToPackets({ nalus: [big], rtpTimestamp: 10 });
    expect([...a, ...b].map((x) => x.sequenceNumber)).toEqual([65534, 65535, 0, 1, 2, 3, 4, 5]);
    expect(a.map((x) => x.marker)).toEqual([false, false, false, true]);
    expect(a[0]!.timestamp).toBe(5);
    expect(p.packetize({ nalus: [], rtpTimestamp: 0 })).toEqual([]);
  });

  it('aggregates small NAL units into one packet when asked', () => {
    const small = [
      nal(codec, codec === 'h264' ? 7 : 33, [1, 2]),
      nal(codec, codec === 'h264' ? 8 : 34, [3]),
    ];
    const p = packetizer(codec, { mtu: 1200, aggregate: true, initialSequence: 0 });
    const [only, ...rest] = p.packetizeToPackets({ nalus: small, rtpTimestamp: 0 });
    expect(rest).toEqual([]);
    const type = codec === 'h264' ? only!.payload[0]! & 0x1f : (only!.payload[0]! >> 1) & 0x3f;
    expect(type).toBe(codec === 'h264' ? 24 : 48);
  });

  it('decodes end of units from timestamp changes when the camera never sets the marker (property)', () => {
    fc.assert(
      fc.property(
        arbStream(codec, { maxSliceBytes: 3000 }),
        options(codec, 300, 1400),
        (aus, o) => {
          const p = packetizer(codec, o);
          const packets = parseAll(aus.flatMap((au) => p.packetize(au))).map((x) => ({
            ...x,
            marker: false,
          }));
          const { units } = run(codec, packets, true);
          expect(units.map(summary)).toEqual(aus.map(summary));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('never emits a broken unit after losing one packet, and recovers at the next keyframe (property)', () => {
    fc.assert(
      fc.property(
        arbStream(codec, { maxUnits: 15, maxSliceBytes: 2500 }),
        options(codec, 200, 1400),
        fc.nat(),
        (aus, o, pick) => {
          const p = packetizer(codec, o);
          const perUnit = aus.map((au) => parseAll(p.packetize(au)));
          const all = perUnit.flat();
          fc.pre(all.length >= 2);
          const lost = 1 + (pick % (all.length - 1)); // a lost first packet of a stream is undetectable
          let seen = 0;
          const damaged = perUnit.findIndex((ps) => (seen += ps.length) > lost);
          const { units, d } = run(
            codec,
            all.filter((_, i) => i !== lost),
          );
          const byPts = new Map(aus.map((au, i) => [au.pts90k, i]));
          const emitted = units.map((u) => byPts.get(u.pts90k)!);
          expect(emitted).toEqual([...emitted].sort((a, b) => a - b));
          const next = aus.findIndex((au, i) => i > damaged && au.isKeyframe);
          const resume = emitted.includes(damaged) ? damaged : next < 0 ? aus.length : next;
          const expected = aus.map((_, i) => i).filter((i) => i < damaged || i >= resume);
          expect(emitted).toEqual(expected);
          for (const [k, u] of units.entries()) {
            const au: TestUnit = aus[emitted[k]!]!;
            if (emitted[k] === damaged) {
              // Emitted only when the loss provably hit non-picture data before its first slice.
              expect(u.isKeyframe).toBe(true);
              expect(nalHex(u.nalus.filter((n) => isVcl(codec, n)))).toEqual(
                nalHex(au.nalus.filter((n) => isVcl(codec, n))),
              );
            } else {
              expect(summary(u)).toEqual(summary(au));
            }
          }
          // Losing the very last packet cannot be seen: its unit simply never completes.
          if (lost < all.length - 1) expect(d.stats.lossEvents).toBeGreaterThanOrEqual(1);
          expect(d.stats.framesEmitted).toBe(units.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('depacketizer behaviour', () => {
  const sps = nal('h264', 7, [0x42, 0xc0, 0x1e]);
  const pps = nal('h264', 8, [0xce, 0x3c]);
  const idr = nal('h264', 5, [0x88, 1, 2, 3]);
  const slice = nal('h264', 1, [0x9a, 4, 5]);
  const sei = nal('h264', 6, [5, 1, 0x80]);
  let seq = 0;
  const packet = (payload: Uint8Array, timestamp: number, marker = false, ssrc = 1): RtpPacket => ({
    version: 2,
    padding: false,
    extension: false,
    marker,
    payloadType: 96,
    sequenceNumber: seq++ & 0xffff,
    timestamp,
    ssrc,
    csrcs: [],
    payload,
  });
  const feed = (d: H264Depacketizer, ps: RtpPacket[]) => ps.flatMap((p) => d.push(p));

  it('prepends SDP parameter sets to keyframes that lack them, and waits for decodable keyframes', () => {
    const d = new H264Depacketizer();
    expect(feed(d, [packet(idr, 0, true)])).toEqual([]); // no SPS/PPS known: undecodable
    expect(d.stats.framesDropped).toBe(1);
    d.setParameterSets({ sps, pps });
    const [u] = feed(d, [packet(idr, 3000, true)]);
    expect(nalHex(u!.nalus)).toEqual(nalHex([sps, pps, idr]));
    expect(u!.parameterSetsChanged).toBe(false);
    const [p] = feed(d, [packet(slice, 6000, true)]);
    expect(nalHex(p!.nalus)).toEqual(nalHex([slice]));
  });

  it('keeps an AUD first when it prepends parameter sets', () => {
    const d = new H264Depacketizer();
    d.setParameterSets({ sps, pps });
    const aud = nal('h264', 9, [0xf0]);
    const [u] = feed(d, [packet(aud, 0), packet(sps, 0), packet(idr, 0, true)]);
    expect(nalHex(u!.nalus)).toEqual(nalHex([aud, sps, pps, idr]));
  });

  it('reports parameter set changes on the unit and through the callback', () => {
    const d = new H264Depacketizer();
    const seen: string[] = [];
    d.onParameterSets = (ps) => seen.push(hex(ps.sps!));
    const [a] = feed(d, [packet(sps, 0), packet(pps, 0), packet(idr, 0, true)]);
    const [b] = feed(d, [packet(sps, 100), packet(pps, 100), packet(idr, 100, true)]);
    const sps2 = nal('h264', 7, [0x64, 0, 0x1f]);
    const [c] = feed(d, [packet(sps2, 200), packet(pps, 200), packet(idr, 200, true)]);
    expect([a, b, c].map((u) => u!.parameterSetsChanged)).toEqual([true, false, true]);
    expect(seen).toEqual([hex(sps), hex(sps2)]);
    expect(hex(d.parameterSets.sps!)).toBe(hex(sps2));
  });

  it('carries parameter sets and SEI sent as their own unit (own timestamp or early marker) to the next picture', () => {
    const d = new H264Depacketizer();
    expect(feed(d, [packet(sps, 0, true), packet(pps, 0, true)])).toEqual([]);
    const [u] = feed(d, [packet(sei, 3000, true), packet(idr, 3000, true)]);
    expect(nalHex(u!.nalus)).toEqual(nalHex([sps, pps, sei, idr]));
    expect(u!.pts90k).toBe(3000);
  });

  it('splits Annex B start codes found inside payloads', () => {
    const d = new H264Depacketizer();
    const blob = Uint8Array.from([...sps, 0, 0, 0, 1, ...pps, 0, 0, 1, ...idr]);
    const [u] = feed(d, [packet(blob, 0, true)]);
    expect(nalHex(u!.nalus)).toEqual(nalHex([sps, pps, idr]));
    const prefixed = Uint8Array.from([0, 0, 0, 1, ...slice]);
    const [v] = feed(d, [packet(prefixed, 10, true)]);
    expect(nalHex(v!.nalus)).toEqual(nalHex([slice]));
  });

  it('ignores empty and padding-only packets without seeing loss', () => {
    const d = new H264Depacketizer();
    const units = feed(d, [
      packet(sps, 0),
      packet(new Uint8Array(0), 0),
      packet(pps, 0),
      packet(idr, 0, true),
    ]);
    expect(units).toHaveLength(1);
    expect(d.stats.lossEvents).toBe(0);
  });

  it('drops an FU without its start fragment, and everything until the next keyframe', () => {
    const d = new H264Depacketizer();
    feed(d, [packet(sps, 0), packet(pps, 0), packet(idr, 0, true)]);
    const fuMiddle = Uint8Array.from([0x7c, 0x01, 1, 2, 3]); // FU-A, type 1, neither S nor E
    const fuEnd = Uint8Array.from([0x7c, 0x41, 4, 5]);
    expect(feed(d, [packet(fuMiddle, 100), packet(fuEnd, 100, true)])).toEqual([]);
    expect(feed(d, [packet(slice, 200, true)])).toEqual([]);
    expect(feed(d, [packet(sps, 300), packet(pps, 300), packet(idr, 300, true)])).toHaveLength(1);
    expect(d.stats).toMatchObject({ framesDropped: 2, framesEmitted: 2 });
  });

  it('drops units with malformed aggregation packets and a packet of an unsupported mode', () => {
    const d = new H264Depacketizer();
    feed(d, [packet(sps, 0), packet(pps, 0), packet(idr, 0, true)]);
    const badStap = Uint8Array.from([24, 0, 9, 0x65, 1]); // claims 9 bytes, has 2
    expect(feed(d, [packet(badStap, 100, true)])).toEqual([]);
    const stapB = Uint8Array.from([25, 0, 0, 0, 2, 0x65, 1]);
    expect(feed(d, [packet(stapB, 200, true)])).toEqual([]);
    expect(d.stats.malformedPackets).toBe(2);
  });

  it('after loss, drops a keyframe whose parameter sets were lost when the camera sends them in-band', () => {
    const d = new H264Depacketizer();
    feed(d, [packet(sps, 0), packet(pps, 0), packet(idr, 0, true)]);
    seq += 1; // the SPS packet of the next keyframe is lost
    expect(feed(d, [packet(pps, 100), packet(idr, 100, true)])).toEqual([]);
    expect(feed(d, [packet(slice, 200, true)])).toEqual([]);
    const units = feed(d, [packet(sps, 300), packet(pps, 300), packet(idr, 300, true)]);
    expect(units.map((u) => u.pts90k)).toEqual([300]);
    expect(d.stats).toMatchObject({ lossEvents: 1, framesDropped: 2 });
  });

  it('after loss, resumes on a keyframe that starts with SEI, restoring parameter sets it never carries', () => {
    const d = new H264Depacketizer();
    d.setParameterSets({ sps, pps });
    feed(d, [packet(idr, 0, true), packet(slice, 100, true)]);
    seq += 2; // a whole frame lost
    expect(feed(d, [packet(slice, 300, true)])).toEqual([]);
    const [u] = feed(d, [packet(sei, 400), packet(idr, 400, true)]);
    expect(nalHex(u!.nalus)).toEqual(nalHex([sps, pps, sei, idr]));
  });

  it('never emits a keyframe whose first slice was lost', () => {
    const d = new H264Depacketizer();
    const second = nal('h264', 5, [0x40, 9, 9]); // first_mb_in_slice != 0
    feed(d, [packet(sps, 0), packet(pps, 0), packet(idr, 0, true)]);
    seq += 3; // SPS, PPS and the first slice of the next keyframe lost
    expect(feed(d, [packet(second, 100, true)])).toEqual([]);
    expect(d.stats.framesDropped).toBe(1);
  });

  it('drops units larger than maxAccessUnitBytes without holding their data', () => {
    const d = new H264Depacketizer({ maxAccessUnitBytes: 100 });
    const p = new H264Packetizer({ payloadType: 96, ssrc: 1, mtu: 40 });
    const big = nal(
      'h264',
      5,
      Array.from({ length: 300 }, () => 0x88),
    );
    const packets = parseAll([
      ...p.packetize({ nalus: [sps, pps, big], rtpTimestamp: 0 }),
      ...p.packetize({ nalus: [sps, pps, idr], rtpTimestamp: 9 }),
    ]);
    const units = packets.flatMap((x) => d.push(x));
    expect(units.map((u) => u.rtpTimestamp)).toEqual([9]);
    expect(d.stats.framesDropped).toBe(1);
  });

  it('restarts cleanly on an SSRC change', () => {
    const d = new H264Depacketizer();
    feed(d, [packet(sps, 0), packet(pps, 0), packet(idr, 0, true), packet(slice, 100)]);
    seq += 1000;
    expect(feed(d, [packet(slice, 5000, true, 2)])).toEqual([]); // new sender, not a keyframe yet
    expect(feed(d, [packet(idr, 6000, true, 2)])).toHaveLength(1); // stored parameter sets still apply
    expect(d.stats).toMatchObject({ lossEvents: 0, framesDropped: 2 });
  });

  it('ignores late and duplicate packets', () => {
    const d = new H264Depacketizer();
    const a = packet(sps, 0);
    const units = [a, packet(pps, 0), a, packet(idr, 0, true)].flatMap((p) => d.push(p));
    expect(units).toHaveLength(1);
    expect(d.stats).toMatchObject({ packetsLate: 1, lossEvents: 0 });
  });

  it('depacketizes H.265 AP and FU with first-slice detection after loss', () => {
    const vps = nal('h265', 32, [1, 2]);
    const hsps = nal('h265', 33, [3, 4]);
    const hpps = nal('h265', 34, [5]);
    const hidr = nal('h265', 19, [0x80, ...Array.from({ length: 50 }, (_, i) => i + 1)]);
    const p = new H265Packetizer({ payloadType: 96, ssrc: 3, mtu: 20, aggregate: true });
    const d = new H265Depacketizer();
    const packets = parseAll(p.packetize({ nalus: [vps, hsps, hpps, hidr], rtpTimestamp: 1 }));
    expect((packets[0]!.payload[0]! >> 1) & 0x3f).toBe(48);
    expect((packets[1]!.payload[0]! >> 1) & 0x3f).toBe(49);
    const [u] = packets.flatMap((x) => d.push(x));
    expect(nalHex(u!.nalus)).toEqual(nalHex([vps, hsps, hpps, hidr]));
    expect(u!.isKeyframe).toBe(true);
  });
});
