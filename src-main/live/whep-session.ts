// WhepSession: one WebRTC viewer over werift. Builds the answer (all candidates included, no
// trickle) for an offer already narrowed to one payload type, starts the ViewerFeed when DTLS is up,
// routes picture-loss requests to it, and closes on ICE failure, DTLS close or silence.
// It does not decide caps or codecs (LiveService does) and never touches the hub's producer side.
import type { RTCPeerConnection, RTCRtpTransceiver } from 'werift';
import { NvrError } from '../base';
import type { Logger } from '../base';
import type { RtpPacket } from '../media/rtp';
import { replayEarlyDtls } from './early-dtls';
import { countCandidates, keepCandidatesOn } from './offer-sdp';
import type { OfferedVideoCodec } from './offer-sdp';
import type { ViewerFeed } from './viewer-feed';
import { FastRtpSender } from './werift-rtp-sender';
import { loadWerift } from './werift-loader';
import type { SrtpSender } from '../../native';

export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

export type SessionCloseReason =
  | 'deleted'
  | 'rejected'
  | 'ice-failed'
  | 'client-closed'
  | 'timeout'
  | 'source-ended'
  | 'shutdown'
  /** The recording worker hosting the viewer died (its sockets went with it). */
  | 'worker-crashed';

export interface WhepSessionOptions {
  offerSdp: string;
  codec: OfferedVideoCodec;
  feed: ViewerFeed;
  iceServers: IceServer[];
  /** Bind ICE sockets to this address only and advertise only it (loopback-only engines). */
  iceBindAddress?: string;
  /** Extra host addresses to advertise (werift leaves loopback out by default). */
  iceExtraHostAddresses?: string[];
  /** Ask the client to render frames as soon as they are decoded (playout-delay 0). Default true. */
  playoutDelayZero?: boolean;
  gatherTimeoutMs: number;
  /** Seals and sends the RTP (AES-GCM) when given; else werift's SRTP and dgram. */
  nativeSrtp?: SrtpSender;
  logger: Logger;
  onStateChange?: (state: string) => void;
}

const PLAYOUT_DELAY_URI = 'http://www.webrtc.org/experiments/rtp-hdrext/playout-delay';
/** min 0, max 0 (12 bits each, 10 ms units): render as soon as decoded. */
const PLAYOUT_DELAY_ZERO = Buffer.from([0, 0, 0]);

function mimeOf(codec: OfferedVideoCodec): string {
  return codec.codec === 'h264' ? 'video/H264' : 'video/H265';
}

export class WhepSession {
  private pc: RTCPeerConnection | undefined;
  private transceiver: RTCRtpTransceiver | undefined;
  private rtp: FastRtpSender | undefined;
  private closed = false;
  answerSdp = '';
  /** Monotonic ms of the last RTCP packet from the client. */
  lastRtcpMs = performance.now();
  connected = false;
  nacks = 0;

  constructor(private readonly opts: WhepSessionOptions) {}

