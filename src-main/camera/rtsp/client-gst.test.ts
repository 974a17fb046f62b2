// Integration: RtspClient against GStreamer's RTSP server (gst-rtsp-server via /usr/bin/python3):
// H.264 and H.265, TCP and UDP, Basic and Digest, STAP-A/AP aggregation, parameter sets only in
// the SDP, and 'auto' falling back to TCP when the server refuses UDP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNvrError } from '../../base';
import { h264NalType } from '../../media/h264';
import { RtspClient } from './client';
import {
  collectAccessUnits,
  keyframeIndexes,
  ptsSteps,
  gstAvailable,
  startGstServer,
} from './testing';
import type { GstServer, GstServerOptions } from './testing';

const GOP = 10;
const FPS = 15;
const COMMON: GstServerOptions = {
  width: 320,
  height: 240,
  fps: FPS,
  gop: GOP,
  user: 'cam',
  password: 's3cret',
};
const SERVERS = {
  h264Basic: { ...COMMON, codec: 'h264', auth: 'basic' },
  h265Digest: { ...COMMON, codec: 'h265', auth: 'digest' },
  // A camera that speaks TCP only and sends SPS/PPS only in the SDP.
  h264TcpSdpOnly: {
    ...COMMON,
    codec: 'h264',
    auth: 'none',
    protocols: ['tcp'],
    packetization: 'sdp-only',
  },
} satisfies Record<string, GstServerOptions>;

const servers: Partial<Record<keyof typeof SERVERS, GstServer>> = {};

beforeAll(async () => {
  const started = await Promise.all(
    Object.entries(SERVERS).map(
      async ([name, opts]) => [name, await startGstServer(opts)] as const,
    ),
  );
  for (const [name, server] of started) servers[name as keyof typeof SERVERS] = server;
}, 30_000);

afterAll(async () => {
  await Promise.all(Object.values(servers).map((s) => s.stop()));
});

function withCreds(url: string, password = 's3cret'): string {
  return url.replace('rtsp://', `rtsp://cam:${password}@`);
}

describe.skipIf(!gstAvailable())('RtspClient against GStreamer RTSP server', () => {
  const cases = [
    ['h264Basic', 'tcp'],
    ['h264Basic', 'udp'],
    ['h265Digest', 'tcp'],
    ['h265Digest', 'udp'],
  ] as const;

  it.concurrent.each(cases)(
    '%s over %s: aggregated parameter sets, keyframes every GOP, 90 kHz steps',
    async (name, transport) => {
      const server = servers[name]!;
      const codec = SERVERS[name].codec;
      const client = new RtspClient({ url: withCreds(server.url), transport, timeoutMs: 8000 });
      try {
        const collecting = collectAccessUnits(client, 2 * GOP + 2, 20_000);
        const info = await client.connect();
        expect(info.codec).toBe(codec);
        expect(info.transport).toBe(transport);
        const { aus, track } = await collecting;
        expect(track).toMatchObject({ codec, width: 320, height: 240 });
        expect(track?.fps).toBeCloseTo(FPS, 1);
        expect(aus[0]!.isKeyframe).toBe(true);
        const keys = keyframeIndexes(aus);
        expect(keys.length).toBeGreaterThanOrEqual(2);
        for (let i = 1; i < keys.length; i++) expect(keys[i]! - keys[i - 1]!).toBe(GOP);
        for (const d of ptsSteps(aus)) expect(d).toBe(90000 / FPS);
        // config-interval=-1 + aggregate-mode: parameter sets travel in STAP-A / AP with each keyframe.
        for (const k of keys)
          expect(aus[k]!.nalus.length).toBeGreaterThanOrEqual(codec === 'h264' ? 3 : 4);
        expect(client.stats.droppedPackets).toBe(0);
      } finally {
        await client.close();
      }
    },
  );

  it('transport auto falls back to TCP when UDP SETUP is refused; SPS/PPS only in the SDP', async () => {
    const client = new RtspClient({
      url: servers.h264TcpSdpOnly!.url,
      transport: 'auto',
      timeoutMs: 8000,
    });
    try {
      const collecting = collectAccessUnits(client, GOP + 2, 20_000);
      const info = await client.connect();
      expect(info.transport).toBe('tcp');
      expect(client.transportUsed).toBe('tcp');
      // Size known from the SDP before any frame arrives.
      expect(info).toMatchObject({ codec: 'h264', width: 320, height: 240 });
      const { aus } = await collecting;
      const key = aus.find((au) => au.isKeyframe)!;
      // The depacketizer put the SDP's SPS and PPS in front of the keyframe.
      const types = key.nalus.map(h264NalType);
      expect(types).toContain(7);
      expect(types).toContain(8);
      expect(types.indexOf(7)).toBeLessThan(types.indexOf(5));
    } finally {
      await client.close();
    }
  });

  it.each([
    ['basic', 'h264Basic'],
    ['digest', 'h265Digest'],
  ] as const)('wrong password with %s → NvrError auth', async (_scheme, name) => {
    const client = new RtspClient({
      url: withCreds(servers[name]!.url, 'nope'),
      transport: 'tcp',
      timeoutMs: 5000,
    });
    const err = await client.connect().catch((e: unknown) => e);
    expect(isNvrError(err, 'auth')).toBe(true);
    expect(isNvrError(err) && err.context.url).toBe(servers[name]!.url);
  });
});
