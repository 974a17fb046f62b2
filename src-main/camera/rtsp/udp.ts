// UDP port pairs for RTP/RTCP (RTP on an even port, RTCP on the next one when the OS lets us).
// Owns binding and closing the two dgram sockets; it knows nothing about sessions or RTP.
import { createSocket, type Socket } from 'node:dgram';

export interface UdpPair {
  rtp: Socket;
  rtcp: Socket;
  rtpPort: number;
  rtcpPort: number;
}

function bind(host: string, port: number): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const s = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4' });
    s.once('error', () => {
      s.close();
      resolve(undefined);
    });
    s.bind(port, host, () => {
      s.removeAllListeners('error');
      resolve(s);
    });
  });
}

/**
 * Binds two UDP sockets on `host`. Tries a few times for an even/odd adjacent pair (what RFC 3550
 * clients expect); falls back to any two ports, which RTSP's server_port=a-b still describes.
 */
export async function bindUdpPair(host: string, attempts = 8): Promise<UdpPair> {
  for (let i = 0; i < attempts; i++) {
    const rtp = await bind(host, 0);
    if (!rtp) break;
    const rtpPort = rtp.address().port;
    if (rtpPort % 2 === 0 && rtpPort < 65535) {
      const rtcp = await bind(host, rtpPort + 1);
      if (rtcp) return { rtp, rtcp, rtpPort, rtcpPort: rtpPort + 1 };
    }
    rtp.close();
  }
  const rtp = await bind(host, 0);
  const rtcp = await bind(host, 0);
  if (!rtp || !rtcp) {
    rtp?.close();
    rtcp?.close();
    throw new Error(`cannot bind UDP sockets on ${host}`);
  }
  return { rtp, rtcp, rtpPort: rtp.address().port, rtcpPort: rtcp.address().port };
}

export function closeUdpPair(pair: UdpPair): void {
  for (const s of [pair.rtp, pair.rtcp]) {
    try {
      s.close();
    } catch {
      // already closed
    }
  }
}
