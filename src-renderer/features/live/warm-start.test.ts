// LiveWarmStart against fake peer connections and a fake startLive/stopLive: offers made ahead, sessions
// started on them, handed to the tiles that claim them, the rest closed.
import { describe, expect, it } from 'vitest';
import type { Transport } from '../../api';
import { FakePeerConnection } from './testing';
import { LiveWarmStart, claimWarmLive } from './warm-start';

const flush = () => new Promise((r) => setTimeout(r, 0));
const noop = { onTrack() {}, onState() {} };

function setup(opts: { noWebRtc?: boolean } = {}) {
  const pcs: FakePeerConnection[] = [];
  const started: { id: string; stream: string }[] = [];
  const stopped: string[] = [];
  const timers: { fn: () => void; ms: number; cleared?: boolean }[] = [];
  const api = {
    startLive: ({ id, stream }: { id: string; stream: string }) => {
      started.push({ id, stream });
      return Promise.resolve({ sdp: 'v=0 answer', sessionId: `${id}-${stream}` });
    },
    stopLive: ({ sessionId }: { sessionId: string }) => {
      stopped.push(sessionId);
      return Promise.resolve({ ok: true });
    },
  } as unknown as Transport;
  const warm = new LiveWarmStart(api, {
    createPeerConnection: () => {
      if (opts.noWebRtc) throw new Error('RTCPeerConnection is not defined');
      const pc = new FakePeerConnection();
      pcs.push(pc);
      return pc;
    },
    expireMs: 5_000,
    setTimer: (fn, ms) => timers.push({ fn, ms }) - 1,
    clearTimer: (h) => void (timers[h as number]!.cleared = true),
  });
  return { api, warm, pcs, started, stopped, timers };
}

describe('LiveWarmStart', () => {
  it('starts sessions on the offers made ahead and closes the offers left over', async () => {
    const t = setup();
    t.warm.prepare(3);
    expect(t.pcs).toHaveLength(3);
    expect(t.pcs.every((pc) => pc.transceivers[0] === 'video:recvonly')).toBe(true);
    await flush(); // offers made
    t.warm.start([
      { cameraId: 'door', stream: 'sub' },
      { cameraId: 'yard', stream: 'sub' },
    ]);
    // Both offers left at once, on the prepared peers; the third peer is closed.
    expect(t.started).toEqual([
      { id: 'door', stream: 'sub' },
      { id: 'yard', stream: 'sub' },
    ]);
    expect(t.pcs).toHaveLength(3);
    expect(t.pcs.map((pc) => pc.closed)).toEqual([false, false, true]);
  });

  it('hands a session to the tile that claims it; one nobody claims is closed after expireMs', async () => {
    const t = setup();
    t.warm.prepare(2);
    await flush();
    t.warm.start([
      { cameraId: 'door', stream: 'sub' },
      { cameraId: 'yard', stream: 'sub' },
    ]);
    await flush();
    t.pcs[0]!.emit('connected');
    const states: string[] = [];
    const client = claimWarmLive(
      t.api,
      { cameraId: 'door', stream: 'sub' },
      { onTrack: () => {}, onState: (s) => states.push(s) },
    );
    expect(client?.current).toBe('live');
    expect(states).toEqual(['live']);
    expect(t.timers[0]!.cleared).toBe(true);
    // Claimed once only; another stream of the same camera was never started.
    expect(claimWarmLive(t.api, { cameraId: 'door', stream: 'sub' }, noop)).toBeUndefined();
    expect(t.warm.claim({ cameraId: 'door', stream: 'main' }, noop)).toBeUndefined();

    t.timers[1]!.fn(); // yard: nobody claimed it
    expect(t.stopped).toEqual(['yard-sub']);
    expect(t.pcs[1]!.closed).toBe(true);
    expect(t.warm.claim({ cameraId: 'yard', stream: 'sub' }, noop)).toBeUndefined();
    expect(t.pcs[0]!.closed).toBe(false);
  });

  it('more streams than offers: the rest start when their tiles mount', async () => {
    const t = setup();
    t.warm.prepare(1);
    await flush();
    t.warm.start([
      { cameraId: 'door', stream: 'sub' },
      { cameraId: 'yard', stream: 'sub' },
    ]);
    expect(t.started).toEqual([{ id: 'door', stream: 'sub' }]);
    expect(t.warm.claim({ cameraId: 'yard', stream: 'sub' }, noop)).toBe(undefined);
  });

  it('makes no offers without WebRTC, and close() ends what nobody claimed', async () => {
    const none = setup({ noWebRtc: true });
    none.warm.prepare(4);
    none.warm.start([{ cameraId: 'door', stream: 'sub' }]);
    expect(none.started).toEqual([]);

    const t = setup();
    t.warm.prepare(2);
    await flush();
    t.warm.start([{ cameraId: 'door', stream: 'sub' }]);
    await flush();
    t.warm.close();
    expect(t.stopped).toEqual(['door-sub']);
    expect(t.pcs.every((pc) => pc.closed)).toBe(true);
    expect(claimWarmLive(t.api, { cameraId: 'door', stream: 'sub' }, noop)).toBe(undefined);
  });
});
