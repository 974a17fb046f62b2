// Liberal SDP: what real cameras and tools send that is not quite RFC 8866 still yields a video
// track (with warnings saying what was dropped or guessed); only text with no SDP line fails.
// Cases come from public reports, cited where they are used, and from ffmpeg's own SDP output.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isNvrError } from '../../base';
import { parseH264Sps } from '../h264';
import { parseH265Sps } from '../h265';
import { MAX_SDP_WARNINGS, parseSdp, videoTrackFromSdp } from '.';

const fixture = (name: string): string =>
  readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8');
const body = (transcript: string): string => transcript.slice(transcript.indexOf('\r\n\r\n') + 4);
const b64 = (s: string) => Uint8Array.from(Buffer.from(s, 'base64'));

const SPS = 'Z01AH9kAUAW7AWoCAgKAAAADAIAAABlHjBkk'; // gst-rtsp-server 1.22, 1280x720
const PPS = 'aOvMsg==';

/** A one-track H.264 SDP with `fmtp` as the parameters of a=fmtp:96. */
const h264Sdp = (fmtp: string, nl = '\r\n') =>
  ['v=0', 's=x', 'm=video 0 RTP/AVP 96', 'a=rtpmap:96 H264/90000', `a=fmtp:96 ${fmtp}`]
    .map((l) => l + nl)
    .join('');

const track = (text: string) => {
  const sdp = parseSdp(text);
  return { sdp, track: videoTrackFromSdp(sdp.media.find((m) => m.type === 'video')!) };
};

