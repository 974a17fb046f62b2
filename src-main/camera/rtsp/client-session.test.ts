// RtspCameraSession: state machine, backoff with jitter, slow auth retries, the no-data watchdog and
// run signals with a fake client and a manual clock; then against the project's RTSP server:
// a server restart mid-stream and a wrong password.
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeClock, NvrError } from '../../base';
import type { AccessUnit } from '../../media';
import { RtspCameraSession } from './client-session';
import type { CameraSessionState, RtspCameraSessionOptions, RunInfo } from './client-session';
import type { RtspClientEvents, TrackInfo } from './client-types';
import { RtspServer } from './server';

const TRACK: TrackInfo = {
  codec: 'h264',
  payloadType: 96,
  clockRate: 90000,
  controlUrl: 'rtsp://cam.local/ch1/track1',
  parameterSets: {},
  transport: 'tcp',
};

class FakeClient extends EventEmitter<RtspClientEvents> {
  closed = false;
  constructor(private readonly outcome: () => Promise<TrackInfo>) {
    super();
  }
  connect(): Promise<TrackInfo> {
    return this.outcome();
  }
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
  au(pts90k: number, isKeyframe = false, sizeBytes = 100): void {
    this.emit('accessUnit', { pts90k, isKeyframe, nalus: [new Uint8Array(sizeBytes)] }, TRACK);
  }
}

function fakeSession(
  outcomes: (() => Promise<TrackInfo>)[],
  extra: Partial<RtspCameraSessionOptions> = {},
) {
  const clock = new FakeClock();
  const clients: FakeClient[] = [];
  const states: [CameraSessionState, string | undefined][] = [];
  const runs: RunInfo[] = [];
  const session = new RtspCameraSession({
    url: 'rtsp://admin:hunter2@cam.local/ch1',
    clock,
    random: () => 0.5,
    createClient: () => {
      const next = outcomes[Math.min(clients.length, outcomes.length - 1)]!;
      const c = new FakeClient(next);
      clients.push(c);
      return c;
    },
    ...extra,
  });
  session.on('state', (s, e) => states.push([s, e?.kind]));
  session.on('run', (r) => runs.push(r));
  return { clock, clients, states, runs, session };
}

const ok = (): Promise<TrackInfo> => Promise.resolve(TRACK);
const failWith = (kind: 'unreachable' | 'auth' | 'timeout') => (): Promise<TrackInfo> =>
  Promise.reject(new NvrError(kind, `${kind}!`, {}));

describe('RtspCameraSession (fake client, manual clock)', () => {
  it('backs off exponentially up to the cap, with jitter around each delay', async () => {
    const { clock, clients, states, session } = fakeSession([failWith('unreachable')], {
      initialBackoffMs: 100,
      maxBackoffMs: 1000,
    });
    session.start();
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      await clock.advanceAsync(0);
      delays.push(clock.pendingDelaysMs()[0]!);
      await clock.advanceAsync(delays.at(-1)!);
    }
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(clients.length).toBe(7);
    expect(states[0]).toEqual(['connecting', undefined]);
    expect(states.slice(1).every(([s, k]) => s === 'reconnecting' && k === 'unreachable')).toBe(
      true,
    );
    expect(session.error?.message).toMatch(/^Cannot reach rtsp:\/\/cam\.local\/ch1/);
    await session.stop();
    expect(session.state).toBe('idle');
    expect(clock.pendingDelaysMs()).toEqual([]);
  });

  it.each([
    [0, 80],
    [1, 120],
  ])('jitter: random %d gives %d ms for a 100 ms step', async (r, expected) => {
    const { clock, session } = fakeSession([failWith('timeout')], {
      initialBackoffMs: 100,
      random: () => r,
    });
    session.start();
    await clock.advanceAsync(0);
    expect(clock.pendingDelaysMs()[0]).toBeCloseTo(expected, 6);
    await session.stop();
  });

  it('wrong credentials: failed with a user-facing message, retried slowly, streaming once fixed', async () => {
    const { clock, clients, session } = fakeSession([failWith('auth'), failWith('auth'), ok]);
    session.start();
    await clock.advanceAsync(0);
    expect(session.state).toBe('failed');
    expect(session.error).toEqual({
      kind: 'auth',
      message: 'Wrong username or password for rtsp://cam.local/ch1',
    });
    const delay = clock.pendingDelaysMs()[0]!;
    expect(delay).toBeGreaterThanOrEqual(30_000);
    expect(delay).toBeLessThanOrEqual(60_000);
    await clock.advanceAsync(delay);
    expect(clients.length).toBe(2);
    expect(session.state).toBe('failed'); // a slow retry that fails again does not flap
    await clock.advanceAsync(clock.pendingDelaysMs()[0]!);
    expect(clients.length).toBe(3);
    clients[2]!.au(0, true);
    expect(session.state).toBe('streaming');
    expect(session.error).toBeUndefined();
    await session.stop();
  });

  it('no data for noDataTimeoutMs → reconnect with kind timeout; the next run says reconnect', async () => {
    const { clock, clients, states, runs, session } = fakeSession([ok], {
      noDataTimeoutMs: 3000,
      initialBackoffMs: 100,
    });
    session.start();
    await clock.advanceAsync(0);
    expect(session.state).toBe('connecting');
    clients[0]!.au(0, true);
    expect(session.state).toBe('streaming');
    await clock.advanceAsync(2999);
    expect(session.state).toBe('streaming');
    await clock.advanceAsync(1);
    expect(session.state).toBe('reconnecting');
    expect(session.error?.kind).toBe('timeout');
    expect(clients[0]!.closed).toBe(true);
    await clock.advanceAsync(200);
    expect(clients.length).toBe(2);
    clients[1]!.au(500_000, true);
    expect(states.map(([s]) => s)).toEqual([
      'connecting',
      'streaming',
      'reconnecting',
      'streaming',
    ]);
    expect(runs.map((r) => [r.runIndex, r.reason])).toEqual([
      [0, 'start'],
      [1, 'reconnect'],
    ]);
    expect(session.getStats().reconnects).toBe(1);
    await session.stop();
  });

  it('a closed client (camera hung up) → reconnecting, and events of the old client are ignored', async () => {
    const { clock, clients, session } = fakeSession([ok], { initialBackoffMs: 100 });
    const aus: AccessUnit[] = [];
    session.on('accessUnit', (au) => aus.push(au));
    session.start();
    await clock.advanceAsync(0);
    clients[0]!.au(0, true);
    clients[0]!.emit('close', new NvrError('protocol', 'the camera closed the connection'));
    expect(session.state).toBe('reconnecting');
    clients[0]!.au(3000);
    expect(aus.length).toBe(1);
    await session.stop();
  });

  it('transport auto: once a connection settled on TCP, reconnects go straight to TCP', async () => {
    const transports: (string | undefined)[] = [];
    const clock = new FakeClock();
    const session = new RtspCameraSession({
      url: 'rtsp://cam.local/ch1',
      transport: 'auto',
      clock,
      initialBackoffMs: 10,
      createClient: (o) => {
        transports.push(o.transport);
        return new FakeClient(() => Promise.resolve({ ...TRACK, transport: 'tcp' }));
      },
    });
    session.start();
    await clock.advanceAsync(0);
    await clock.advanceAsync(10_000); // watchdog: no data → reconnect
    await clock.advanceAsync(100);
    expect(transports).toEqual(['auto', 'tcp']);
    await session.stop();
  });

  it('timestamp jumps and SSRC changes start new runs; stats follow the frames', async () => {
    const { clock, clients, runs, session } = fakeSession([ok]);
    session.start();
    await clock.advanceAsync(0);
    const c = clients[0]!;
    let pts = 0;
    for (let i = 0; i < 31; i++) {
      c.au(pts, i % 15 === 0, 1000);
      pts += 6000;
      await clock.advanceAsync(1000 / 15);
    }
    c.au(pts + 90000 * 3600, true); // camera clock jumped an hour
    c.au(pts + 90000 * 3600 + 6000);
    c.emit('discontinuity', 'ssrc_change');
    c.au(5, true);
    expect(runs.map((r) => r.reason)).toEqual(['start', 'timestamp_jump', 'ssrc_change']);
    const stats = session.getStats();
    expect(stats.frames).toBe(34);
    expect(stats.gopFrames).toBe(15);
    expect(stats.lastFrameMs).toBe(clock.nowMs());
    expect(stats.fps).toBeGreaterThan(10);
    expect(stats.bitrateKbps).toBeGreaterThan(0);
    await session.stop();
  });
});

