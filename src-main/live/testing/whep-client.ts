// Test support: a werift RTCPeerConnection acting as a WHEP client on loopback. It offers H.264
// (packetization-mode 1 and 0) and optionally H.265, applies the answer and records every RTP packet.
import {
  GenericNack,
  RTCPeerConnection,
  RTCRtpCodecParameters,
  RtcpTransportLayerFeedback,
  useAbsSendTime,
  useSdesMid,
} from 'werift';
import type { LiveService } from '../live-service';
import type { RTCRtpTransceiver, RtpPacket } from 'werift';

export interface ReceivedPacket {
  atMs: number;
  sizeBytes: number;
  sequenceNumber: number;
  timestamp: number;
  marker: boolean;
  payload: Buffer;
}

export interface WhepTestClient {
  pc: RTCPeerConnection;
  transceiver: RTCRtpTransceiver;
  offerSdp: string;
  packets: ReceivedPacket[];
  /** Totals, kept in every mode. */
  received: { packets: number; bytes: number };
  /** Resolves when `n` packets have arrived. */
  waitForPackets(n: number, timeoutMs?: number): Promise<void>;
  /** Resolves when `pred` holds for the packets received so far (checked on every packet). */
  waitFor(pred: (packets: ReceivedPacket[]) => boolean, timeoutMs?: number): Promise<void>;
  applyAnswer(sdp: string): Promise<void>;
  sendPli(): void;
  /** Reports these sequence numbers lost (a generic NACK), as a receiver that missed them would. */
  sendNack(lost: number[]): void;
  close(): Promise<void>;
}

export interface WhepTestClientOptions {
  h265?: boolean;
  /** Count packets and bytes only (no per-packet records): for load tests with many clients. */
  countOnly?: boolean;
  /** Offer only packetization-mode=0 H.264. */
  onlyMode0?: boolean;
}

export async function createWhepClient(opts: WhepTestClientOptions = {}): Promise<WhepTestClient> {
  const video: RTCRtpCodecParameters[] = [];
  const fb = [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }];
  if (opts.h265)
    video.push(
      new RTCRtpCodecParameters({ mimeType: 'video/H265', clockRate: 90000, rtcpFeedback: fb }),
    );
  // Chrome lists packetization-mode=0 first for some profiles: the server must skip it.
  video.push(
    new RTCRtpCodecParameters({
      mimeType: 'video/H264',
      clockRate: 90000,
      rtcpFeedback: fb,
      parameters: 'level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42e01f',
    }),
  );
  if (!opts.onlyMode0) {
    video.push(
      new RTCRtpCodecParameters({
        mimeType: 'video/H264',
        clockRate: 90000,
        rtcpFeedback: fb,
        parameters: 'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f',
      }),
      new RTCRtpCodecParameters({
        mimeType: 'video/H264',
        clockRate: 90000,
        rtcpFeedback: fb,
        parameters: 'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4d001f',
      }),
    );
  }
  const pc = new RTCPeerConnection({
    codecs: { video },
    headerExtensions: { video: [useSdesMid(), useAbsSendTime()] },
    iceServers: [],
    iceUseIpv6: false,
    iceAdditionalHostAddresses: ['127.0.0.1'],
    iceInterfaceAddresses: { udp4: '127.0.0.1' },
  });
  const transceiver = pc.addTransceiver('video', { direction: 'recvonly' });
  const packets: ReceivedPacket[] = [];
  const received = { packets: 0, bytes: 0 };
  const listeners = new Set<() => void>();
  transceiver.onTrack.subscribe((track) => {
    track.onReceiveRtp.subscribe((rtp: RtpPacket) => {
      received.packets++;
      received.bytes += rtp.serializeSize;
      if (opts.countOnly) {
        for (const l of [...listeners]) l();
        return;
      }
      packets.push({
        atMs: performance.now(),
        sizeBytes: rtp.serializeSize,
        sequenceNumber: rtp.header.sequenceNumber,
        timestamp: rtp.header.timestamp,
        marker: rtp.header.marker,
        payload: Buffer.from(rtp.payload),
      });
      for (const l of [...listeners]) l();
    });
  });
  await pc.setLocalDescription(await pc.createOffer());
  await new Promise<void>((resolve) => {
    if (pc.iceGatheringState === 'complete') return resolve();
    pc.iceGatheringStateChange.subscribe((s) => s === 'complete' && resolve());
  });
  const offerSdp = pc
    .localDescription!.sdp.split('\r\n')
    .filter((l) => !l.startsWith('a=candidate:') || l.split(' ')[4] === '127.0.0.1')
    .join('\r\n');

  const waitFor = (pred: (p: ReceivedPacket[]) => boolean, timeoutMs = 5000): Promise<void> =>
    new Promise((resolve, reject) => {
      if (pred(packets)) return resolve();
      const check = (): void => {
        if (!pred(packets)) return;
        listeners.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms with ${packets.length} packets`));
      }, timeoutMs);
      listeners.add(check);
    });

  return {
    pc,
    transceiver,
    offerSdp,
    packets,
    received,
    waitFor,
    waitForPackets: (n, timeoutMs) => waitFor(() => received.packets >= n, timeoutMs),
    applyAnswer: (sdp) => pc.setRemoteDescription({ type: 'answer', sdp }),
    sendPli: () => {
      const ssrc = transceiver.receiver.track?.ssrc ?? transceiver.receiver.tracks[0]?.ssrc;
      if (ssrc !== undefined) void transceiver.receiver.sendRtcpPLI(ssrc);
    },
    sendNack: (lost) => {
      const receiver = transceiver.receiver;
      const mediaSourceSsrc = receiver.track?.ssrc ?? receiver.tracks[0]?.ssrc;
      if (mediaSourceSsrc === undefined) return;
      const feedback = new GenericNack({ senderSsrc: receiver.rtcpSsrc, mediaSourceSsrc, lost });
      void receiver.dtlsTransport.sendRtcp([new RtcpTransportLayerFeedback({ feedback })]);
    },
    close: () => pc.close(),
  };
}

/** NAL unit types carried by an H.264 RTP payload (single NAL, STAP-A, or an FU-A start). */
export function h264PayloadNalTypes(payload: Buffer): number[] {
  const t = payload[0]! & 0x1f;
  if (t === 24) {
    const out: number[] = [];
    let off = 1;
    while (off + 2 < payload.length) {
      const len = payload.readUInt16BE(off);
      out.push(payload[off + 2]! & 0x1f);
      off += 2 + len;
    }
    return out;
  }
  if (t === 28) return payload[1]! & 0x80 ? [payload[1]! & 0x1f] : [];
  return [t];
}

/**
 * A new client as a WHEP viewer of cam/main through `service` (pushed to `clients` for the test's
 * cleanup); `answeredAt` is when the answer arrived (performance.now()).
 */
export async function connectViewer(
  service: Pick<LiveService, 'startWhep'>,
  clients: WhepTestClient[],
  /** Who asks (counted against the per-user share). */
  owner?: string,
): Promise<{ client: WhepTestClient; sessionId: string; answeredAt: number }> {
  const client = await createWhepClient();
  clients.push(client);
  const answer = await service.startWhep({
    cameraId: 'cam',
    stream: 'main',
    offerSdp: client.offerSdp,
    ...(owner !== undefined ? { owner } : {}),
  });
  const answeredAt = performance.now();
  await client.applyAnswer(answer.answerSdp);
  return { client, sessionId: answer.sessionId, answeredAt };
}
