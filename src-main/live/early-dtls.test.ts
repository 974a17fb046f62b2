// replayEarlyDtls against a fake DTLS transport: records that arrive before the handshake starts reach
// the DTLS server once it listens (after the `connecting` state change), in order; media, late records
// and a transport that never starts are left alone.
import { describe, expect, it } from 'vitest';
import { replayEarlyDtls } from './early-dtls';

class FakeEvent<T extends unknown[]> {
  private subs = new Set<(...args: T) => void>();
  subscribe(fn: (...args: T) => void) {
    this.subs.add(fn);
    return { unSubscribe: () => void this.subs.delete(fn) };
  }
  execute(...args: T) {
    for (const fn of [...this.subs]) fn(...args);
  }
  get size() {
    return this.subs.size;
  }
}

type DtlsState = 'new' | 'connecting' | 'connected' | 'failed' | 'closed';

function fakeTransport() {
  const onData = new FakeEvent<[Buffer]>();
  const onStateChange = new FakeEvent<[DtlsState]>();
  const transport = {
    state: 'new' as DtlsState,
    onStateChange,
    iceTransport: { connection: { onData } },
  };
  /** What werift's start() does: state change, then the server subscribes in the same run. */
  const start = () => {
    const server: Buffer[] = [];
    transport.state = 'connecting';
    onStateChange.execute('connecting');
    onData.subscribe((b) => server.push(b));
    return server;
  };
  return { transport, onData, onStateChange, start };
}

const record = (type: number, n: number) => Buffer.from([type, 0xfe, 0xfd, n]);
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('replayEarlyDtls', () => {
  it('hands the records that came before the handshake to the DTLS server, in order', async () => {
    const t = fakeTransport();
    replayEarlyDtls(t.transport as never);
    t.onData.execute(record(22, 1)); // ClientHello
    t.onData.execute(Buffer.from([0x80, 0x60, 0, 1])); // RTP: not DTLS
    t.onData.execute(record(22, 2)); // its retransmission
    const server = t.start();
    await tick();
    expect(server.map((b) => b[3])).toEqual([1, 2]);
    // Afterwards nothing is held or replayed: the server hears records once.
    t.onData.execute(record(22, 3));
    await tick();
    expect(server.map((b) => b[3])).toEqual([1, 2, 3]);
    expect(t.onData.size).toBe(1); // only the server's subscription is left
  });

  it('holds a bounded number, and lets go when the transport fails or closes first', async () => {
    const t = fakeTransport();
    replayEarlyDtls(t.transport as never);
    for (let i = 0; i < 20; i++) t.onData.execute(record(22, i));
    const server = t.start();
    await tick();
    expect(server).toHaveLength(8);

    const u = fakeTransport();
    replayEarlyDtls(u.transport as never);
    u.onData.execute(record(22, 1));
    u.transport.state = 'closed';
    u.onStateChange.execute('closed');
    expect(u.onData.size).toBe(0);
    expect(u.onStateChange.size).toBe(0);
  });
});