const DEMO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../resources/demo');

describe('RtspCameraSession against the project RTSP server', () => {
  let server: RtspServer | undefined;
  let session: RtspCameraSession | undefined;
  afterEach(async () => {
    await session?.stop();
    await server?.close();
  });

  it('the server restarting mid-stream: reconnects within 2 s of its return and signals a new run', async () => {
    server = new RtspServer();
    await server.addClipStream('/door/sub', { file: path.join(DEMO, 'door-sub.h264') });
    const { port } = await server.listen({ host: '127.0.0.1', port: 0 });
    session = new RtspCameraSession({
      url: `rtsp://127.0.0.1:${port}/door/sub`,
      transport: 'tcp',
      initialBackoffMs: 100,
      maxBackoffMs: 500,
    });
    const runs: RunInfo[] = [];
    const states: CameraSessionState[] = [];
    const nextRun = (): Promise<RunInfo> => new Promise((resolve) => session!.once('run', resolve));
    session.on('run', (r) => runs.push(r));
    session.on('state', (s) => states.push(s));
    let first = nextRun();
    session.start();
    expect((await first).reason).toBe('start');

    first = nextRun();
    await server.close();
    await vi.waitFor(() => expect(session!.state).toBe('reconnecting'));
    await server.listen({ host: '127.0.0.1', port });
    const backAt = Date.now();
    const run = await first;
    expect(Date.now() - backAt).toBeLessThan(2000);
    expect(run).toMatchObject({ runIndex: 1, reason: 'reconnect' });
    expect(run.track).toMatchObject({ codec: 'h264', width: 640, height: 360 });
    expect(session.state).toBe('streaming');
    expect(session.getStats().reconnects).toBeGreaterThanOrEqual(1);
    expect(states[0]).toBe('connecting');
    expect(states).toContain('reconnecting');
  });

  it('a wrong password: state failed, kind auth, message names the URL without the password', async () => {
    server = new RtspServer({
      auth: { users: [{ username: 'admin', password: 'right' }], scheme: 'digest' },
    });
    await server.addClipStream('/door/sub', { file: path.join(DEMO, 'door-sub.h264') });
    const { port } = await server.listen({ host: '127.0.0.1', port: 0 });
    session = new RtspCameraSession({
      url: `rtsp://admin:wrong@127.0.0.1:${port}/door/sub`,
      transport: 'tcp',
    });
    const failed = new Promise<void>((resolve) =>
      session!.on('state', (s) => s === 'failed' && resolve()),
    );
    session.start();
    await failed;
    expect(session.error).toEqual({
      kind: 'auth',
      message: `Wrong username or password for rtsp://127.0.0.1:${port}/door/sub`,
    });
  });
});
