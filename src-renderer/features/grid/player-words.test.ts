// The tile's words for what its player is doing.
import { describe, expect, it } from 'vitest';
import { playerWords } from './camera-tile';

describe('playerWords', () => {
  it('names live, playback and trouble in words with a tone', () => {
    expect(playerWords('live', 'live')).toMatchObject({ tone: 'ok', label: 'live' });
    expect(playerWords('hls', 'live')).toMatchObject({ tone: 'ok', label: 'live (HLS)' });
    expect(playerWords('connecting', 'live')).toMatchObject({ tone: 'busy', label: 'connecting' });
    expect(playerWords('reconnecting', 'live')).toMatchObject({ tone: 'warn' });
    expect(playerWords('loading', 'playback')).toMatchObject({ tone: 'busy', label: 'loading' });
    expect(playerWords('playing', 'playback')).toMatchObject({ tone: 'ok', label: 'playback' });
    expect(playerWords('paused', 'playback')).toMatchObject({ label: 'paused' });
    expect(playerWords('gap', 'playback')).toMatchObject({ label: 'no recording' });
    expect(playerWords('error', 'playback')).toMatchObject({ tone: 'bad' });
  });
});