describe('liberal parameter sets', () => {
  it('Reolink-style junk after the real sets: the sets are kept, the junk dropped with warnings', () => {
    const { track: t, sdp } = track(body(fixture('reolink_junk_sprop_describe.txt')));
    expect(sdp.warnings).toEqual([]);
    expect(t.codec).toBe('h264');
    expect(parseH264Sps(t.parameterSets.sps!)).toMatchObject({ width: 640, height: 480 });
    expect(t.parameterSets.pps).toEqual(b64('aO48sA=='));
    expect(t.warnings).toEqual([
      expect.stringMatching(/^sprop-parameter-sets item 3 dropped \(not a parameter set .*in-band/),
      expect.stringMatching(/^sprop-parameter-sets item 4 dropped \(not base64: "!#junk"\)/),
    ]);
  });

  it('VStarcam-style: a set whose NAL header has the forbidden bit (scottlamb/retina#42)', () => {
    const junk = Buffer.from([0xe9, 0x12, 0x34, 0x56]).toString('base64');
    const { track: t } = track(h264Sdp(`packetization-mode=1;sprop-parameter-sets=${junk},${PPS}`));
    expect(t.parameterSets).toEqual({ pps: b64(PPS) });
    expect(t.warnings).toEqual([
      expect.stringMatching(/item 1 dropped \(forbidden bit set \(NAL header e9 12\)\)/),
    ]);
  });

  it('an SPS that does not parse, a truncated set and a set behind a start code', () => {
    const truncated = Buffer.from(b64(SPS).subarray(0, 5)).toString('base64');
    const annexB = Buffer.concat([Buffer.from([0, 0, 0, 1]), b64(PPS)]).toString('base64');
    const { track: t } = track(h264Sdp(`sprop-parameter-sets=${truncated},A,${annexB}`));
    expect(t.parameterSets).toEqual({ pps: b64(PPS) });
    expect(t.warnings).toEqual([
      expect.stringMatching(/item 1 dropped \(SPS does not parse/),
      expect.stringMatching(/item 2 dropped \(too short/),
    ]);
  });

  it('H.265: junk in sprop-vps/sps/pps is dropped per set, order does not matter', () => {
    const vps = 'QAEMAf//AWAAAAMAkAAAAwAAAwA8koCQ';
    const sps = 'QgEBAWAAAAMAkAAAAwAAAwA8oAoIDxZZKkkyvAWgIAAAAwAgAAADAeE=';
    const text = [
      'v=0',
      'm=video 0 RTP/AVP 98',
      'a=rtpmap:98 H265/90000',
      `a=fmtp:98 sprop-sps=${sps},%%%; sprop-vps=${vps}; sprop-pps=RAA=`,
    ].join('\n');
    const { track: t } = track(text);
    expect(parseH265Sps(t.parameterSets.sps!)).toMatchObject({ width: 320, height: 240 });
    expect(t.parameterSets.vps).toEqual(b64(vps));
    expect(t.parameterSets.pps).toBeUndefined();
    expect(t.warnings).toEqual([
      expect.stringMatching(/^sprop-sps item 2 dropped \(not base64/),
      expect.stringMatching(/^sprop-pps item 1 dropped \(temporal id 0/),
    ]);
  });

  it('hex fields that are not hex are ignored with a warning (scottlamb/retina#68: TQAf)', () => {
    const { track: t } = track(
      h264Sdp(`profile-level-id=TQAf;packetization-mode=one;sprop-parameter-sets=${SPS},${PPS}`),
    );
    expect(t.profileLevelId).toBeUndefined();
    expect(t.packetizationMode).toBeUndefined();
    expect(t.parameterSets.sps).toEqual(b64(SPS));
    expect(t.warnings).toHaveLength(2);
  });
});

describe('liberal lines and fmtp', () => {
  it("ffmpeg's own SDP (-sdp_file, ffmpeg 5.1): '; ' separators and an upper-case profile", () => {
    const t264 = track(fixture('ffmpeg_h264_sdp_file.sdp'));
    expect(t264.sdp.warnings).toEqual([]);
    expect(t264.track).toMatchObject({
      codec: 'h264',
      packetizationMode: 1,
      profileLevelId: '64000c',
    });
    expect(t264.track.warnings).toBeUndefined();
    expect(parseH264Sps(t264.track.parameterSets.sps!)).toMatchObject({ width: 320, height: 240 });
    const t265 = track(fixture('ffmpeg_h265_sdp_file.sdp'));
    expect(Object.keys(t265.track.parameterSets).sort()).toEqual(['pps', 'sps', 'vps']);
    expect(t265.track.control).toBeUndefined(); // no a=control: SETUP goes to the base URL
  });

  it('fmtp junk: spaces, upper-case keys, missing values, space separators, no payload type', () => {
    const { track: t } = track(
      h264Sdp(
        ` PACKETIZATION-MODE = 1 ;;  Sprop-Parameter-Sets=${SPS},${PPS} level-asymmetry-allowed ;x`,
      ),
    );
    expect(t.packetizationMode).toBe(1);
    expect(t.parameterSets).toEqual({ sps: b64(SPS), pps: b64(PPS) });
    const sdp = parseSdp(
      `v=0\nm=video 0 RTP/AVP 96\na=rtpmap:96 H264/90000\na=fmtp:packetization-mode=1 sprop-parameter-sets=${SPS},${PPS}\n`,
    );
    expect(sdp.media[0]!.fmtp).toEqual({
      'packetization-mode': '1',
      'sprop-parameter-sets': `${SPS},${PPS}`,
    });
    expect(sdp.warnings).toEqual([
      'SDP line 4: a=fmtp without a payload type applied to payload type 96',
    ]);
  });

  it('go2rtc#1663 (VCP IPC): truncated o= and c= lines, space-separated fmtp on the metadata', () => {
    const text = [
      'v=0',
      'o=- 1001 1 IN',
      's=VCP IPC Realtime stream',
      'm=video 0 RTP/AVP 105',
      'c=IN',
      'a=control:rtsp://192.168.0.60/media/video1/video',
      'a=rtpmap:105 H264/90000',
      'a=fmtp:105 profile-level-id=640032; packetization-mode=1; sprop-parameter-sets=Z2QAMqw7UBQAWtCAAAH0AABhqEI=,aOqPLA==',
      'a=recvonly',
      'm=application 0 RTP/AVP 107',
      'c=IN',
      'a=rtpmap:107 vnd.onvif.metadata/90000',
      'a=fmtp:107 DecoderTag=h3c-v3 RTCP=0',
    ].join('\r\n');
    const { sdp, track: t } = track(text);
    expect(sdp.origin).toBeUndefined();
    expect(sdp.media[1]!.fmtp).toEqual({ decodertag: 'h3c-v3', rtcp: '0' });
    expect(sdp.warnings).toEqual([
      'SDP line 5: bad c= line ignored: "IN"',
      'SDP line 11: bad c= line ignored: "IN"',
    ]);
    expect(t).toMatchObject({ codec: 'h264', payloadType: 105, packetizationMode: 1 });
    expect(parseH264Sps(t.parameterSets.sps!).width).toBe(2560);
  });

  it('text before v=, no v=, lines that are not SDP, bad m= lines and rtpmap without a clock rate', () => {
    const text = [
      'HTTP/1.0 200 OK',
      's=early',
      'v=0',
      'garbage',
      'm=audio',
      'a=rtpmap:96 H265/90000', // belongs to the broken section: not given to anyone
      'm=video x RTP/AVP 96',
      'A=RTPMAP:96 H264',
      'a=Control: trackID=1 ',
      'a=x-unknown',
    ].join('\r\n');
    const sdp = parseSdp(text);
    expect(sdp.warnings).toEqual([
      'SDP line 2: 1 line(s) of text before the SDP ignored',
      'SDP line 4: not an SDP line, ignored: "garbage"',
      'SDP line 5: bad m= line, its section is ignored: "audio"',
      'SDP line 7: bad port "x" read as 0',
      'SDP line 8: a=rtpmap:96 has no clock rate',
      'SDP: lines before v= (read as session lines)',
    ]);
    expect(sdp.sessionName).toBe('early');
    expect(sdp.media).toHaveLength(1);
    expect(videoTrackFromSdp(sdp.media[0]!)).toMatchObject({
      codec: 'h264',
      clockRate: 90000,
      control: 'trackID=1',
      parameterSets: {},
    });
    expect(parseSdp('s=x\nm=video 0 RTP/AVP 96\n').warnings).toEqual(['SDP: no v= line']);
  });

  it('a payload type without rtpmap is read from its fmtp; one not on the m= line is still found', () => {
    const noMap = parseSdp(
      `v=0\nm=video 0 RTP/AVP 96\na=fmtp:96 sprop-parameter-sets=${SPS},${PPS}\n`,
    );
    const t = videoTrackFromSdp(noMap.media[0]!);
    expect(t).toMatchObject({ codec: 'h264', payloadType: 96, clockRate: 90000 });
    expect(t.warnings).toEqual([expect.stringMatching(/no a=rtpmap: read as H264/)]);
    const offList = parseSdp('v=0\nm=video 0 RTP/AVP 96\na=rtpmap:97 H265/90000\n');
    expect(videoTrackFromSdp(offList.media[0]!)).toMatchObject({ codec: 'h265', payloadType: 97 });
  });

  it('keeps at most MAX_SDP_WARNINGS warnings', () => {
    const text = 'v=0\n' + Array.from({ length: 50 }, (_, i) => `junk ${i}`).join('\n');
    expect(parseSdp(text).warnings).toHaveLength(MAX_SDP_WARNINGS);
  });

  it('still throws on text with no SDP line at all', () => {
    for (const text of [
      '',
      '\r\n\r\n',
      'hello world',
      'HTTP/1.1 200 OK\r\n\r\n',
      '<html>=</html>',
    ]) {
      expect(() => parseSdp(text), JSON.stringify(text)).toThrow(
        expect.objectContaining({ kind: 'malformed' }),
      );
    }
  });
});

describe('liberal SDP (fast-check)', () => {
  const nl = fc.constantFrom('\r\n', '\n', '\r', '\r\r\n', ' \r\n', '\t\n', '\n\n');
  const junkLine = fc.oneof(
    fc.constantFrom(
      'a=x-unknown:1',
      'b=AS:500',
      'garbage',
      'a=recvonly',
      'c=IN',
      'x=',
      'a=fmtp:',
      'a=rtpmap:',
    ),
    fc.string({ maxLength: 20 }).filter((s) => !/[\r\n]/.test(s) && !/^\s*m\s*=/i.test(s)),
  );
  const junkItem = fc.oneof(
    fc.constantFrom('', 'AAAA', '!#junk', 'AAAAAQ==', '6RI0Vg==', 'QUJD'),
    fc.base64String({ maxLength: 12 }),
    fc.string({ maxLength: 8 }).filter((s) => !/[,;\s]/.test(s)),
  );
  const caseOf = (s: string, upper: boolean) => (upper ? s.toUpperCase() : s);

  it('an H.264 description with oddities anywhere still gives the track and its real sets', () => {
    fc.assert(
      fc.property(
        fc.record({
          nl,
          before: fc.array(junkLine, { maxLength: 3 }),
          between: fc.array(junkLine, { maxLength: 4 }),
          junk: fc.array(junkItem, { maxLength: 4 }),
          upper: fc.boolean(),
          sep: fc.constantFrom(';', '; ', ' ; ', ' '),
          control: fc.boolean(),
        }),
        ({ nl: eol, before, between, junk, upper, sep, control }) => {
          const sprop = [SPS, PPS, ...junk].join(',');
          const lines = [
            ...before,
            'v=0',
            's=x',
            'm=video 0 RTP/AVP 96',
            ...between,
            'a=rtpmap:96 H264/90000',
            `a=fmtp:96 ${caseOf('packetization-mode', upper)}=1${sep}${caseOf('sprop-parameter-sets', upper)}=${sprop}`,
            ...(control ? ['a=control:trackID=0'] : []),
          ];
          const sdp = parseSdp(lines.join(eol));
          const media = sdp.media.filter((m) => m.type === 'video');
          expect(media).toHaveLength(1);
          const t = videoTrackFromSdp(media[0]!);
          expect(t.codec).toBe('h264');
          expect(t.parameterSets).toEqual({ sps: b64(SPS), pps: b64(PPS) });
          expect(t.control).toBe(control ? 'trackID=0' : undefined);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('arbitrary text: parseSdp throws only NvrError(malformed), videoTrackFromSdp only NvrError', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(junkLine, fc.string()), { maxLength: 12 }),
        nl,
        (lines, eol) => {
          let sdp;
          try {
            sdp = parseSdp(lines.join(eol));
          } catch (e) {
            if (!isNvrError(e, 'malformed')) throw e;
            return;
          }
          expect(sdp.warnings.length).toBeLessThanOrEqual(MAX_SDP_WARNINGS);
          for (const m of sdp.media) {
            try {
              videoTrackFromSdp(m);
            } catch (e) {
              if (!isNvrError(e, 'unsupported_codec')) throw e;
            }
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
