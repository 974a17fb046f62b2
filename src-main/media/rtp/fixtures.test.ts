import { describe, expect, it } from 'vitest';
import { parseH264Sps } from '../h264';
import { parseH265Sps } from '../h265';
import { H264Depacketizer, H265Depacketizer, SequenceReorderBuffer, parseRtpPacket } from '.';
import { ffmpegFrames, ffmpegH264Rtp, ffmpegH265Rtp } from './fixtures';

describe.each([
  ['h264', ffmpegH264Rtp, () => new H264Depacketizer()],
  ['h265', ffmpegH265Rtp, () => new H265Depacketizer()],
] as const)('real %s RTP from ffmpeg', (codec, real, make) => {
  const key = (ps: { isKeyframe: boolean }[]) => ps.flatMap((u, i) => (u.isKeyframe ? [i] : []));

  it('depacketizes into the frames ffmpeg encoded, keyframes in place, 5 fps timestamps', () => {
    const d = make();
    const units = real.map(parseRtpPacket).flatMap((p) => d.push(p));
    expect(units).toHaveLength(ffmpegFrames.count);
    expect(key(units)).toEqual(ffmpegFrames.keyframes);
    expect(units.slice(1).map((u, i) => u.pts90k - units[i]!.pts90k)).toEqual([
      18000, 18000, 18000, 18000,
    ]);
    expect(units[0]!.parameterSetsChanged).toBe(true);
    expect(units[3]!.parameterSetsChanged).toBe(false);
    expect(d.stats).toMatchObject({ lossEvents: 0, framesDropped: 0 });
    const ps = d.parameterSets;
    const sps = codec === 'h264' ? parseH264Sps(ps.sps!) : parseH265Sps(ps.sps!);
    expect([sps.width, sps.height]).toEqual([64, 64]);
    if (codec === 'h265') expect(ps.vps).toBeDefined();
  });

  it('survives reversed pairs through the reorder buffer', () => {
    const packets = real.map(parseRtpPacket);
    const swapped = packets.flatMap((_, i) =>
      i % 2 === 0 ? packets.slice(i, i + 2).reverse() : [],
    );
    const buf = new SequenceReorderBuffer({ maxDelayPackets: 4 });
    const d = make();
    // The stream's first packet must come first (nothing is older than what started it).
    const units = [packets[0]!, ...swapped.filter((p) => p !== packets[0])].flatMap((p) =>
      buf.push(p).flatMap((q) => d.push(q)),
    );
    units.push(...buf.flush().flatMap((q) => d.push(q)));
    expect(units).toHaveLength(ffmpegFrames.count);
    expect(key(units)).toEqual(ffmpegFrames.keyframes);
  });

  it('drops the frames a lost packet breaks and resumes at the next keyframe', () => {
    const packets = real.map(parseRtpPacket);
    const lost = packets.findIndex((p) => p.timestamp !== packets[0]!.timestamp); // frame 1's first packet
    const d = make();
    const units = packets.filter((_, i) => i !== lost).flatMap((p) => d.push(p));
    const all = make();
    const reference = packets.flatMap((p) => all.push(p));
    // Frames 1 and 2 depend on the lost data; 0, 3 (keyframe) and 4 are whole.
    expect(units.map((u) => u.pts90k)).toEqual([0, 3, 4].map((i) => reference[i]!.pts90k));
    expect(key(units)).toEqual([0, 1]);
    expect(d.stats).toMatchObject({ lossEvents: 1, framesEmitted: 3 });
  });
});
