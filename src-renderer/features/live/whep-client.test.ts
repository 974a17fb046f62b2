// WhepClient against a fake RTCPeerConnection and a fake startLive/stopLive: states, session DELETE,
// backoff and the HLS fallback.
import { describe, expect, it } from 'vitest';
import { FakePeerConnection as FakePc } from './testing';
import { WhepClient, backoffMs, preparePeer, type WhepState } from './whep-client';

const flush = () => new Promise((r) => setTimeout(r, 0));

function setup(
  opts: {
    startFails?: number;
    noWebRtc?: boolean;
    prepared?: ReturnType<typeof preparePeer>;
    /** startLive rejects with this instead of a 503. */
    failWith?: unknown;
  } = {},
) {
  const pcs: FakePc[] = [];
  const states: [WhepState, string | undefined][] = [];
  const started: { id: string; stream: string; offerSdp: string }[] = [];
  const stopped: string[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  let fails = opts.startFails ?? 0;
  let n = 0;
  const client = new WhepClient({
    cameraId: 'door',
    stream: 'sub',
    startLive: (input) => {
      started.push(input);
      if (fails-- > 0) return Promise.reject(opts.failWith ?? new Error('503 camera not ready'));
      return Promise.resolve({ sdp: 'v=0 answer', sessionId: `s${++n}` });
    },
    stopLive: ({ sessionId }) => {
      stopped.push(sessionId);
      return Promise.resolve({ ok: true });
    },
    onTrack: () => {},
    onState: (s, d) => states.push([s, d]),
    createPeerConnection: () => {
      if (opts.noWebRtc) throw new Error('RTCPeerConnection is not defined');
      const pc = new FakePc();
      pcs.push(pc);
      return pc;
    },
    ...(opts.prepared ? { preparedPeer: opts.prepared } : {}),
    minRetryMs: 100,
    maxRetryMs: 1_000,
    setTimer: (fn, ms) => timers.push({ fn, ms }),
    clearTimer: () => {},
  });
  return { client, pcs, states, started, stopped, timers };
}

describe('WhepClient', () => {
  it('never retries a 415 (unsupported codec): says unsupported with the engine words', async () => {
    const err = Object.assign(new Error('the stream is H.265 and the client did not offer H.265'), {
      kind: 'unsupported_codec',
      status: 415,
    });
    const t = setup({ startFails: 5, failWith: err });
    t.client.start();
    await flush();
    expect(t.started).toHaveLength(1);
    expect(t.timers).toEqual([]);
    expect(t.states.at(-1)).toEqual(['unsupported', err.message]);
    expect(t.pcs[0]!.closed).toBe(true);
  });

  it('treats a transcode the engine does not offer (not_implemented) as final too', async () => {
    const err = Object.assign(new Error('the H.264 transcode is not enabled on this engine'), {
      kind: 'not_implemented',
    });
    const t = setup({ startFails: 5, failWith: err });
    t.client.start();
    await flush();
    expect(t.started).toHaveLength(1);
    expect(t.states.at(-1)?.[0]).toBe('unsupported');
  });

  it('offers recvonly video for the sub stream, applies the answer, goes live', async () => {
    const t = setup();
    t.client.start();
    await flush();
    expect(t.started).toEqual([{ id: 'door', stream: 'sub', offerSdp: 'v=0 offer' }]);
    expect(t.pcs[0]!.transceivers).toEqual(['video:recvonly']);
    expect(t.pcs[0]!.remote).toBe('v=0 answer');
    t.pcs[0]!.emit('connected');
    expect(t.states.map((s) => s[0])).toEqual(['connecting', 'live']);
  });

  it('deletes the session and closes the peer connection on close', async () => {
    const t = setup();
    t.client.start();
    await flush();
    t.client.close();
    expect(t.stopped).toEqual(['s1']);
    expect(t.pcs[0]!.closed).toBe(true);
    expect(t.client.current).toBe('closed');
  });

  it('sends no offer once closed while the offer is being built', async () => {
    const t = setup();
    t.client.start();
    t.client.close();
    await flush();
    expect(t.started).toEqual([]);
    expect(t.pcs[0]!.closed).toBe(true);
  });

  it('retries a failed offer with doubling backoff, then goes live', async () => {
    const t = setup({ startFails: 2 });
    t.client.start();
    await flush();
    expect(t.states.at(-1)).toEqual(['reconnecting', '503 camera not ready']);
    expect(t.timers.map((x) => x.ms)).toEqual([100]);
    t.timers[0]!.fn();
    await flush();
    expect(t.timers.map((x) => x.ms)).toEqual([100, 200]);
    t.timers[1]!.fn();
    await flush();
    expect(t.started).toHaveLength(3);
    t.pcs[2]!.emit('connected');
    expect(t.client.current).toBe('live');
    expect(t.pcs.slice(0, 2).every((p) => p.closed)).toBe(true);
  });

  it('reconnects after a live connection fails, deleting the old session', async () => {
    const t = setup();
    t.client.start();
    await flush();
    t.pcs[0]!.emit('connected');
    t.pcs[0]!.emit('failed');
    expect(t.stopped).toEqual(['s1']);
    expect(t.client.current).toBe('reconnecting');
    t.timers[0]!.fn();
    await flush();
    t.pcs[1]!.emit('connected');
    expect(t.client.current).toBe('live');
  });

  it('falls back when WebRTC is unavailable or never connects', async () => {
    const a = setup({ noWebRtc: true });
    a.client.start();
    await flush();
    expect(a.states).toEqual([
      ['connecting', undefined],
      ['fallback', 'RTCPeerConnection is not defined'],
    ]);

    const b = setup();
    b.client.start();
    await flush();
    b.pcs[0]!.emit('failed');
    b.timers[0]!.fn();
    await flush();
    b.pcs[1]!.emit('failed');
    expect(b.client.current).toBe('fallback');
    expect(b.timers).toHaveLength(1);
    expect(b.stopped).toEqual(['s1', 's2']);
  });

  it('sends a prepared offer without yielding, and applies the answer only after the offer', async () => {
    const pc = new FakePc({ holdLocal: true });
    const prepared = preparePeer(() => pc);
    await flush(); // the offer is made; applying it locally is still under way
    expect(prepared.offerSdp).toBe('v=0 offer');
    const t = setup({ prepared });
    t.client.start();
    // The offer left inside start(), before anything else could run.
    expect(t.started).toEqual([{ id: 'door', stream: 'sub', offerSdp: 'v=0 offer' }]);
    await flush();
    expect(pc.remote).toBeUndefined();
    pc.releaseLocal();
    await flush();
    expect(pc.remote).toBe('v=0 answer');
    expect(t.pcs).toEqual([]); // the prepared peer, no new one
  });

  it('closes an unused prepared peer on close', () => {
    const pc = new FakePc();
    const t = setup({ prepared: preparePeer(() => pc) });
    t.client.close();
    expect(pc.closed).toBe(true);
    expect(t.started).toEqual([]);
  });

  it('hands a running session to new handlers, with its track and state first', async () => {
    const t = setup();
    t.client.start();
    await flush();
    const track = { kind: 'video' } as MediaStreamTrack;
    t.pcs[0]!.addTrack(track);
    t.pcs[0]!.emit('connected');
    const got: unknown[] = [];
    t.client.bind({ onTrack: (tr) => got.push(tr), onState: (s) => got.push(s) });
    expect(got).toEqual([track, 'live']);
    t.pcs[0]!.emit('failed');
    expect(got.at(-1)).toBe('reconnecting');
    expect(t.states.at(-1)?.[0]).toBe('live'); // the first owner hears no more
  });

  it('backoffMs doubles and caps', () => {
    expect([0, 1, 2, 3, 10].map((a) => backoffMs(a, 500, 4_000))).toEqual([
      500, 1_000, 2_000, 4_000, 4_000,
    ]);
  });
});
