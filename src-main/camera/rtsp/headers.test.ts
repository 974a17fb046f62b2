import { describe, expect, it } from 'vitest';
import { NvrError } from '../../base';
import {
  formatRtpInfo,
  formatSessionHeader,
  formatTransport,
  parseRtpInfo,
  parseSessionHeader,
  parseTransport,
} from './headers';

describe('Transport header', () => {
  it('parses TCP interleaved and UDP alternatives in order', () => {
    const specs = parseTransport(
      'RTP/AVP/TCP;unicast;interleaved=0-1, RTP/AVP;unicast;client_port=5000-5001;mode="PLAY"',
    );
    expect(specs).toEqual([
      { protocol: 'RTP/AVP/TCP', lowerTransport: 'TCP', cast: 'unicast', interleaved: [0, 1] },
      {
        protocol: 'RTP/AVP',
        lowerTransport: 'UDP',
        cast: 'unicast',
        clientPort: [5000, 5001],
        mode: 'PLAY',
      },
    ]);
  });

  it('parses record mode, a single port and unknown parameters, and formats them back', () => {
    const [spec] = parseTransport(
      'RTP/AVP/UDP;unicast;client_port=6000;mode=record;ssrc=1234ABCD;x-foo=bar',
    );
    expect(spec).toMatchObject({
      lowerTransport: 'UDP',
      clientPort: [6000, 6001],
      mode: 'RECORD',
      ssrc: '1234ABCD',
      other: [['x-foo', 'bar']],
    });
    expect(formatTransport(spec!)).toBe(
      'RTP/AVP/UDP;unicast;client_port=6000-6001;ssrc=1234ABCD;mode=RECORD;x-foo=bar',
    );
    expect(parseTransport(formatTransport(spec!))).toEqual([spec]);
  });

  it('throws NvrError(malformed) on nonsense', () => {
    expect(() => parseTransport('RAW/RAW/UDP;unicast')).toThrow(NvrError);
    expect(() => parseTransport('RTP/AVP;client_port=abc')).toThrow(NvrError);
    expect(() => parseTransport(' , ')).toThrow(NvrError);
  });
});

describe('Session and RTP-Info headers', () => {
  it('round-trips Session with a timeout', () => {
    expect(parseSessionHeader('12345678;timeout=60')).toEqual({ id: '12345678', timeoutSec: 60 });
    expect(parseSessionHeader('abc')).toEqual({ id: 'abc' });
    expect(formatSessionHeader({ id: 'abc', timeoutSec: 5 })).toBe('abc;timeout=5');
  });

  it('round-trips RTP-Info entries', () => {
    const entries = [
      { url: 'rtsp://h/door/main/trackID=0', seq: 17, rtptime: 4000000000 },
      { url: 'rtsp://h/door/main/trackID=1' },
    ];
    expect(parseRtpInfo(formatRtpInfo(entries))).toEqual(entries);
  });
});
