import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isNvrError } from '../../base';
import { parseH264Sps } from '../h264';
import { parseH265Sps } from '../h265';
import { buildSdp, parseSdp, resolveControlUrl, videoTrackFromSdp } from '.';
import type { SdpTrackSpec } from '.';

/** Returns the SDP body of a recorded RTSP DESCRIBE response. */
function describeBody(name: string): string {
  const text = readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8');
  const m = /\r?\n\r?\n/.exec(text)!;
  return text.slice(m.index + m[0].length);
}

const b64 = (s: string) => Uint8Array.from(Buffer.from(s, 'base64'));

describe('parseSdp on camera transcripts', () => {
  it('Hikvision: absolute controls with a query, spaces in fmtp, audio and ONVIF metadata', () => {
    const sdp = parseSdp(describeBody('hikvision_describe.txt'));
    expect(sdp.version).toBe(0);
    expect(sdp.sessionName).toBe('Media Presentation');
    expect(sdp.origin?.address).toBe('192.168.1.64');
    expect(sdp.control).toBe(
      'rtsp://192.168.1.64:554/Streaming/Channels/101/?transportmode=unicast&profile=Profile_1',
    );
    expect(sdp.media.map((m) => m.type)).toEqual(['video', 'audio', 'application']);
    const [video, audio, meta] = sdp.media;
    expect(video!.rtpmap).toEqual({ payloadType: 96, encoding: 'H264', clockRate: 90000 });
    expect(video!.fmtp['packetization-mode']).toBe('1');
    expect(video!.attributes).toContainEqual({ name: 'x-dimensions', value: '1920,1080' });
    expect(video!.attributes).toContainEqual({ name: 'recvonly' });
    expect(audio!.rtpmap).toEqual({ payloadType: 8, encoding: 'PCMA', clockRate: 8000 });
    expect(meta!.rtpmap?.encoding).toBe('vnd.onvif.metadata');

    const track = videoTrackFromSdp(video!);
    expect(track.codec).toBe('h264');
    expect(track.payloadType).toBe(96);
    expect(track.packetizationMode).toBe(1);
    expect(track.profileLevelId).toBe('640028');
    expect(
      resolveControlUrl('rtsp://192.168.1.64:554/Streaming/Channels/101/', track.control),
    ).toBe(
      'rtsp://192.168.1.64:554/Streaming/Channels/101/trackID=1?transportmode=unicast&profile=Profile_1',
    );
    const sps = parseH264Sps(track.parameterSets.sps!);
    expect([sps.width, sps.height, sps.fps]).toEqual([1920, 1080, 25]);
    expect(track.parameterSets.pps![0]! & 0x1f).toBe(8);
    expect(() => videoTrackFromSdp(audio!)).toThrow(
      expect.objectContaining({ kind: 'unsupported_codec' }),
    );
    expect(() => videoTrackFromSdp(meta!)).toThrow(
      expect.objectContaining({ kind: 'unsupported_codec' }),
    );
  });

  it('Dahua/Amcrest: H.265 with sprop-sps before sprop-vps, static PCMA, LF line ends', () => {
    const sdp = parseSdp(describeBody('dahua_describe_h265.txt'));
    expect(sdp.range).toBe('npt=now-');
    expect(sdp.control).toBe('*');
    expect(sdp.connection).toEqual({ netType: 'IN', addrType: 'IP4', address: '0.0.0.0' });
    const [video, audio] = sdp.media;
    const track = videoTrackFromSdp(video!);
    expect(track).toMatchObject({
      codec: 'h265',
      payloadType: 98,
      clockRate: 90000,
      control: 'trackID=0',
    });
    expect(track.packetizationMode).toBeUndefined();
    const { vps, sps, pps } = track.parameterSets;
    expect([(vps![0]! >> 1) & 0x3f, (sps![0]! >> 1) & 0x3f, (pps![0]! >> 1) & 0x3f]).toEqual([
      32, 33, 34,
    ]);
    const parsed = parseH265Sps(sps!);
    expect([parsed.width, parsed.height, parsed.fps]).toEqual([640, 360, 15]);
    expect(audio!.control).toBe('trackID=1');
    expect(
      resolveControlUrl(
        'rtsp://192.168.1.108:554/cam/realmonitor?channel=1&subtype=1/',
        track.control,
      ),
    ).toBe('rtsp://192.168.1.108:554/cam/realmonitor?channel=1&subtype=1/trackID=0');
  });

  it.each([
    ['gstreamer_h264_describe.txt', 'h264'],
    ['gstreamer_h265_describe.txt', 'h265'],
  ] as const)('gst-rtsp-server 1.22 (recorded): %s', (file, codec) => {
    const sdp = parseSdp(describeBody(file));
    expect(sdp.sessionName).toBe('Session streamed with GStreamer');
    expect(sdp.sessionInfo).toBe('rtsp-server');
    expect(sdp.media.map((m) => m.control)).toEqual(['stream=0', 'stream=1']);
    const track = videoTrackFromSdp(sdp.media[0]!);
    expect(track.codec).toBe(codec);
    expect(resolveControlUrl('rtsp://127.0.0.1:8554/test/', track.control)).toBe(
      'rtsp://127.0.0.1:8554/test/stream=0',
    );
    const sps =
      codec === 'h264'
        ? parseH264Sps(track.parameterSets.sps!)
        : parseH265Sps(track.parameterSets.sps!);
    expect([sps.width, sps.height, sps.fps]).toEqual([1280, 720, 25]);
    expect(sdp.media[1]!.rtpmap).toEqual({ payloadType: 8, encoding: 'PCMA', clockRate: 8000 });
  });
});

