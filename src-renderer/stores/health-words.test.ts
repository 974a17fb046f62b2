import { describe, expect, it } from 'vitest';
import type { CameraStatus, StreamHealthStatus } from '../../src-preload/contract';
import { describeStatus, healthWords } from './status-words';

const health = (verdict: StreamHealthStatus['verdict'], reason?: string): StreamHealthStatus => ({
  verdict,
  ...(reason ? { reason } : {}),
  windowMs: 10_000,
  framesLostPercent: 0,
  packetsLostPercent: 0,
  sinceKeyframeMs: 500,
});

const status = (main?: StreamHealthStatus, sub?: StreamHealthStatus): CameraStatus => ({
  state: 'streaming',
  streams: {
    main: { state: 'streaming', ...(main ? { health: main } : {}) },
    sub: { state: 'streaming', ...(sub ? { health: sub } : {}) },
  },
});

describe('healthWords', () => {
  it('is null when every stream decodes clean or no health is known yet', () => {
    expect(healthWords(undefined)).toBeNull();
    expect(healthWords(status())).toBeNull();
    expect(healthWords(status(health('ok'), health('ok')))).toBeNull();
  });

  it('shows degraded as a warning with the engine’s reason and the stream', () => {
    const w = healthWords(
      status(health('ok'), health('degraded', '3 % of frames lost over UDP, try TCP')),
    );
    expect(w).toEqual({
      tone: 'warn',
      label: 'degraded',
      hint: 'Sub stream: 3 % of frames lost over UDP, try TCP',
    });
    // The camera itself stays live: degraded is a warning next to the state.
    expect(describeStatus(status(undefined, health('degraded', 'x'))).tone).toBe('ok');
  });

  it('shows broken as an error, worse than degraded on the other stream', () => {
    const w = healthWords(
      status(health('degraded', 'loss'), health('broken', 'no decodable keyframe for 30 s')),
    );
    expect(w).toEqual({
      tone: 'bad',
      label: 'no picture',
      hint: 'Sub stream: no decodable keyframe for 30 s',
    });
  });

  it('a broken stream the engine reports as a camera error reads as a bad stream with its reason', () => {
    const s: CameraStatus = {
      state: 'reconnecting',
      error: { kind: 'malformed', message: 'Nothing decodable: no decodable keyframe for 31 s' },
      streams: {
        main: { state: 'reconnecting', health: health('broken', 'no decodable keyframe for 31 s') },
      },
    };
    expect(describeStatus(s)).toMatchObject({
      tone: 'warn',
      label: 'reconnecting: bad stream',
      hint: 'Nothing decodable: no decodable keyframe for 31 s',
    });
  });
});
