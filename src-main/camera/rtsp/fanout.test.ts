import { describe, expect, it } from 'vitest';
import { TrackFanout, type RtpSink } from './fanout';
import { payloadHasKeyframe } from './rtp-keyframe';

/** RTP packet with seq, timestamp, marker and a one-byte payload tag. */
function pkt(seq: number, ts: number, marker: boolean, tag: number): Uint8Array {
  const b = new Uint8Array(13);
  b[0] = 0x80;
  b[1] = (marker ? 0x80 : 0) | 96;
  b[2] = seq >> 8;
  b[3] = seq & 0xff;
  new DataView(b.buffer).setUint32(4, ts);
  new DataView(b.buffer).setUint32(8, 0x1234);
  b[12] = tag;
  return b;
}

class FakeSink implements RtpSink {
  got: number[] = [];
  rtcp = 0;
  full = false;
  sendRtp(p: Uint8Array): void {
    this.got.push(p[12]!);
  }
  sendRtcp(): void {
    this.rtcp++;
  }
  congested(): boolean {
    return this.full;
  }
}

/** Feeds GOPs of `frames` frames, 2 packets each; packet tags count up from 0. */
function feed(
  f: TrackFanout,
  from: number,
  frames: number,
  keyEvery: number,
  state = { seq: 0, tag: 0 },
): typeof state {
  for (let i = from; i < from + frames; i++) {
    const key = i % keyEvery === 0;
    f.push(pkt(state.seq++, i * 6000, false, state.tag++), key, i * 66);
    f.push(pkt(state.seq++, i * 6000, true, state.tag++), key, i * 66);
  }
  return state;
}

describe('TrackFanout', () => {
  it('starts a new reader with the cached keyframe group, and RTP-Info names its first packet', () => {
    const f = new TrackFanout();
    const state = feed(f, 0, 7, 5); // key at frames 0 and 5; frame 5 = tags 10, 11
    expect(f.startInfo()).toEqual({ seq: 10, rtptime: 30000 });
    const sink = new FakeSink();
    f.addReader(sink);
    expect(sink.got).toEqual([10, 11, 12, 13]);
    feed(f, 7, 1, 5, state);
    expect(sink.got).toEqual([10, 11, 12, 13, 14, 15]);
    expect(f.readerCount).toBe(1);
  });

  it('makes a reader that joins before any keyframe wait for one', () => {
    const f = new TrackFanout();
    const sink = new FakeSink();
    f.addReader(sink);
    expect(f.startInfo()).toEqual({});
    const state = feed(f, 1, 3, 4); // frames 1..3, none is key
    expect(sink.got).toEqual([]);
    feed(f, 4, 1, 4, state); // frame 4 is key
    expect(sink.got).toEqual([6, 7]);
  });

  it('drops a congested reader to the next keyframe without holding up the others', () => {
    const f = new TrackFanout();
    const slow = new FakeSink();
    const fast = new FakeSink();
    const state = feed(f, 0, 1, 3);
    f.addReader(slow);
    f.addReader(fast);
    slow.full = true;
    feed(f, 1, 2, 3, state); // frames 1, 2 (tags 2..5): slow is congested
    slow.full = false;
    feed(f, 3, 1, 3, state); // frame 3 is key (tags 6, 7)
    expect(fast.got).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(slow.got).toEqual([0, 1, 6, 7]);
    expect(f.readerStats(slow)).toMatchObject({ skips: 1, packetsDropped: 4 });
  });

  it('counts packets for sender reports and extrapolates the RTP clock', () => {
    const f = new TrackFanout();
    f.push(pkt(1, 90000, true, 0), true, 1000);
    expect(f.packetCount).toBe(1);
    expect(f.octetCount).toBe(1);
    expect(f.ssrc).toBe(0x1234);
    expect(f.rtpTimestampAt(2000)).toBe(180000);
    const s = new FakeSink();
    f.addReader(s);
    f.pushRtcp(new Uint8Array(8));
    expect(s.rtcp).toBe(1);
  });
});

describe('payloadHasKeyframe', () => {
  it('finds H.264 IDR/SPS in single NAL, STAP-A and FU-A payloads', () => {
    expect(payloadHasKeyframe('h264', new Uint8Array([0x65, 0x88]))).toBe(true);
    expect(payloadHasKeyframe('h264', new Uint8Array([0x41, 0x9a]))).toBe(false);
    expect(payloadHasKeyframe('h264', new Uint8Array([0x78, 0, 2, 0x67, 0x42, 0, 1, 0x68]))).toBe(
      true,
    );
    expect(payloadHasKeyframe('h264', new Uint8Array([0x7c, 0x85, 0x88]))).toBe(true);
    expect(payloadHasKeyframe('h264', new Uint8Array([0x7c, 0x81, 0x88]))).toBe(false);
  });

  it('finds H.265 IRAP/VPS in single, AP and FU payloads', () => {
    expect(payloadHasKeyframe('h265', new Uint8Array([19 << 1, 1, 0]))).toBe(true);
    expect(payloadHasKeyframe('h265', new Uint8Array([1 << 1, 1, 0]))).toBe(false);
    expect(payloadHasKeyframe('h265', new Uint8Array([48 << 1, 1, 0, 2, 32 << 1, 1]))).toBe(true);
    expect(payloadHasKeyframe('h265', new Uint8Array([49 << 1, 1, 0x80 | 19, 0]))).toBe(true);
    expect(payloadHasKeyframe('h265', new Uint8Array([49 << 1, 1, 0x80 | 1, 0]))).toBe(false);
  });
});
