// Server-side RTSP sessions: which mount and tracks a client set up, over which transport, and
// the sinks that carry a reader's packets (TCP interleaved or a UDP pair). Owns the per-session
// sockets and their cleanup; request handling lives in server.ts.
import type { Socket } from 'node:net';
import { encodeInterleaved } from './message';
import type { RtpSink } from './fanout';
import type { Mount } from './mounts';
import { closeUdpPair, type UdpPair } from './udp';

export type SessionTransport =
  | { kind: 'tcp'; channels: [number, number] }
  | { kind: 'udp'; pair: UdpPair; clientHost: string; clientPorts: [number, number] };

export interface SessionTrack {
  /** Index into mount.tracks(). */
  index: number;
  transport: SessionTransport;
  sink: RtpSink;
}

export type SessionMode = 'play' | 'record';

export class ServerSession {
  readonly tracks = new Map<number, SessionTrack>();
  state: 'ready' | 'playing' | 'recording' = 'ready';
  lastSeenMs: number;
  closed = false;
  /** This session's own timeout (a quirk mount's); the server's when undefined. */
  timeoutMs: number | undefined;

  constructor(
    /** Mutable only for quirk mounts that rename the session after SETUP. */
    public id: string,
    readonly mount: Mount,
    readonly mode: SessionMode,
    /** The TCP connection that set the session up (its interleaved channels live there). */
    readonly connectionId: number,
    nowMs: number,
  ) {
    this.lastSeenMs = nowMs;
  }

  touch(nowMs: number): void {
    this.lastSeenMs = nowMs;
  }

  /** Starts delivering: each track's fan-out gets this session's sink (and sends the cached GOP). */
  attachReaders(): void {
    const tracks = this.mount.tracks();
    for (const t of this.tracks.values()) tracks[t.index]?.fanout.addReader(t.sink);
    this.state = 'playing';
  }

  detachReaders(): void {
    const tracks = this.mount.tracks();
    for (const t of this.tracks.values()) tracks[t.index]?.fanout.removeReader(t.sink);
    if (this.state === 'playing') this.state = 'ready';
  }

  /** Detaches and closes the UDP sockets. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.detachReaders();
    for (const t of this.tracks.values())
      if (t.transport.kind === 'udp') closeUdpPair(t.transport.pair);
  }
}

/** A sink writing `$`-framed packets into the RTSP connection; congested over `highWaterBytes`. */
export function tcpSink(
  socket: Socket,
  channels: [number, number],
  highWaterBytes: number,
): RtpSink {
  return {
    sendRtp(packet) {
      if (!socket.destroyed && socket.writable)
        socket.write(encodeInterleaved(channels[0], packet));
    },
    sendRtcp(packet) {
      if (!socket.destroyed && socket.writable)
        socket.write(encodeInterleaved(channels[1], packet));
    },
    congested() {
      return socket.writableLength > highWaterBytes;
    },
  };
}

/** A sink sending datagrams from the session's server ports to the client's ports. */
export function udpSink(pair: UdpPair, clientHost: string, clientPorts: [number, number]): RtpSink {
  const send = (s: UdpPair['rtp'], packet: Uint8Array, port: number): void => {
    try {
      s.send(packet, port, clientHost);
    } catch {
      // socket closed under us: the session is going away
    }
  };
  return {
    sendRtp: (packet) => send(pair.rtp, packet, clientPorts[0]),
    sendRtcp: (packet) => send(pair.rtcp, packet, clientPorts[1]),
    congested: () => false,
  };
}