  /** Negotiates and gathers; resolves with the complete answer. Throws NvrError('bad_request'). */
  async negotiate(): Promise<string> {
    const o = this.opts;
    const bind = o.iceBindAddress;
    const w = await loadWerift();
    const { RTCRtpCodecParameters, RTCRtpHeaderExtensionParameters } = w;
    const pc = new w.RTCPeerConnection({
      codecs: {
        video: [
          new RTCRtpCodecParameters({
            mimeType: mimeOf(o.codec),
            clockRate: 90000,
            rtcpFeedback: [
              { type: 'nack' },
              { type: 'nack', parameter: 'pli' },
              { type: 'ccm', parameter: 'fir' },
            ],
          }),
        ],
        // Accepted (and left inactive) so an offer with an audio section still negotiates.
        audio: [w.useOPUS(), w.usePCMU()],
      },
      headerExtensions: {
        video: [
          w.useSdesMid(),
          w.useAbsSendTime(),
          ...(o.playoutDelayZero === false
            ? []
            : [new RTCRtpHeaderExtensionParameters({ uri: PLAYOUT_DELAY_URI })]),
        ],
      },
      iceServers: o.iceServers,
      iceUseIpv6: !bind || bind.includes(':'),
      iceUseIpv4: !bind || !bind.includes(':'),
      iceAdditionalHostAddresses: bind ? [bind] : (o.iceExtraHostAddresses ?? ['127.0.0.1']),
      ...(bind
        ? { iceInterfaceAddresses: bind.includes(':') ? { udp6: bind } : { udp4: bind } }
        : {}),
    });
    this.pc = pc;
    const transceiver = pc.addTransceiver('video', { direction: 'sendonly' });
    this.transceiver = transceiver;
    const sender = transceiver.sender;

    sender.onReady.subscribe(() => {
      this.connected = true;
      this.lastRtcpMs = performance.now();
      const playoutDelayId = transceiver.headerExtensions.find(
        (e) => e.uri === PLAYOUT_DELAY_URI,
      )?.id;
      this.rtp = new FastRtpSender(w, sender, {
        headerExtensions: transceiver.headerExtensions,
        ...(transceiver.mid ? { mid: transceiver.mid } : {}),
        fixed:
          playoutDelayId !== undefined ? [{ id: playoutDelayId, payload: PLAYOUT_DELAY_ZERO }] : [],
        ...(o.nativeSrtp ? { native: o.nativeSrtp } : {}),
      });
      o.feed.start();
    });
    sender.onPictureLossIndication.subscribe(() => {
      const outcome = o.feed.onPictureLoss();
      o.logger.debug({ outcome }, 'picture loss');
    });
    sender.onGenericNack.subscribe(() => {
      this.nacks++;
    });
    sender.onRtcp.subscribe(() => {
      this.lastRtcpMs = performance.now();
    });
    pc.connectionStateChange.subscribe((state) => o.onStateChange?.(state));

    try {
      await pc.setRemoteDescription({ type: 'offer', sdp: o.offerSdp });
      // DTLS server (a=setup:passive): the client's ClientHello then goes out as soon as ICE is up;
      // as the DTLS client werift waits a fixed 100 ms before its first flight.
      for (const t of pc.dtlsTransports) t.role = 'server';
      await pc.setLocalDescription(await pc.createAnswer());
    } catch (cause) {
      await this.close();
      throw new NvrError(
        'bad_request',
        `SDP offer rejected: ${cause instanceof Error ? cause.message : String(cause)}`,
        {},
        { cause },
      );
    }
    // A DTLS close alert (the client closed its peer connection) ends the session at once. (After
    // negotiation: BUNDLE may have given the transceiver another section's transport.)
    transceiver.dtlsTransport.onStateChange.subscribe((state) => {
      if (state === 'closed' || state === 'failed') o.onStateChange?.(state);
    });
    for (const t of pc.dtlsTransports) replayEarlyDtls(t);
    await this.waitForGathering(o.gatherTimeoutMs);
    let sdp = pc.localDescription?.sdp ?? '';
    if (bind) sdp = keepCandidatesOn(sdp, bind);
    if (countCandidates(sdp) === 0) {
      await this.close();
      throw new NvrError('unavailable', 'no ICE candidate could be gathered', {});
    }
    this.answerSdp = sdp;
    return sdp;
  }

  /** Sends packets of the feed (SSRC and payload type are the sender's). */
  send(packets: readonly RtpPacket[]): void {
    if (!this.closed) this.rtp?.send(packets);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.opts.feed.close();
    await this.pc?.close().catch(() => undefined);
  }

  private waitForGathering(timeoutMs: number): Promise<void> {
    const pc = this.pc!;
    if (pc.iceGatheringState === 'complete') return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const sub = pc.iceGatheringStateChange.subscribe((state) => {
        if (state === 'complete') done();
      });
      function done(): void {
        clearTimeout(timer);
        sub.unSubscribe();
        resolve();
      }
    });
  }
}
