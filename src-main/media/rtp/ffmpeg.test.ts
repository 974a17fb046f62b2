// Integration: real RTP from ffmpeg (libx264 / libx265) received on a UDP socket on 127.0.0.1,
// depacketized, and checked against what ffmpeg encoded. The I/O lives in this test only.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import type { RtcpPacket, RtpAccessUnit } from '.';
import {
  H264Depacketizer,
  H265Depacketizer,
  SequenceReorderBuffer,
  parseRtcp,
  parseRtpPacket,
} from '.';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

async function bind(): Promise<dgram.Socket> {
  const s = dgram.createSocket('udp4');
  cleanups.push(() => s.close());
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
  return s;
}

interface Capture {
  units: RtpAccessUnit[];
  rtcp: RtcpPacket[];
  depacketizer: H264Depacketizer;
}

/** Runs ffmpeg sending RTP to our sockets; resolves after its last packet has been handled. */
async function capture(
  codec: 'h264' | 'h265',
  frames: number,
  encoder: string[],
): Promise<Capture> {
  const rtp = await bind();
  const rtcpSocket = await bind();
  const depacketizer = codec === 'h264' ? new H264Depacketizer() : new H265Depacketizer();
  const reorder = new SequenceReorderBuffer();
  const units: RtpAccessUnit[] = [];
  const rtcp: RtcpPacket[] = [];
  const END = 0xff; // a 1-byte datagram we send after ffmpeg exits: everything before it has arrived
  const ended = new Promise<void>((resolve) => {
    rtp.on('message', (m: Buffer) => {
      if (m.length === 1 && m[0] === END) return resolve();
      for (const p of reorder.push(parseRtpPacket(new Uint8Array(m))))
        units.push(...depacketizer.push(p));
    });
  });
  rtcpSocket.on('message', (m: Buffer) => rtcp.push(...parseRtcp(new Uint8Array(m))));
  const url = `rtp://127.0.0.1:${rtp.address().port}?rtcpport=${rtcpSocket.address().port}&pkt_size=1212`;
  const args = [
    '-hide_banner',
    '-loglevel',
    'error',
    '-re',
    '-f',
    'lavfi',
    '-i',
    'testsrc=size=640x360:rate=15',
  ];
  args.push('-frames:v', String(frames), ...encoder, '-f', 'rtp', '-payload_type', '96', url);
  const ff: ChildProcess = spawn('/usr/bin/ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  cleanups.push(() => ff.kill('SIGKILL'));
  let stderr = '';
  ff.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => ff.on('exit', resolve));
  expect(stderr).toBe('');
  expect(code).toBe(0);
  const poke = await bind();
  poke.send(Uint8Array.from([END]), rtp.address().port, '127.0.0.1');
  await ended;
  for (const p of reorder.flush()) units.push(...depacketizer.push(p));
  units.push(...depacketizer.flush());
  return { units, rtcp, depacketizer };
}

const keyframes = (units: RtpAccessUnit[]): number[] =>
  units.flatMap((u, i) => (u.isKeyframe ? [i] : []));

describe('depacketizing real RTP from ffmpeg over UDP', () => {
  it('libx264: one unit per frame, IDRs where ffmpeg put them, 15 fps timestamps', async () => {
    const gop = ['-g', '10', '-keyint_min', '10', '-sc_threshold', '0', '-bf', '0'];
    const { units, rtcp, depacketizer } = await capture('h264', 30, [
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      ...gop,
    ]);
    expect(units).toHaveLength(30);
    expect(keyframes(units)).toEqual([0, 10, 20]);
    expect(new Set(units.slice(1).map((u, i) => u.pts90k - units[i]!.pts90k))).toEqual(
      new Set([6000]),
    );
    expect(depacketizer.stats).toMatchObject({
      lossEvents: 0,
      framesDropped: 0,
      framesEmitted: 30,
    });
    expect(units[0]!.nalus.map((n) => n[0]! & 0x1f).slice(0, 2)).toEqual([7, 8]);
    expect(rtcp.some((p) => p.type === 'sr')).toBe(true);
  });

  it('libx265: one unit per frame, IRAPs where ffmpeg put them', async () => {
    const params = 'keyint=10:min-keyint=10:scenecut=0:bframes=0:log-level=error';
    const { units, depacketizer } = await capture('h265', 30, [
      '-c:v',
      'libx265',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      '-x265-params',
      params,
    ]);
    expect(units).toHaveLength(30);
    expect(keyframes(units)).toEqual([0, 10, 20]);
    expect(depacketizer.stats).toMatchObject({
      lossEvents: 0,
      framesDropped: 0,
      framesEmitted: 30,
    });
    const ps = depacketizer.parameterSets;
    expect([ps.vps, ps.sps, ps.pps].every((x) => x !== undefined)).toBe(true);
  });

  it('libx264 with B-frames: every frame comes out, timestamps step back and forth', async () => {
    const { units } = await capture('h264', 20, [
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      '-bf',
      '2',
      '-g',
      '10',
      '-sc_threshold',
      '0',
    ]);
    expect(units).toHaveLength(20);
    expect(keyframes(units)).toHaveLength(2);
    const pts = units.map((u) => u.pts90k - units[0]!.pts90k);
    expect([...pts].sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => pts.reduce((m, x) => Math.min(m, x), 0) + i * 6000),
    );
  });
});
