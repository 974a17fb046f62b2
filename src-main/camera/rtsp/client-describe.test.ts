// DESCRIBE/SETUP answer handling: base URL from Content-Base, Content-Location or the request URL,
// control URLs resolved against it, the first video track picked, Session headers checked.
import { describe, expect, it } from 'vitest';
import { resolveControlUrl } from '../../media/sdp';
import { RtspConnection } from './client-connection';
import { pickVideo, readDescribe, readSession } from './client-describe';
import { systemClock } from '../../base';
import type { RtspHeader, RtspResponse } from './message';
import { H264_SDP } from './testing';

const REQUEST = 'rtsp://cam.local/live';
const conn = new RtspConnection({
  url: REQUEST,
  host: 'cam.local',
  port: 554,
  timeoutMs: 1000,
  clock: systemClock,
  openSocket: () => {
    throw new Error('not used');
  },
  userAgent: 'test',
});

function answer(headers: RtspHeader[], body = H264_SDP): RtspResponse {
  return {
    type: 'response',
    version: 'RTSP/1.0',
    statusCode: 200,
    reason: 'OK',
    headers: [['CSeq', '2'], ...headers],
    body: new TextEncoder().encode(body),
  };
}

describe('readDescribe / pickVideo / readSession', () => {
  it.each([
    [[['Content-Base', 'rtsp://10.0.0.5/live/']], 'rtsp://10.0.0.5/live/track1'],
    [[['Content-Location', 'rtsp://10.0.0.6/other']], 'rtsp://10.0.0.6/other/track1'],
    [[], 'rtsp://cam.local/live/track1'],
  ] as [RtspHeader[], string][])('base from %j → SETUP %s', (headers, setupUrl) => {
    const { sdp, base } = readDescribe(conn, answer(headers), REQUEST);
    const track = pickVideo(conn, sdp, answer(headers));
    expect(track.codec).toBe('h264');
    expect(resolveControlUrl(base, track.control)).toBe(setupUrl);
    expect(resolveControlUrl(base, sdp.control)).toBe(base);
  });

  it('picks the first video section when audio comes first', () => {
    const sdp = H264_SDP.replace('m=video', 'm=audio 0 RTP/AVP 0\r\na=control:audio\r\nm=video');
    const { sdp: parsed } = readDescribe(conn, answer([], sdp), REQUEST);
    expect(pickVideo(conn, parsed, answer([])).control).toBe('track1');
  });

  it('skips a video section it cannot record for the next H.264 one, and merges the SDP warnings', () => {
    const sdp = H264_SDP.replace(
      'm=video',
      'garbage\r\nm=video 0 RTP/AVP 26\r\na=control:mjpeg\r\nm=video',
    ).replace(/(sprop-parameter-sets=[^;\r\n]*)/, '$1,!#junk');
    const { sdp: parsed } = readDescribe(conn, answer([], sdp), REQUEST);
    const track = pickVideo(conn, parsed, answer([]));
    expect(track).toMatchObject({ codec: 'h264', control: 'track1' });
    expect(track.parameterSets.sps).toBeDefined();
    expect(track.warnings).toEqual([
      expect.stringMatching(/not an SDP line, ignored: "garbage"/),
      expect.stringMatching(/sprop-parameter-sets item 3 dropped \(not base64: "!#junk"\)/),
    ]);
    const mjpegOnly = 'v=0\r\nm=video 0 RTP/AVP 26\r\n';
    expect(() =>
      pickVideo(conn, readDescribe(conn, answer([], mjpegOnly), REQUEST).sdp, answer([])),
    ).toThrow(expect.objectContaining({ kind: 'unsupported_codec' }));
  });

  it('reads the session id and timeout; a missing Session header is a protocol error with context', () => {
    expect(readSession(conn, answer([['Session', 'ABC123;timeout=30']]))).toEqual({
      id: 'ABC123',
      timeoutSec: 30,
    });
    expect(() => readSession(conn, answer([]))).toThrow(
      expect.objectContaining({
        kind: 'protocol',
        context: expect.objectContaining({ method: 'SETUP', cseq: 2, url: REQUEST }),
      }),
    );
  });
});
