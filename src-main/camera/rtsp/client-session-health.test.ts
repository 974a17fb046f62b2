// RtspCameraSession's decode health and the `auto` transport fallback, with fake clients whose
// decode counters the test drives and a manual clock: UDP losing more than 1 % of its packets
// moves `auto` to TCP (once, for the rest of the session); explicit `udp` never switches.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../base';
import { RtspCameraSession } from './client-session';
import type { RtspCameraSessionOptions, TransportFallback } from './client-session';
import { zeroDecodeCounters } from './stream-health';
import type {
  DecodeCounters,
  RtspClientEvents,
  RtspClientOptions,
  TrackInfo,
} from './client-types';

class CountingClient extends EventEmitter<RtspClientEvents> {
  decodeCounters: DecodeCounters;
  constructor(readonly options: RtspClientOptions) {
    super();
    const transport = options.transport === 'tcp' ? 'tcp' : 'udp';
    this.decodeCounters = zeroDecodeCounters(transport);
  }
  get track(): TrackInfo {
    return {
      codec: 'h264',
      payloadType: 96,
      clockRate: 90000,
      controlUrl: 'rtsp://cam.local/ch1/track1',
      parameterSets: {},
      transport: this.decodeCounters.transport,
    };
  }
  connect(): Promise<TrackInfo> {
    return Promise.resolve(this.track);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
  /** One second of video: 25 frames in 100 packets, `lost` of which never came. */
  second(pts90k: number, lost = 0): void {
    const c = this.decodeCounters;
    c.rtpPackets += 100 - lost;
    c.packetsLost += lost;
    c.framesLostToGaps += lost;
    c.framesEmitted += 25 - lost;
    c.keyframesEmitted++;
    this.emit('accessUnit', { pts90k, isKeyframe: true, nalus: [new Uint8Array(10)] }, this.track);
  }
}

function session(transport: 'auto' | 'udp', extra: Partial<RtspCameraSessionOptions> = {}) {
  const clock = new FakeClock();
  const clients: CountingClient[] = [];
  const fallbacks: TransportFallback[] = [];
  const s = new RtspCameraSession({
    url: 'rtsp://cam.local/ch1',
    transport,
    clock,
    random: () => 0.5,
    createClient: (o) => {
      const c = new CountingClient(o);
      clients.push(c);
      return c;
    },
    ...extra,
  });
  s.on('transportFallback', (f) => fallbacks.push(f));
  /** Starts the session and lets its first connect settle. */
  const start = async () => {
    s.start();
    await clock.advanceAsync(0);
  };
  /** Runs `seconds` of the newest client's video, `lost` packets a second. */
  const play = async (seconds: number, lost = 0) => {
    for (let i = 0; i < seconds; i++) {
      clients.at(-1)!.second(clock.nowMs() * 90, lost);
      await clock.advanceAsync(1000);
    }
  };
  return { clock, clients, fallbacks, session: s, play, start };
}

describe('RtspCameraSession decode health', () => {
  it('auto: UDP losing 2 % of its packets → reconnect over TCP at once, and stay there', async () => {
    const { clients, fallbacks, session: s, play, start } = session('auto');
    await start();
    await play(1, 2); // one health sample: 2 of 100 packets lost
    expect(fallbacks).toHaveLength(1);
    expect(fallbacks[0]!.reason).toBe('2 % of RTP packets lost over UDP in 10 s');
    expect(clients).toHaveLength(2);
    expect(clients[1]!.options.transport).toBe('tcp');
    expect(s.transportFallback).toEqual(fallbacks[0]);
    // The UDP loss is still in the window: degraded, saying TCP took over.
    await play(1);
    expect(s.getHealth()).toMatchObject({ verdict: 'degraded' });
    expect(s.getHealth()?.reason).toMatch(/over UDP, switched to TCP$/);
    await play(11);
    expect(s.getHealth()?.verdict).toBe('ok');
    expect(s.getDecodeTotals()).toMatchObject({ packetsLost: 2, udpPacketsLost: 2 });
    expect(clients).toHaveLength(2);
    // Only stop (a config change or restart) forgets it.
    await s.stop();
    expect(s.transportFallback).toEqual(fallbacks[0]);
  });

  it('auto: a single lost packet is no reason to leave UDP', async () => {
    const { clients, fallbacks, session: s, play, start } = session('auto');
    await start();
    await play(2);
    await play(1, 1);
    await play(5);
    expect(fallbacks).toHaveLength(0);
    expect(clients).toHaveLength(1);
    await s.stop();
  });

  it('explicit udp never switches; health says try TCP', async () => {
    const { clients, fallbacks, session: s, play, start } = session('udp');
    await start();
    await play(6, 3);
    expect(fallbacks).toHaveLength(0);
    expect(clients).toHaveLength(1);
    expect(s.getHealth()?.reason).toMatch(/of frames lost over UDP, try TCP$/);
    await s.stop();
  });

  it('broken when packets keep coming but no keyframe decodes, across reconnects', async () => {
    const {
      clock,
      clients,
      session: s,
      start,
    } = session('udp', {
      noDataTimeoutMs: 3000,
      initialBackoffMs: 100,
      health: { brokenNoKeyframeMs: 8000 },
    });
    await start();
    for (let i = 0; i < 9; i++) {
      const c = clients.at(-1)!.decodeCounters;
      c.rtpPackets += 100;
      c.framesBeforeKeyframe += 25;
      await clock.advanceAsync(1000);
    }
    expect(clients.length).toBeGreaterThan(1); // the watchdog reconnected meanwhile
    expect(s.getHealth()).toMatchObject({ verdict: 'broken' });
    expect(s.getHealth()?.reason).toMatch(/^no decodable keyframe for [89] s/);
    await s.stop();
  });
});