describe('parseSdp tolerance and errors', () => {
  it('accepts CR-only lines, trailing NULs, blank lines and unknown keys', () => {
    const text =
      'v=0\ro=- 1 1 IN IP4 1.2.3.4\r\rs=x\rx=whatever\rm=video 5000/2 RTP/AVP 97 96\ra=rtpmap:96 H265/90000\ra=rtpmap:97 H264/90000\ra=fmtp:97 packetization-mode=1;sprop-parameter-sets=,;foo\r\0\0';
    const sdp = parseSdp(text);
    const m = sdp.media[0]!;
    expect(m.port).toBe(5000);
    expect(m.formats).toEqual([97, 96]);
    expect(m.rtpmap?.encoding).toBe('H264');
    expect(m.fmtp).toEqual({ 'packetization-mode': '1', 'sprop-parameter-sets': ',', foo: '' });
    expect(videoTrackFromSdp(m)).toMatchObject({
      codec: 'h264',
      payloadType: 97,
      parameterSets: {},
    });
  });

  it('throws malformed only on text with no SDP line (the rest is liberal.test.ts)', () => {
    for (const text of ['', 'hello world', 'HTTP/1.1 200 OK\r\n\r\n']) {
      expect(() => parseSdp(text), JSON.stringify(text)).toThrow(
        expect.objectContaining({ kind: 'malformed' }),
      );
    }
    // Once refused, now read with a warning each: s= before v=, a bare m=, a bad port, a bare c=,
    // an rtpmap without a clock rate.
    for (const text of [
      's=no version\r\nv=0',
      'v=0\r\nm=video\r\n',
      'v=0\r\nm=video x RTP/AVP 96',
      'v=0\r\nc=IN\r\n',
      'v=0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264',
    ]) {
      expect(parseSdp(text).warnings, JSON.stringify(text)).toHaveLength(1);
    }
  });

  it('drops parameter sets that are not base64 with a warning instead of refusing the track', () => {
    const sdp = parseSdp(
      'v=0\nm=video 0 RTP/AVP 96\na=rtpmap:96 H264/90000\na=fmtp:96 sprop-parameter-sets=Z0I*AB,aM4\n',
    );
    const track = videoTrackFromSdp(sdp.media[0]!);
    expect(track.parameterSets).toEqual({ pps: Uint8Array.from([0x68, 0xce]) });
    expect(track.warnings).toEqual([
      expect.stringMatching(/item 1 dropped \(not base64: "Z0I\*AB"\); in-band parameter sets/),
    ]);
  });

  it('throws only NvrError on arbitrary text', () => {
    const line = fc.oneof(
      fc.string(),
      fc.constantFrom(
        'v=0',
        'm=video 0 RTP/AVP 96',
        'a=rtpmap:96 H264/90000',
        'a=fmtp:96 a=b;c',
        'c=IN IP4 1.2.3.4',
        'a=control:x',
      ),
      fc
        .tuple(fc.constantFrom('m=', 'a=rtpmap:', 'a=fmtp:', 'c=', 'o=', 'a='), fc.string())
        .map(([a, b]) => a + b),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), fc.constantFrom('\r\n', '\n'), (lines, nl) => {
        try {
          const sdp = parseSdp(lines.join(nl));
          for (const m of sdp.media) {
            try {
              videoTrackFromSdp(m);
            } catch (e) {
              if (!isNvrError(e)) throw e;
            }
          }
        } catch (e) {
          if (!isNvrError(e, 'malformed')) throw e;
        }
      }),
      { numRuns: 1000 },
    );
  });
});

