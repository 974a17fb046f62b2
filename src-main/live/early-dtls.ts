// werift creates a transport's DTLS server only once its own ICE agent reports the connection up, which
// on the controlled side comes some milliseconds after the browser's: the browser's ClientHello, sent the
// moment its side of ICE is up, arrives before anybody listens and is dropped, and the handshake waits
// for the browser's retransmission (100–500 ms measured in 11 of 12 first-load sessions). This holds the
// DTLS records that arrive before the handshake starts and hands them to the DTLS server once it exists.
import type { RTCDtlsTransport } from 'werift';

/** A DTLS record's first byte, its content type, is 20–63 (RFC 7983 demultiplexing). */
const isDtlsRecord = (b: Buffer) => b.length > 0 && b[0]! >= 20 && b[0]! <= 63;
/** A ClientHello and a retransmission or two; anything beyond is not a handshake starting. */
const MAX_HELD = 8;

type DtlsTransportLike = Pick<RTCDtlsTransport, 'state' | 'onStateChange'> & {
  iceTransport: { connection: Pick<RTCDtlsTransport['iceTransport']['connection'], 'onData'> };
};

export function replayEarlyDtls(transport: DtlsTransportLike): void {
  const { onData } = transport.iceTransport.connection;
  let held: Buffer[] = [];
  const data = onData.subscribe((buf) => {
    if (transport.state === 'new' && isDtlsRecord(buf) && held.length < MAX_HELD) held.push(buf);
  });
  const state = transport.onStateChange.subscribe((s) => {
    if (s === 'new') return;
    data.unSubscribe();
    state.unSubscribe();
    const early = held;
    held = [];
    if (s !== 'connecting' || early.length === 0) return;
    // The DTLS server is created right after this state change, in the same synchronous run.
    queueMicrotask(() => {
      for (const buf of early) onData.execute(buf);
    });
  });
}
