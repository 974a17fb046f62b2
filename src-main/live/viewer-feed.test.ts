import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { StreamHub, loadClip } from '../camera';
import type { Clip, StreamTrack } from '../camera';
import type { AccessUnit } from '../media';
import type { RtpPacket } from '../media/rtp';
import { PacketPacer } from './packet-pacer';
import { DEMO_DIR } from './testing';
import { ViewerFeed, withParameterSets } from './viewer-feed';

let clip: Clip;
let track: StreamTrack;

beforeAll(async () => {
  clip = await loadClip(path.join(DEMO_DIR, 'door-sub.h264'));
  track = {
    codec: 'h264',
    width: clip.width,
    height: clip.height,
    fps: clip.fps,
    codecString: 'avc1.42c01e',
    parameterSets: clip.parameterSets,
  };
});

const nalType = (p: RtpPacket): number =>
  (p.payload[0]! & 0x1f) === 28 ? p.payload[1]! & 0x1f : p.payload[0]! & 0x1f;

function feedWith(
  hub: StreamHub,
  overrides: Partial<ConstructorParameters<typeof ViewerFeed>[0]> = {},
) {
  const sent: RtpPacket[] = [];
  const feed = new ViewerFeed({
    name: 'test',
    codec: 'h264',
    send: (packets) => sent.push(...packets),
    gop: () => hub.gop,
    initialTimestamp: 5000,
    pacer: { bucketBytes: 64 * 1024 * 1024 },
    ...overrides,
  });
  return { feed, sent };
}

describe('withParameterSets', () => {
  it('puts SPS and PPS before a keyframe that lacks them, once', () => {
    const key = clip.accessUnits.find((a) => a.isKeyframe)!;
    const out = withParameterSets(key, track);
    const types = out.map((n) => n[0]! & 0x1f);
    expect(types.slice(0, 2)).toEqual([7, 8]);
    expect(types).toContain(5);
    expect(types.filter((t) => t === 7)).toHaveLength(1);
    expect(withParameterSets({ ...key, nalus: out }, track)).toBe(out);
    const delta = clip.accessUnits.find((a) => !a.isKeyframe)!;
    expect(withParameterSets(delta, track)).toBe(delta.nalus);
  });
});

describe('ViewerFeed', () => {
  it('holds the group until start, then sends it compressed and goes live', () => {
    const hub = new StreamHub();
    hub.setTrack(track);
    const units = clip.accessUnits.slice(0, 20);
    for (const au of units.slice(0, 10)) hub.publish(au);
    const { feed, sent } = feedWith(hub);
    hub.subscribe(feed);
    expect(sent).toHaveLength(0);
    const held = feed.heldFrames;
    expect(held).toBe(hub.gop.length);
    feed.start();
    const stamps = [...new Set(sent.map((p) => p.timestamp))];
    expect(stamps).toHaveLength(held);
    expect(stamps[1]! - stamps[0]!).toBe(90);
    expect(nalType(sent[0]!)).toBe(7);
    expect(nalType(sent[1]!)).toBe(8);
    for (const p of sent) expect(12 + p.payload.length).toBeLessThanOrEqual(1200 - 28);
    const n = sent.length;
    hub.publish(units[10]!);
    expect(sent.length).toBeGreaterThan(n);
    expect(sent.at(-1)!.timestamp - stamps.at(-1)!).toBe(units[10]!.pts90k - units[9]!.pts90k);
    expect(sent.at(-1)!.marker).toBe(true);
    expect(feed.stats.framesSent).toBe(held + 1);
  });

  it('reports full when its queue passes the bound, so the hub skips it to the next keyframe', () => {
    const hub = new StreamHub();
    hub.setTrack(track);
    const { feed, sent } = feedWith(hub, {
      maxQueueBytes: 4000,
      pacer: { bucketBytes: 1, rateBytesPerSec: 1, nowMs: () => 0 },
    });
    hub.subscribe(feed);
    feed.start();
    for (const au of clip.accessUnits.slice(0, 40)) hub.publish(au);
    expect(feed.stats.stalls).toBeGreaterThan(0);
    expect(hub.consumerStats()[0]!.stalls).toBeGreaterThan(0);
    expect(sent.length).toBeGreaterThan(0);
    feed.close();
  });

  it('answers picture loss from the cached group, and ignores repeats right after a keyframe', () => {
    const hub = new StreamHub();
    hub.setTrack(track);
    let now = 0;
    const { feed, sent } = feedWith(hub, { nowMs: () => now });
    hub.subscribe(feed);
    feed.start();
    for (const au of clip.accessUnits.slice(0, 8)) hub.publish(au);
    expect(feed.onPictureLoss()).toBe('ignored'); // keyframe just sent
    now = 1000;
    const before = sent.length;
    expect(feed.onPictureLoss()).toBe('replayed');
    const replay = sent.slice(before);
    expect(nalType(replay[0]!)).toBe(7);
    expect(replay.at(-1)!.timestamp).toBeGreaterThan(sent[before - 1]!.timestamp);
    expect(feed.stats.plis).toBe(2);
  });

  it('drops the held group on a run break and ends on a codec change', () => {
    const hub = new StreamHub();
    hub.setTrack(track);
    let changed: string | undefined;
    const { feed } = feedWith(hub, { onCodecChange: (c) => (changed = c) });
    hub.subscribe(feed);
    for (const au of clip.accessUnits.slice(0, 5)) hub.publish(au);
    expect(feed.heldFrames).toBe(5);
    hub.breakRun();
    expect(feed.heldFrames).toBe(0);
    hub.setTrack({ ...track, codec: 'h265' });
    hub.publish({ ...(clip.accessUnits[0] as AccessUnit) });
    expect(changed).toBe('h265');
  });
});

describe('PacketPacer', () => {
  it('passes a bucket at once and spreads the rest at the rate', async () => {
    const sent: number[] = [];
    const batches: number[][] = [];
    const pacer = new PacketPacer<number>(
      (batch) => {
        batches.push([...batch]);
        sent.push(...batch);
      },
      { bucketBytes: 3000, rateBytesPerSec: 100_000 },
    );
    pacer.enqueue([1, 2, 3, 4, 5, 6], () => 1000);
    expect(batches).toEqual([[1, 2, 3]]); // what fits the bucket leaves in one batch
    expect(pacer.queuedBytes).toBe(3000);
    await new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if (sent.length === 6) {
          clearInterval(t);
          resolve();
        }
      }, 2);
    });
    expect(pacer.queuedBytes).toBe(0);
    expect(batches.flat()).toEqual([1, 2, 3, 4, 5, 6]);
    pacer.close();
  });
});
