// UDP transport of the RTSP client: binds an even/odd RTP/RTCP port pair and hands packets from the
// server on. Owns the two dgram sockets only; it parses nothing and knows nothing about RTSP.
import dgram from 'node:dgram';
import { NvrError } from '../../base';

export interface UdpPair {
  rtpPort: number;
  rtcpPort: number;
  /** Sets where RTCP packets (receiver reports) go and which source address is accepted. */
  setPeer(host: string, rtpPort: number | undefined, rtcpPort: number | undefined): void;
  onRtp(listener: (packet: Uint8Array) => void): void;
  onRtcp(listener: (packet: Uint8Array) => void): void;
  sendRtcp(packet: Uint8Array): void;
  /** Sends a small packet to the server's RTP port so NATs and firewalls open the way back. */
  punch(): void;
  close(): void;
}

/**
 * Receive buffer asked for the RTP socket. The OS default (~200 kB on Linux) holds well under a
 * second of a fragmented stream: a recording worker stalled that long (GC, a loaded machine) lost
 * packets, and with them frames up to the next keyframe, in the conformance matrix (FU, mtu 300).
 * The OS caps it (net.core.rmem_max); ffmpeg asks for a large buffer too.
 */
export const RTP_RECV_BUFFER_BYTES = 4 * 1024 * 1024;

function bindSocket(
  type: 'udp4' | 'udp6',
  address: string,
  port: number,
  recvBufferBytes?: number,
): Promise<dgram.Socket> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket({ type, reuseAddr: false });
    const onError = (err: Error): void => {
      socket.close();
      reject(err);
    };
    socket.once('error', onError);
    socket.bind({ port, address, exclusive: true }, () => {
      socket.off('error', onError);
      if (recvBufferBytes !== undefined) {
        try {
          socket.setRecvBufferSize(recvBufferBytes);
        } catch {
          // Refused by the OS: the default buffer still works, with less slack.
        }
      }
      resolve(socket);
    });
  });
}

/**
 * Binds RTP on an even port and RTCP on the next one (RFC 3550 §11), retrying a few times when the
 * OS hands out an odd port or its neighbour is taken.
 */
export async function bindUdpPair(bindAddress: string, attempts = 20): Promise<UdpPair> {
  const type = bindAddress.includes(':') ? 'udp6' : 'udp4';
  let lastError: unknown;
  for (let i = 0; i < attempts; i++) {
    let rtp: dgram.Socket | undefined;
    try {
      rtp = await bindSocket(type, bindAddress, 0, RTP_RECV_BUFFER_BYTES);
      const port = rtp.address().port;
      if (port % 2 !== 0 || port >= 65535) {
        // Odd: try to take port-1 directly next time round, else fall back to a fresh random port.
        rtp.close();
        rtp = undefined;
        if (port % 2 !== 0) {
          try {
            rtp = await bindSocket(type, bindAddress, port - 1, RTP_RECV_BUFFER_BYTES);
          } catch (err) {
            lastError = err;
            continue;
          }
        } else continue;
      }
      const rtpPort = rtp.address().port;
      const rtcp = await bindSocket(type, bindAddress, rtpPort + 1);
      return makePair(rtp, rtcp);
    } catch (err) {
      lastError = err;
      rtp?.close();
    }
  }
  throw new NvrError('unavailable', 'could not bind an RTP/RTCP port pair', {
    bindAddress,
    cause: lastError instanceof Error ? lastError.message : String(lastError),
  });
}

function makePair(rtp: dgram.Socket, rtcp: dgram.Socket): UdpPair {
  let peerHost: string | undefined;
  let peerRtpPort: number | undefined;
  let peerRtcpPort: number | undefined;
  let closed = false;
  const fromPeer = (info: dgram.RemoteInfo): boolean =>
    peerHost === undefined || info.address === peerHost;
  // Errors on a bound UDP socket (ICMP port unreachable on some systems) are not fatal for receiving.
  rtp.on('error', () => undefined);
  rtcp.on('error', () => undefined);
  return {
    rtpPort: rtp.address().port,
    rtcpPort: rtcp.address().port,
    setPeer(host, rtpPort, rtcpPort) {
      peerHost = host;
      peerRtpPort = rtpPort;
      peerRtcpPort = rtcpPort;
    },
    onRtp(listener) {
      rtp.on('message', (msg, info) => {
        if (fromPeer(info)) listener(msg);
      });
    },
    onRtcp(listener) {
      rtcp.on('message', (msg, info) => {
        if (fromPeer(info)) listener(msg);
      });
    },
    sendRtcp(packet) {
      if (closed || peerHost === undefined || peerRtcpPort === undefined) return;
      rtcp.send(packet, peerRtcpPort, peerHost);
    },
    punch() {
      if (closed || peerHost === undefined) return;
      // An RTP header of version 2 with no payload: servers ignore it.
      const dummy = new Uint8Array([0x80, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
      if (peerRtpPort !== undefined) rtp.send(dummy, peerRtpPort, peerHost);
    },
    close() {
      if (closed) return;
      closed = true;
      rtp.close();
      rtcp.close();
    },
  };
}
