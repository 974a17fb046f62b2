import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RtpPacket } from '.';
import { SequenceReorderBuffer, TimestampWidener } from '.';

const pkt = (sequenceNumber: number, ssrc = 1): RtpPacket => ({
  version: 2,
  padding: false,
  extension: false,
  marker: false,
  payloadType: 96,
  sequenceNumber,
  timestamp: 0,
  ssrc,
  csrcs: [],
  payload: new Uint8Array([sequenceNumber & 0xff]),
});

const seqs = (ps: RtpPacket[]): number[] => ps.map((p) => p.sequenceNumber);

describe('SequenceReorderBuffer', () => {
  it('puts packets shuffled within the window back in order, across the 16-bit wrap (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }),
        fc.integer({ min: 1, max: 32 }),
        fc.array(fc.array(fc.nat(), { minLength: 1, maxLength: 32 }), {
          minLength: 1,
          maxLength: 20,
        }),
        (start, window, blocks) => {
          // Each block is shuffled by sorting on random keys; blocks never exceed the window.
          const arrival: number[] = [];
          let n = 0;
          for (const keys of blocks) {
            const block = keys
              .slice(0, window)
              .map((k, i) => ({ k, seq: (start + n + i) & 0xffff }));
            n += block.length;
            arrival.push(...block.sort((a, b) => a.k - b.k).map((b) => b.seq));
          }
          const buf = new SequenceReorderBuffer({ maxDelayPackets: window });
          const out = arrival.flatMap((s) => seqs(buf.push(pkt(s))));
          out.push(...seqs(buf.flush()));
          // The very first packet sets the start: anything older that arrives after it is late.
          const first = arrival[0]!;
          const expected = Array.from({ length: n }, (_, i) => (start + i) & 0xffff).filter(
            (s) => ((s - first) & 0xffff) < 0x8000,
          );
          expect(out).toEqual(expected);
          expect(buf.stats.packetsLost).toBe(0);
        },
      ),
    );
  });

  it('emits in-order packets at once and wraps at 65535', () => {
    const buf = new SequenceReorderBuffer();
    expect(seqs(buf.push(pkt(65534)))).toEqual([65534]);
    expect(seqs(buf.push(pkt(65535)))).toEqual([65535]);
    expect(seqs(buf.push(pkt(0)))).toEqual([0]);
    expect(seqs(buf.push(pkt(2)))).toEqual([]);
    expect(seqs(buf.push(pkt(1)))).toEqual([1, 2]);
  });

  it('gives up on a hole once the window is full, so the gap shows downstream', () => {
    const buf = new SequenceReorderBuffer({ maxDelayPackets: 4 });
    expect(seqs(buf.push(pkt(10)))).toEqual([10]);
    // 11 is lost
    expect(seqs(buf.push(pkt(12)))).toEqual([]);
    expect(seqs(buf.push(pkt(13)))).toEqual([]);
    expect(seqs(buf.push(pkt(14)))).toEqual([]);
    expect(seqs(buf.push(pkt(15)))).toEqual([12, 13, 14, 15]);
    expect(buf.stats.packetsLost).toBe(1);
    expect(seqs(buf.push(pkt(11)))).toEqual([]); // too late now
    expect(buf.stats.packetsLate).toBe(1);
  });

  it('drops duplicates and flushes what it holds', () => {
    const buf = new SequenceReorderBuffer();
    buf.push(pkt(1));
    expect(seqs(buf.push(pkt(1)))).toEqual([]);
    expect(seqs(buf.push(pkt(3)))).toEqual([]);
    expect(seqs(buf.push(pkt(3)))).toEqual([]);
    expect(seqs(buf.push(pkt(5)))).toEqual([]);
    expect(seqs(buf.flush())).toEqual([3, 5]);
    expect(buf.stats).toEqual({ packetsLost: 2, packetsLate: 2, resets: 0 });
    expect(seqs(buf.push(pkt(6)))).toEqual([6]);
  });

  it('resets on an SSRC change (camera reconnect), delivering the old packets first', () => {
    const buf = new SequenceReorderBuffer();
    buf.push(pkt(100, 1));
    buf.push(pkt(102, 1));
    expect(seqs(buf.push(pkt(7, 2)))).toEqual([102, 7]);
    expect(seqs(buf.push(pkt(8, 2)))).toEqual([8]);
    expect(buf.stats.resets).toBe(1);
  });

  it('treats a large sequence jump as a restart, not as loss to wait for', () => {
    const buf = new SequenceReorderBuffer();
    buf.push(pkt(100));
    expect(seqs(buf.push(pkt(20000)))).toEqual([20000]);
    expect(seqs(buf.push(pkt(20001)))).toEqual([20001]);
    expect(seqs(buf.push(pkt(50)))).toEqual([50]); // far behind: restart too
    expect(buf.stats.resets).toBe(2);
  });
});

describe('TimestampWidener', () => {
  it('continues upwards across the 32-bit wrap and steps back for small backward steps', () => {
    const w = new TimestampWidener();
    expect(w.widen(0xffffff00)).toBe(0xffffff00);
    expect(w.widen(0x100)).toBe(0x1_0000_0100);
    expect(w.widen(0x80)).toBe(0x1_0000_0080); // B-frame-like step back
    expect(w.widen(0xffffff80)).toBe(0xffffff80); // back across the wrap
    expect(w.last).toBe(0xffffff80);
    w.reset();
    expect(w.widen(5)).toBe(5);
  });

  it('matches the true 53-bit value for any walk of steps below 2^31 (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.array(fc.integer({ min: -(2 ** 20), max: 2 ** 31 - 1 }), { maxLength: 50 }),
        (start, steps) => {
          const w = new TimestampWidener();
          const offset = start - (start % 2 ** 32);
          let t = start;
          expect(w.widen(t % 2 ** 32) + offset).toBe(t);
          for (const s of steps) {
            t += s;
            expect(w.widen(((t % 2 ** 32) + 2 ** 32) % 2 ** 32) + offset).toBe(t);
          }
        },
      ),
    );
  });
});