const h264Sets = {
  sps: b64('Z01AH9kAUAW7AWoCAgKAAAADAIAAABlHjBkk'),
  pps: b64('aOvMsg=='),
};
const h265Sets = {
  vps: b64('QAEMAf//AWAAAAMAkAAAAwAAAwBdkoCQ'),
  sps: b64('QgEBAWAAAAMAkAAAAwAAAwBdoAKAgC0WWSpJMr/8AAQABagICAggAAADACAAAAMDIQ=='),
  pps: b64('RAHBcrRiQA=='),
};

describe('buildSdp', () => {
  it('round-trips tracks through parseSdp and videoTrackFromSdp', () => {
    const tracks: SdpTrackSpec[] = [
      {
        codec: 'h264',
        payloadType: 96,
        control: 'trackID=0',
        parameterSets: h264Sets,
        packetizationMode: 1,
      },
      { codec: 'h265', payloadType: 97, control: 'trackID=1', parameterSets: h265Sets },
    ];
    const text = buildSdp({
      sessionName: 'Door camera',
      originAddress: '127.0.0.1',
      sessionId: 42,
      tracks,
    });
    expect(text.endsWith('\r\n')).toBe(true);
    const sdp = parseSdp(text);
    expect(sdp.sessionName).toBe('Door camera');
    expect(sdp.range).toBe('npt=now-');
    expect(sdp.control).toBe('*');
    expect(sdp.origin).toMatchObject({ sessionId: '42', address: '127.0.0.1' });
    const back = sdp.media.map(videoTrackFromSdp);
    expect(back[0]).toEqual({
      codec: 'h264',
      payloadType: 96,
      clockRate: 90000,
      control: 'trackID=0',
      parameterSets: h264Sets,
      packetizationMode: 1,
      profileLevelId: '4d401f',
    });
    expect(back[1]).toEqual({
      codec: 'h265',
      payloadType: 97,
      clockRate: 90000,
      control: 'trackID=1',
      parameterSets: h265Sets,
    });
  });

  it('writes the lines ffmpeg and GStreamer look for', () => {
    const text = buildSdp({
      sessionName: 'x\r\ny',
      range: 'npt=0-',
      tracks: [
        {
          codec: 'h264',
          payloadType: 96,
          control: 'trackID=0',
          parameterSets: h264Sets,
          packetizationMode: 1,
        },
      ],
    });
    const lines = text.split('\r\n');
    expect(lines.slice(0, 4)).toEqual([
      'v=0',
      'o=- 0 1 IN IP4 127.0.0.1',
      's=x  y',
      'c=IN IP4 0.0.0.0',
    ]);
    expect(lines).toContain('t=0 0');
    expect(lines).toContain('a=range:npt=0-');
    expect(lines).toContain('m=video 0 RTP/AVP 96');
    expect(lines).toContain('a=rtpmap:96 H264/90000');
    expect(lines).toContain(
      'a=fmtp:96 packetization-mode=1;profile-level-id=4d401f;sprop-parameter-sets=Z01AH9kAUAW7AWoCAgKAAAADAIAAABlHjBkk,aOvMsg==',
    );
    expect(lines).toContain('a=control:trackID=0');
  });
});

