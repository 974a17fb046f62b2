// TrackReceiver's decode counters over UDP: a packet that never comes is a frame lost to a gap; a
// packet that comes after the reorder buffer gave its place up is a frame lost to lateness.
import { describe, expect, it } from 'vitest';
import { H264Packetizer } from '../../media/rtp';
import { TrackReceiver } from './client-track';

const nal = (type: number, size: number, first = true): Uint8Array =>
  Uint8Array.from([0x60 | type, first ? 0x88 : 0x08, ...new Array<number>(size).fill(0x55)]);

/** 40 frames, a keyframe (SPS, PPS, IDR) every 10, each frame in 3 FU-A packets. */
function packets(): Uint8Array[] {
  const p = new H264Packetizer({ payloadType: 96, ssrc: 9, mtu: 400, initialSequence: 100 });
  const out: Uint8Array[] = [];
  for (let i = 0; i < 40; i++) {
    const nalus =
      i % 10 === 0
        ? [
            Uint8Array.from([0x67, 0x42, 0x00, 0x1e, 0xab]),
            Uint8Array.from([0x68, 0xce]),
            nal(5, 1000),
          ]
        : [nal(1, 1000)];
    out.push(...p.packetize({ rtpTimestamp: 3000 * i, nalus }));
  }
  return out;
}

function receiver(): TrackReceiver {
  return new TrackReceiver(
    { codec: 'h264', payloadType: 96, clockRate: 90000, parameterSets: {} },
    'rtsp://cam/track1',
    'udp',
    {
      accessUnit: () => undefined,
      parameterSetsChanged: () => undefined,
      discontinuity: () => undefined,
    },
  );
}

describe('TrackReceiver decode counters (UDP)', () => {
  it('a packet that never arrives: one frame lost to a gap, the rest of its GOP undecodable', () => {
    const all = packets();
    const r = receiver();
    all.forEach((pkt, i) => i !== 40 && r.pushRtp(pkt, i)); // packet 40: the last of frame 12
    expect(r.decode).toMatchObject({
      transport: 'udp',
      packetsLost: 1,
      packetsLate: 0,
      framesLostToGaps: 1,
      framesLostToLate: 0,
      framesUndecodable: 7, // frames 13-19
      keyframesEmitted: 4,
    });
  });

  it('a packet held back past the reorder window: the frame is lost to lateness, not to a gap', () => {
    const all = packets();
    const r = receiver();
    const late = all[40]!;
    const order = [...all.slice(0, 40), ...all.slice(41, 110), late, ...all.slice(110)];
    order.forEach((pkt, i) => r.pushRtp(pkt, i));
    expect(r.decode).toMatchObject({
      packetsLost: 1,
      packetsLate: 1,
      framesLostToGaps: 0,
      framesLostToLate: 1,
      framesUndecodable: 7, // frames 13-19
    });
  });

  it('reordering within the window loses nothing', () => {
    const all = packets();
    const r = receiver();
    const order = [...all];
    [order[40], order[45]] = [order[45]!, order[40]!];
    order.forEach((pkt, i) => r.pushRtp(pkt, i));
    expect(r.decode).toMatchObject({
      packetsLost: 0,
      packetsLate: 0,
      framesLostToGaps: 0,
      framesLostToLate: 0,
      framesUndecodable: 0,
      nalusDropped: 0,
    });
  });
});
