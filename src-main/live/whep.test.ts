// Integration: LiveService against a real camera session on the project's RTSP server, with a werift
// peer connection as the WHEP client on loopback.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NvrError, createLogger } from '../base';
import { LiveService } from './live-service';
import type { LiveServiceOptions } from './types';
import { startCameraHub } from './testing';
import type { CameraHub } from './testing';
import { connectViewer, createWhepClient, h264PayloadNalTypes } from './testing';
import type { ReceivedPacket, WhepTestClient } from './testing';

const logger = createLogger({ level: 'silent' });

/** Unwraps 32-bit RTP timestamps relative to the first one. */
function unwrapped(packets: ReceivedPacket[]): number[] {
  const out: number[] = [];
  let acc = 0;
  let prev: number | undefined;
  for (const p of packets) {
    if (prev !== undefined) {
      let d = p.timestamp - prev;
      if (d > 0x7fffffff) d -= 0x1_0000_0000;
      if (d < -0x7fffffff) d += 0x1_0000_0000;
      acc += d;
    }
    prev = p.timestamp;
    out.push(acc);
  }
  return out;
}

/** Polls a server-side condition (no event to await for it). */
async function waitUntil(pred: () => boolean, timeoutMs: number): Promise<void> {
  const t0 = performance.now();
  while (!pred()) {
    if (performance.now() - t0 > timeoutMs) throw new Error(`condition not met in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function expectNvrError(p: Promise<unknown>, kind: string): Promise<NvrError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(NvrError);
  expect((err as NvrError).kind).toBe(kind);
  return err as NvrError;
}

describe('LiveService WHEP (H.264 demo camera)', () => {
  let cam: CameraHub;
  let live: LiveService;
  const clients: WhepTestClient[] = [];

  const makeService = (overrides: Partial<LiveServiceOptions> = {}): LiveService =>
    new LiveService({
      openHub: cam.openHub,
      iceBindAddress: '127.0.0.1',
      maxViewersPerStream: 4,
      maxViewersTotal: 8,
      sessionTimeoutMs: 10_000,
      logger,
      ...overrides,
    });

  const connect = (service = live) => connectViewer(service, clients);

  beforeAll(async () => {
    cam = await startCameraHub('door-sub.h264');
    await cam.ready;
    live = makeService();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await live.close();
    await cam.close();
  });

  it('answers with candidates, starts at once from the cached group, keeps packets under 1200 bytes', async () => {
    const { client, sessionId, answeredAt } = await connect();
    expect(client.pc.remoteDescription?.sdp).toMatch(/a=candidate:\S+ 1 udp \d+ 127\.0\.0\.1 /);
    // The answer narrows H.264 to one packetization-mode=1 payload type.
    const answer = client.pc.remoteDescription!.sdp;
    expect(answer).not.toMatch(/packetization-mode=0/);
    expect(answer).toMatch(/packetization-mode=1/);

    const held = cam.hub.gop.length;
    await client.waitForPackets(1, 3000);
    const firstMs = client.packets[0]!.atMs - answeredAt;
    expect(firstMs).toBeLessThan(1500);
    await client.waitFor((p) => p.filter((x) => x.marker).length >= Math.max(2, held), 3000);

    // SPS and PPS precede the first IDR slice.
    const types = client.packets.flatMap((p) => h264PayloadNalTypes(p.payload));
    const firstIdr = types.indexOf(5);
    expect(firstIdr).toBeGreaterThan(0);
    expect(types.indexOf(7)).toBeGreaterThanOrEqual(0);
    expect(types.indexOf(7)).toBeLessThan(firstIdr);
    expect(types.indexOf(8)).toBeLessThan(firstIdr);
    expect(types.slice(0, firstIdr).some((t) => t === 1)).toBe(false);

    // The cached group arrives compressed: its frames are 1 ms apart.
    const stamps = [...new Set(unwrapped(client.packets))];
    if (held >= 3) expect(stamps[1]! - stamps[0]!).toBe(90);
    for (const p of client.packets) expect(p.sizeBytes).toBeLessThanOrEqual(1200);

    const stats = live.viewerStats('cam');
    expect(stats).toHaveLength(1);
    expect(stats[0]).toMatchObject({
      sessionId,
      kind: 'webrtc',
      codec: 'h264',
      state: 'connected',
    });
    expect(stats[0]!.packetsSent).toBeGreaterThan(0);
    expect(stats[0]!.bytesSent).toBeGreaterThan(0);
    await live.stopWhep(sessionId);
  });

  it('answers a picture-loss indication with a keyframe and counts it', async () => {
    const { client, sessionId } = await connect();
    await client.waitForPackets(5, 3000);
    await client.waitFor(
      () => (live.viewerStats('cam')[0]?.framesSent ?? 0) > cam.hub.gop.length + 2,
      4000,
    );
    client.sendPli();
    await waitUntil(() => (live.viewerStats('cam')[0]?.plis ?? 0) >= 1, 3000);
    const before = client.packets.length;
    await client.waitFor(
      (p) => p.slice(before).some((x) => h264PayloadNalTypes(x.payload).includes(5)),
      3000,
    );
    await live.stopWhep(sessionId);
  });

  it('retransmits packets the client reports lost (NACK), byte for byte, and counts the NACK', async () => {
    const { client, sessionId } = await connect();
    await client.waitForPackets(30, 3000);
    // Two packets sent well after the start (natively sealed once the session runs).
    const lost = [client.packets[20]!, client.packets[25]!];
    client.sendNack(lost.map((p) => p.sequenceNumber));
    const copies = (seq: number) => client.packets.filter((p) => p.sequenceNumber === seq);
    await client.waitFor(() => lost.every((p) => copies(p.sequenceNumber).length >= 2), 3000);
    for (const p of lost) {
      const again = copies(p.sequenceNumber)[1]!;
      expect(again.payload).toEqual(p.payload);
      expect(again.timestamp).toBe(p.timestamp);
      expect(again.marker).toBe(p.marker);
    }
    await waitUntil(() => (live.viewerStats('cam')[0]?.nacks ?? 0) >= 1, 3000);
    await live.stopWhep(sessionId);
  });

  it('keeps timestamps and sequence numbers monotonic across a camera reconnect', async () => {
    const { client, sessionId } = await connect();
    await client.waitForPackets(10, 3000);
    const runsBefore = cam.runs;
    cam.server.restartMount(cam.mountPath);
    await client.waitFor(() => cam.runs > runsBefore, 5000);
    const afterBreak = client.packets.length;
    await client.waitFor((p) => p.length > afterBreak + 20, 5000);
    const ts = unwrapped(client.packets);
    for (let i = 1; i < ts.length; i++) expect(ts[i]!).toBeGreaterThanOrEqual(ts[i - 1]!);
    const seqs = client.packets.map((p) => p.sequenceNumber);
    for (let i = 1; i < seqs.length; i++) expect((seqs[i]! - seqs[i - 1]! + 65536) % 65536).toBe(1);
    // The first frame after the break is a keyframe with its parameter sets.
    const types = client.packets.slice(afterBreak).flatMap((p) => h264PayloadNalTypes(p.payload));
    expect(types.indexOf(7)).toBeLessThan(types.indexOf(5));
    await live.stopWhep(sessionId);
  });

  it('closes the session on DELETE and frees the hub', async () => {
    const consumers = cam.hub.consumerCount;
    const { client, sessionId } = await connect();
    await client.waitForPackets(1, 3000);
    expect(cam.hub.consumerCount).toBe(consumers + 1);
    await live.stopWhep(sessionId);
    expect(live.viewerStats('cam')).toHaveLength(0);
    expect(cam.hub.consumerCount).toBe(consumers);
    await expectNvrError(live.stopWhep(sessionId), 'not_found');
  });

  it('answers 503 (unavailable) at the per-stream and total caps', async () => {
    const capped = makeService({ maxViewersPerStream: 2, maxViewersTotal: 3 });
    try {
      await connect(capped);
      await connect(capped);
      const client = await createWhepClient();
      clients.push(client);
      const err = await expectNvrError(
        capped.startWhep({ cameraId: 'cam', stream: 'main', offerSdp: client.offerSdp }),
        'unavailable',
      );
      expect(err.message).toMatch(/too many live viewers/);
      expect(capped.viewerStats()).toHaveLength(2);
    } finally {
      await capped.close();
    }
    const total = makeService({ maxViewersPerStream: 5, maxViewersTotal: 1 });
    try {
      await connect(total);
      const client = await createWhepClient();
      clients.push(client);
      await expectNvrError(
        total.startWhep({ cameraId: 'cam', stream: 'main', offerSdp: client.offerSdp }),
        'unavailable',
      );
    } finally {
      await total.close();
    }
  });

  it("keeps one user from taking all of a stream's slots (half of them by default)", async () => {
    const capped = makeService({ maxViewersPerStream: 4, maxViewersTotal: 8 });
    try {
      await connectViewer(capped, clients, 'user:7');
      await connectViewer(capped, clients, 'user:7');
      const client = await createWhepClient();
      clients.push(client);
      const offer = { cameraId: 'cam', stream: 'main' as const, offerSdp: client.offerSdp };
      const err = await expectNvrError(
        capped.startWhep({ ...offer, owner: 'user:7' }),
        'unavailable',
      );
      expect(err.message).toMatch(/for one user: at most 2 of its 4/);
      expect(capped.viewerStats()).toHaveLength(2);
      // Another user still gets in.
      await connectViewer(capped, clients, 'user:8');
      expect(capped.viewerStats()).toHaveLength(3);
    } finally {
      await capped.close();
    }
  });

  it('rejects malformed offers (bad_request) and unknown cameras (not_found)', async () => {
    await expectNvrError(
      live.startWhep({ cameraId: 'cam', stream: 'main', offerSdp: 'hello' }),
      'bad_request',
    );
    await expectNvrError(
      live.startWhep({
        cameraId: 'cam',
        stream: 'main',
        offerSdp: 'v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nbroken line\r\n',
      }),
      'bad_request',
    );
    await expectNvrError(
      live.startWhep({
        cameraId: 'cam',
        stream: 'main',
        offerSdp:
          'v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=rtpmap:111 opus/48000/2\r\n',
      }),
      'bad_request',
    );
    const client = await createWhepClient();
    clients.push(client);
    await expectNvrError(
      live.startWhep({ cameraId: 'nope', stream: 'main', offerSdp: client.offerSdp }),
      'not_found',
    );
    const mode0 = await createWhepClient({ onlyMode0: true });
    clients.push(mode0);
    await expectNvrError(
      live.startWhep({ cameraId: 'cam', stream: 'main', offerSdp: mode0.offerSdp }),
      'unsupported_codec',
    );
    expect(live.viewerStats()).toHaveLength(0);
  });

  it('closes a session that never connects, and one whose client goes away', async () => {
    const quick = makeService({ sessionTimeoutMs: 1500 });
    try {
      const client = await createWhepClient();
      clients.push(client);
      await quick.startWhep({ cameraId: 'cam', stream: 'main', offerSdp: client.offerSdp });
      expect(quick.viewerStats()).toHaveLength(1);
      await waitUntil(() => quick.viewerStats().length === 0, 5000);

      const { client: c2 } = await connect(quick);
      await c2.waitForPackets(3, 3000);
      expect(quick.viewerStats()[0]?.state).toBe('connected');
      await c2.close();
      await waitUntil(() => quick.viewerStats().length === 0, 6000);
    } finally {
      await quick.close();
    }
  });
});

describe('LiveService WHEP (H.265 demo camera)', () => {
  let cam: CameraHub;
  let live: LiveService;

  beforeAll(async () => {
    cam = await startCameraHub('street-main.h265');
    await cam.ready;
    live = new LiveService({
      openHub: cam.openHub,
      iceBindAddress: '127.0.0.1',
      maxViewersPerStream: 4,
      maxViewersTotal: 4,
      sessionTimeoutMs: 10_000,
      logger,
    });
  });
  afterAll(async () => {
    await live.close();
    await cam.close();
  });

  it('passes H.265 through when offered and refuses an H.264-only client', async () => {
    const h264Only = await createWhepClient();
    try {
      await expectNvrError(
        live.startWhep({ cameraId: 'cam', stream: 'main', offerSdp: h264Only.offerSdp }),
        'unsupported_codec',
      );
    } finally {
      await h264Only.close();
    }
    const client = await createWhepClient({ h265: true });
    try {
      const answer = await live.startWhep({
        cameraId: 'cam',
        stream: 'main',
        offerSdp: client.offerSdp,
      });
      expect(answer.answerSdp).toMatch(/H265\/90000/);
      await client.applyAnswer(answer.answerSdp);
      await client.waitForPackets(5, 3000);
      // The first packets carry VPS, SPS, PPS (H.265 NAL types 32..34) before the IRAP slice.
      const types = client.packets.slice(0, 6).map((p) => (p.payload[0]! >> 1) & 0x3f);
      expect(types.slice(0, 3)).toEqual([32, 33, 34]);
      for (const p of client.packets) expect(p.sizeBytes).toBeLessThanOrEqual(1200);
      await live.stopWhep(answer.sessionId);
    } finally {
      await client.close();
    }
  });
});
