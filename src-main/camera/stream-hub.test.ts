import { describe, expect, it } from 'vitest';
import type { AccessUnit } from '../media';
import { StreamHub, type HubConsumer, type StreamTrack } from './stream-hub';

const track: StreamTrack = {
  codec: 'h264',
  width: 640,
  height: 360,
  codecString: 'avc1.42c01e',
  parameterSets: { sps: new Uint8Array([0x67]), pps: new Uint8Array([0x68]) },
};

const unit = (i: number, gop = 5): AccessUnit => ({
  pts90k: i * 6000,
  isKeyframe: i % gop === 0,
  nalus: [new Uint8Array([i % gop === 0 ? 0x65 : 0x41, i & 0xff])],
});

function collector(name: string, accept: (au: AccessUnit) => boolean = () => true) {
  const got: number[] = [];
  const consumer: HubConsumer = {
    name,
    push(au) {
      if (!accept(au)) return false;
      got.push(au.pts90k / 6000);
      return true;
    },
  };
  return { consumer, got };
}

describe('StreamHub', () => {
  it('fans every unit out to every consumer, starting at a keyframe', () => {
    const hub = new StreamHub();
    hub.setTrack(track);
    const a = collector('a');
    hub.publish(unit(3)); // before any subscriber and before a keyframe: not cached
    hub.subscribe(a.consumer);
    for (let i = 4; i < 12; i++) hub.publish(unit(i));
    expect(a.got).toEqual([5, 6, 7, 8, 9, 10, 11]);
  });

  it('gives a new consumer the cached keyframe group at once', () => {
    const hub = new StreamHub();
    hub.setTrack(track);
    for (let i = 0; i < 8; i++) hub.publish(unit(i));
    expect(hub.gop.map((u) => u.pts90k / 6000)).toEqual([5, 6, 7]);
    const late = collector('late');
    hub.subscribe(late.consumer);
    expect(late.got).toEqual([5, 6, 7]);
    hub.publish(unit(8));
    expect(late.got).toEqual([5, 6, 7, 8]);
  });

  it('moves a full consumer to the next keyframe without holding back the others', () => {
    const hub = new StreamHub();
    hub.setTrack(track);
    const fast = collector('fast');
    let full = false;
    const slow = collector('slow', () => !full);
    hub.subscribe(fast.consumer);
    hub.subscribe(slow.consumer);
    for (let i = 0; i < 3; i++) hub.publish(unit(i));
    full = true;
    hub.publish(unit(3));
    full = false;
    for (let i = 4; i < 12; i++) hub.publish(unit(i));
    expect(fast.got).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(slow.got).toEqual([0, 1, 2, 5, 6, 7, 8, 9, 10, 11]);
    const stats = hub.consumerStats().find((s) => s.name === 'slow');
    expect(stats).toMatchObject({ stalls: 1, skipped: 2, delivered: 10 });
  });

  it('treats a throwing consumer as full and keeps serving the rest', () => {
    const hub = new StreamHub();
    hub.setTrack(track);
    const ok = collector('ok');
    hub.subscribe({
      name: 'bad',
      push: () => {
        throw new Error('boom');
      },
    });
    hub.subscribe(ok.consumer);
    for (let i = 0; i < 6; i++) hub.publish(unit(i));
    expect(ok.got).toHaveLength(6);
  });

  it('drops the cached group and resynchronises consumers on a run break', () => {
    const hub = new StreamHub();
    hub.setTrack(track);
    const a = collector('a');
    let breaks = 0;
    hub.subscribe({ ...a.consumer, onRunBreak: () => breaks++ });
    for (let i = 0; i < 7; i++) hub.publish(unit(i));
    hub.breakRun();
    expect(hub.gop).toEqual([]);
    hub.publish(unit(7)); // not a keyframe: skipped
    hub.publish(unit(10));
    expect(breaks).toBe(1);
    expect(a.got).toEqual([0, 1, 2, 3, 4, 5, 6, 10]);
  });

  it('bounds the cached group and stops caching past the bound', () => {
    const hub = new StreamHub({ maxGopFrames: 3 });
    hub.setTrack(track);
    for (let i = 0; i < 5; i++) hub.publish(unit(i, 100));
    expect(hub.gop).toEqual([]);
    hub.publish(unit(100, 100));
    expect(hub.gop).toHaveLength(1);
  });

  it('unsubscribes', () => {
    const hub = new StreamHub();
    hub.setTrack(track);
    const a = collector('a');
    const off = hub.subscribe(a.consumer);
    hub.publish(unit(0));
    off();
    hub.publish(unit(1));
    expect(a.got).toEqual([0]);
    expect(hub.consumerCount).toBe(0);
  });
});