/** GStreamer's own SDP parser and caps mapping (what rtspsrc runs on a DESCRIBE answer). */
const GST_SDP_TO_CAPS = `
import sys, json, gi
gi.require_version('Gst', '1.0'); gi.require_version('GstSdp', '1.0')
from gi.repository import Gst, GstSdp
Gst.init(None)
res, msg = GstSdp.SDPMessage.new_from_text(sys.stdin.read())
out = []
for i in range(msg.medias_len()):
    m = msg.get_media(i)
    caps = m.get_caps_from_media(int(m.get_format(0)))
    m.attributes_to_caps(caps)
    s = caps.get_structure(0)
    out.append({k: str(s.get_value(k)) for k in ['encoding-name', 'clock-rate', 'packetization-mode',
        'sprop-parameter-sets', 'profile-level-id', 'sprop-vps', 'sprop-sps', 'sprop-pps'] if s.has_field(k)})
print(json.dumps({'ok': int(res) == 0, 'session': msg.get_session_name(), 'media': out}))
`;

describe('buildSdp output in GStreamer', () => {
  it('parses into the caps rtspsrc would use', () => {
    const text = buildSdp({
      sessionName: 'nvr',
      tracks: [
        {
          codec: 'h264',
          payloadType: 96,
          control: 'trackID=0',
          parameterSets: h264Sets,
          packetizationMode: 1,
        },
        { codec: 'h265', payloadType: 97, control: 'trackID=1', parameterSets: h265Sets },
      ],
    });
    const r = spawnSync('/usr/bin/python3', ['-c', GST_SDP_TO_CAPS], {
      input: text,
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout) as {
      ok: boolean;
      session: string;
      media: Record<string, string>[];
    };
    expect(got.ok).toBe(true);
    expect(got.session).toBe('nvr');
    expect(got.media[0]).toEqual({
      'encoding-name': 'H264',
      'clock-rate': '90000',
      'packetization-mode': '1',
      'profile-level-id': '4d401f',
      'sprop-parameter-sets': 'Z01AH9kAUAW7AWoCAgKAAAADAIAAABlHjBkk,aOvMsg==',
    });
    expect(got.media[1]).toEqual({
      'encoding-name': 'H265',
      'clock-rate': '90000',
      'sprop-vps': 'QAEMAf//AWAAAAMAkAAAAwAAAwBdkoCQ',
      'sprop-sps': 'QgEBAWAAAAMAkAAAAwAAAwBdoAKAgC0WWSpJMr/8AAQABagICAggAAADACAAAAMDIQ==',
      'sprop-pps': 'RAHBcrRiQA==',
    });
  });
});

describe('resolveControlUrl', () => {
  it('follows RFC 2326 C.1.1 as ffmpeg does', () => {
    expect(resolveControlUrl('rtsp://h/a', undefined)).toBe('rtsp://h/a');
    expect(resolveControlUrl('rtsp://h/a', '*')).toBe('rtsp://h/a');
    expect(resolveControlUrl('rtsp://h/a', 'trackID=1')).toBe('rtsp://h/a/trackID=1');
    expect(resolveControlUrl('rtsp://h/a/', 'trackID=1')).toBe('rtsp://h/a/trackID=1');
    expect(resolveControlUrl('rtsp://h/a/', 'RTSP://other/b')).toBe('RTSP://other/b');
  });
});
