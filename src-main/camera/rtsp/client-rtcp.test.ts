// RTCP and UDP details of RtspClient against a fake camera: RTP over a UDP pair, sender reports
// in, receiver reports out (UDP and TCP interleaved), and an SSRC change signalled as a discontinuity.
import dgram from 'node:dgram';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { H264Packetizer, buildSenderReport, parseRtcp, serializeRtpPacket } from '../../media/rtp';
import type { RtcpReceiverReport, RtcpSenderReport } from '../../media/rtp';
import { buildSdp } from '../../media/sdp';
import { RtspClient } from './client';
import { loadClip } from './clip-source';
import type { Clip } from './clip-source';
import { parseTransport } from './headers';
import { getHeader } from './message';
import { cameraScript, collectAccessUnits, startFakeCamera } from './testing';
import type { FakeCamera } from './testing';

const DEMO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../resources/demo');

let camera: FakeCamera | undefined;
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await camera?.close();
  camera = undefined;
});

async function bind(): Promise<dgram.Socket> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
  cleanups.push(() => s.close());
  return s;
}

function sdpFor(clip: Clip): string {
  return buildSdp({
    sessionName: 'rtcp',
    tracks: [
      { codec: 'h264', payloadType: 96, control: 'track1', parameterSets: clip.parameterSets },
    ],
  });
}

describe('RtspClient RTCP and UDP', () => {
  it('UDP: RTP arrives on the even port, SR is answered by receiver reports to the server RTCP port', async () => {
    const clip = await loadClip(path.join(DEMO, 'door-sub.h264'));
    const rtpOut = await bind();
    const rtcpOut = await bind();
    const punches: Buffer[] = [];
    rtpOut.on('message', (m) => punches.push(m));
    const reports: RtcpReceiverReport[] = [];
    rtcpOut.on('message', (m) => {
      for (const p of parseRtcp(new Uint8Array(m))) if (p.type === 'rr') reports.push(p);
    });
    const packetizer = new H264Packetizer({
      payloadType: 96,
      ssrc: 0xabcd,
      aggregate: true,
      initialSequence: 65530,
    });
    const sr = buildSenderReport({
      ssrc: 0xabcd,
      ntpMs: Date.now(),
      rtpTimestamp: 0,
      packetCount: 1,
      octetCount: 1,
    });
    let clientPorts: [number, number] = [0, 0];
    let lastSeq = 0;
    camera = await startFakeCamera({
      onRequest(req, conn) {
        if (req.method === 'DESCRIBE') conn.reply(req, 200, [], sdpFor(clip));
        else if (req.method === 'SETUP') {
          const t = parseTransport(getHeader(req.headers, 'transport')!)[0]!;
          clientPorts = t.clientPort!;
          const ports = `server_port=${rtpOut.address().port}-${rtcpOut.address().port}`;
          conn.reply(req, 200, [
            ['Session', 'u1;timeout=60'],
            [
              'Transport',
              `RTP/AVP;unicast;client_port=${clientPorts[0]}-${clientPorts[1]};${ports}`,
            ],
          ]);
        } else if (req.method === 'PLAY') {
          conn.reply(req, 200, [['Session', 'u1']]);
          rtcpOut.send(sr, clientPorts[1], '127.0.0.1');
          for (let i = 0; i < 5; i++) {
            for (const p of packetizer.packetizeToPackets({
              nalus: clip.accessUnits[i]!.nalus,
              rtpTimestamp: i * 6000,
            })) {
              lastSeq = p.sequenceNumber;
              rtpOut.send(serializeRtpPacket(p), clientPorts[0], '127.0.0.1');
            }
          }
        } else conn.reply(req, 200, [['Session', 'u1']]);
      },
    });
    const client = new RtspClient({
      url: camera.url,
      transport: 'udp',
      receiverReportIntervalMs: 100,
      timeoutMs: 2000,
    });
    cleanups.push(() => client.close());
    const collecting = collectAccessUnits(client, 4);
    const info = await client.connect();
    expect(info.transport).toBe('udp');
    expect(clientPorts[0] % 2).toBe(0);
    expect(clientPorts[1]).toBe(clientPorts[0] + 1);
    const { aus } = await collecting;
    expect(aus[0]!.isKeyframe).toBe(true);
    await expect.poll(() => reports.length, { timeout: 3000 }).toBeGreaterThanOrEqual(1);
    const block = reports.at(-1)!.reports[0]!;
    expect(block.ssrc).toBe(0xabcd);
    expect(block.highestSeq).toBe(0x10000 + lastSeq); // wrapped past 65535 once
    expect(block.cumulativeLost).toBe(0);
    expect(block.lastSr).toBe((parseRtcp(sr)[0] as RtcpSenderReport).ntpMiddle32);
    expect(client.stats.rtcpPackets).toBeGreaterThanOrEqual(1);
    expect(punches.length).toBeGreaterThanOrEqual(1);
  });

  it('TCP: receiver reports go out on the interleaved RTCP channel; an SSRC change is a discontinuity', async () => {
    const clip = await loadClip(path.join(DEMO, 'door-sub.h264'));
    const first = new H264Packetizer({ payloadType: 96, ssrc: 1111 });
    const second = new H264Packetizer({ payloadType: 96, ssrc: 2222, initialSequence: 40000 });
    camera = await startFakeCamera(
      cameraScript({
        sdp: sdpFor(clip),
        onPlay(conn) {
          for (let i = 0; i < 3; i++)
            first
              .packetize({ nalus: clip.accessUnits[i]!.nalus, rtpTimestamp: i * 6000 })
              .forEach((p) => conn.sendInterleaved(0, p));
          setTimeout(() => {
            for (let i = 0; i < 3; i++)
              second
                .packetize({ nalus: clip.accessUnits[i]!.nalus, rtpTimestamp: 777 + i * 6000 })
                .forEach((p) => conn.sendInterleaved(0, p));
          }, 250);
        },
      }),
    );
    const client = new RtspClient({
      url: camera.url,
      transport: 'tcp',
      receiverReportIntervalMs: 100,
    });
    cleanups.push(() => client.close());
    const discontinuities: string[] = [];
    client.on('discontinuity', (r) => discontinuities.push(r));
    const collecting = collectAccessUnits(client, 6);
    await client.connect();
    const { aus } = await collecting;
    expect(aus.filter((a) => a.isKeyframe)).toHaveLength(2); // both senders start at a keyframe
    expect(discontinuities).toEqual(['ssrc_change']);
    await expect
      .poll(() => camera!.interleaved.filter((f) => f.channel === 1).length)
      .toBeGreaterThanOrEqual(1);
    const rr = parseRtcp(camera.interleaved.find((f) => f.channel === 1)!.payload);
    expect(rr[0]?.type).toBe('rr');
    expect(rr.some((p) => p.type === 'sdes')).toBe(true);
  });
});
