import { describe, expect, it } from 'vitest';
import type { DecodeCounters } from './client-types';
import { StreamHealthMonitor, formatPercent, zeroDecodeCounters } from './stream-health';

class FakeClock {
  ms = 1000;
  monotonicMs(): number {
    return this.ms;
  }
}

const counters = (over: Partial<DecodeCounters> = {}): DecodeCounters => ({
  ...zeroDecodeCounters('udp'),
  ...over,
});

/** A simulated connection: 25 fps, 4 packets a frame, a keyframe a second; loses `lossEvery`th packet. */
function simulate(
  clock: FakeClock,
  m: StreamHealthMonitor,
  seconds: number,
  o: { transport?: 'udp' | 'tcp'; lossEvery?: number; keyframes?: boolean; conn?: object } = {},
): DecodeCounters {
  const conn = o.conn ?? {};
  const c = counters({ transport: o.transport ?? 'udp' });
  for (let s = 0; s < seconds; s++) {
    clock.ms += 1000;
    const packets = 100;
    const lost = o.lossEvery ? Math.floor(packets / o.lossEvery) : 0;
    c.rtpPackets += packets - lost;
    c.packetsLost += lost;
    // Each lost packet breaks its frame; the rest of that GOP (say 5 frames) is undecodable.
    c.framesLostToGaps += lost;
    c.framesUndecodable += lost * 5;
    if (o.keyframes === false) c.framesBeforeKeyframe += 25;
    else {
      c.framesEmitted += 25 - lost * 6;
      c.keyframesEmitted += 1;
    }
    m.sample(conn, c);
  }
  return c;
}

describe('StreamHealthMonitor', () => {
  it('reports ok for a clean stream', () => {
    const clock = new FakeClock();
    const m = new StreamHealthMonitor(clock);
    simulate(clock, m, 15);
    expect(m.evaluate({ mode: 'udp', fellBackToTcp: false })).toMatchObject({
      verdict: 'ok',
      windowMs: 10_000,
      framesLostPercent: 0,
      packetsLostPercent: 0,
    });
    expect(m.udpTooLossy()).toBeUndefined();
  });

  it('reports 2 % packet loss over UDP as degraded with a hint that fits the setting', () => {
    const clock = new FakeClock();
    const m = new StreamHealthMonitor(clock);
    simulate(clock, m, 3, { lossEvery: 50 });
    const h = m.evaluate({ mode: 'udp', fellBackToTcp: false });
    expect(h.verdict).toBe('degraded');
    expect(h.packetsLostPercent).toBe(2);
    expect(h.reason).toBe('48 % of frames lost over UDP, try TCP');
    expect(m.evaluate({ mode: 'auto', fellBackToTcp: false }).reason).toMatch(/switching to TCP$/);
    expect(m.udpTooLossy()?.share).toBeCloseTo(0.02);
  });

  it('forgets loss once it leaves the window', () => {
    const clock = new FakeClock();
    const m = new StreamHealthMonitor(clock);
    const conn = {};
    const c = simulate(clock, m, 3, { lossEvery: 50, conn });
    // The same connection goes on cleanly for 11 s.
    for (let s = 0; s < 11; s++) {
      clock.ms += 1000;
      c.rtpPackets += 100;
      c.framesEmitted += 25;
      c.keyframesEmitted++;
      m.sample(conn, c);
    }
    expect(m.evaluate({ mode: 'udp', fellBackToTcp: false }).verdict).toBe('ok');
    expect(m.totals.packetsLost).toBe(6); // the totals keep it
  });

  it('one stray lost packet is not a verdict', () => {
    const clock = new FakeClock();
    const m = new StreamHealthMonitor(clock);
    const c = counters({ rtpPackets: 20, packetsLost: 1, framesEmitted: 10, keyframesEmitted: 1 });
    clock.ms += 1000;
    m.sample({}, c);
    expect(m.evaluate({ mode: 'udp', fellBackToTcp: false }).verdict).toBe('ok');
    expect(m.udpTooLossy()).toBeUndefined();
  });

  it('sums counters over connections (each starts from zero)', () => {
    const clock = new FakeClock();
    const m = new StreamHealthMonitor(clock);
    simulate(clock, m, 2, { lossEvery: 50 });
    simulate(clock, m, 2, { transport: 'tcp' });
    expect(m.totals).toMatchObject({ rtpPackets: 396, packetsLost: 4, udpPacketsLost: 4 });
    // The UDP loss is still in the window: the reason names UDP, and says auto already moved on.
    expect(m.evaluate({ mode: 'auto', fellBackToTcp: true }).reason).toMatch(
      /over UDP, switched to TCP$/,
    );
  });

  it('reports broken when packets arrive but no keyframe decodes for 30 s', () => {
    const clock = new FakeClock();
    const m = new StreamHealthMonitor(clock);
    simulate(clock, m, 29, { keyframes: false });
    expect(m.evaluate({ mode: 'tcp', fellBackToTcp: false }).verdict).toBe('ok');
    simulate(clock, m, 2, { keyframes: false });
    const h = m.evaluate({ mode: 'tcp', fellBackToTcp: false });
    expect(h.verdict).toBe('broken');
    expect(h.reason).toBe('no decodable keyframe for 31 s (packets arrive, none decodes)');
  });

  it('a GOP longer than 30 s whose frames decode is not broken', () => {
    const clock = new FakeClock();
    const m = new StreamHealthMonitor(clock);
    const c = counters({ transport: 'tcp', keyframesEmitted: 1 });
    for (let s = 0; s < 45; s++) {
      clock.ms += 1000;
      c.rtpPackets += 50;
      c.framesEmitted += 25;
      m.sample({}, c);
    }
    expect(m.evaluate({ mode: 'tcp', fellBackToTcp: false }).verdict).toBe('ok');
  });

  it('is not broken when the camera sends nothing (that is the session state’s business)', () => {
    const clock = new FakeClock();
    const m = new StreamHealthMonitor(clock);
    for (let s = 0; s < 40; s++) {
      clock.ms += 1000;
      m.sample(undefined, undefined);
    }
    expect(m.evaluate({ mode: 'tcp', fellBackToTcp: false }).verdict).toBe('ok');
  });

  it('names TCP loss as the camera’s', () => {
    const clock = new FakeClock();
    const m = new StreamHealthMonitor(clock);
    simulate(clock, m, 3, { transport: 'tcp', lossEvery: 50 });
    expect(m.evaluate({ mode: 'tcp', fellBackToTcp: false }).reason).toBe(
      '48 % of frames lost (the camera sends incomplete frames)',
    );
    expect(m.udpTooLossy()).toBeUndefined();
  });

  it('names undecodable frames without loss as the camera’s', () => {
    const clock = new FakeClock();
    const m = new StreamHealthMonitor(clock);
    const c = counters({
      transport: 'tcp',
      rtpPackets: 300,
      framesEmitted: 90,
      keyframesEmitted: 3,
    });
    c.framesUndecodable = 10;
    clock.ms += 1000;
    m.sample({}, c);
    expect(m.evaluate({ mode: 'tcp', fellBackToTcp: false }).reason).toBe(
      '10 % of frames undecodable (the camera sends broken frames)',
    );
  });

  it('formats percentages', () => {
    expect(formatPercent(0.03)).toBe('3');
    expect(formatPercent(0.025)).toBe('2.5');
    expect(formatPercent(0.243)).toBe('24');
  });
});
