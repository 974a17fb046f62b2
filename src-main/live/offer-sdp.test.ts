import { describe, expect, it } from 'vitest';
import { NvrError } from '../base';
import {
  chooseCodec,
  countCandidates,
  inspectOffer,
  keepCandidatesOn,
  restrictOfferToPayloadType,
} from './offer-sdp';

/** Shaped like a Chromium recvonly offer (trimmed). */
const CHROME_OFFER = [
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0 1',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'c=IN IP4 0.0.0.0',
  'a=ice-ufrag:abcd',
  'a=ice-pwd:0123456789012345678901',
  'a=fingerprint:sha-256 AA:BB',
  'a=setup:actpass',
  'a=mid:0',
  'a=recvonly',
  'a=rtpmap:111 opus/48000/2',
  'm=video 9 UDP/TLS/RTP/SAVPF 102 103 106 107 127 125 39',
  'c=IN IP4 0.0.0.0',
  'a=ice-ufrag:abcd',
  'a=ice-pwd:0123456789012345678901',
  'a=fingerprint:sha-256 AA:BB',
  'a=setup:actpass',
  'a=mid:1',
  'a=recvonly',
  'a=rtcp-mux',
  'a=rtpmap:102 H264/90000',
  'a=rtcp-fb:102 nack',
  'a=rtcp-fb:102 nack pli',
  'a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f',
  'a=rtpmap:103 rtx/90000',
  'a=fmtp:103 apt=102',
  'a=rtpmap:106 H264/90000',
  'a=fmtp:106 level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42e01f',
  'a=rtpmap:107 rtx/90000',
  'a=fmtp:107 apt=106',
  'a=rtpmap:127 H264/90000',
  'a=rtcp-fb:127 nack pli',
  'a=fmtp:127 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4d001f',
  'a=rtpmap:125 H264/90000',
  'a=fmtp:125 profile-level-id=640032',
  'a=rtpmap:39 H265/90000',
  'a=fmtp:39 level-id=93;profile-id=1;tier-flag=0;tx-mode=SRST',
  '',
].join('\r\n');

const MAIN_SPS = new Uint8Array([0x67, 0x4d, 0x00, 0x28]);
const HIGH_SPS = new Uint8Array([0x67, 0x64, 0x00, 0x28]);

describe('inspectOffer', () => {
  it('lists usable codecs and strips packetization-mode=0 (and its absence)', () => {
    const info = inspectOffer(CHROME_OFFER);
    expect(info.videoIndex).toBe(1);
    expect(info.codecs.map((c) => [c.payloadType, c.codec])).toEqual([
      [102, 'h264'],
      [127, 'h264'],
      [39, 'h265'],
    ]);
    expect(info.strippedPayloadTypes).toEqual([106, 125]);
  });

  it.each([
    ['not SDP', 'hello'],
    ['broken line', 'v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nnonsense\r\n'],
    ['no media', 'v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n'],
    ['no video', CHROME_OFFER.split('m=video')[0]!],
    ['sendonly video', CHROME_OFFER.replace('a=mid:1\r\na=recvonly', 'a=mid:1\r\na=sendonly')],
    ['no ICE', CHROME_OFFER.replaceAll('a=ice-ufrag:abcd\r\n', '')],
    ['no fingerprint', CHROME_OFFER.replaceAll('a=fingerprint:sha-256 AA:BB\r\n', '')],
    ['plain RTP', CHROME_OFFER.replace('m=video 9 UDP/TLS/RTP/SAVPF', 'm=video 9 RTP/AVP')],
  ])('rejects %s with bad_request', (_name, sdp) => {
    let err: unknown;
    try {
      inspectOffer(sdp);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NvrError);
    expect((err as NvrError).kind).toBe('bad_request');
  });
});

describe('chooseCodec', () => {
  const info = inspectOffer(CHROME_OFFER);
  it('prefers the H.264 entry of the stream profile', () => {
    expect(chooseCodec(info, 'h264', MAIN_SPS)?.payloadType).toBe(127);
  });
  it('falls back to the first packetization-mode=1 entry', () => {
    expect(chooseCodec(info, 'h264', HIGH_SPS)?.payloadType).toBe(102);
  });
  it('takes H.265 only when offered', () => {
    expect(chooseCodec(info, 'h265')?.payloadType).toBe(39);
    const noHevc = inspectOffer(CHROME_OFFER.replace(' 125 39', ' 125'));
    expect(chooseCodec(noHevc, 'h265')).toBeUndefined();
  });
});

describe('restrictOfferToPayloadType', () => {
  it('keeps one payload type in the video section and leaves the rest alone', () => {
    const out = restrictOfferToPayloadType(CHROME_OFFER, 1, 127);
    expect(out).toContain('m=video 9 UDP/TLS/RTP/SAVPF 127\r\n');
    expect(out).toContain(
      'a=fmtp:127 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4d001f',
    );
    expect(out).not.toMatch(/a=(rtpmap|fmtp|rtcp-fb):(102|103|106|107|125|39) /);
    expect(out).toContain('a=rtpmap:111 opus/48000/2');
    expect(inspectOffer(out).codecs.map((c) => c.payloadType)).toEqual([127]);
  });
});

describe('candidates', () => {
  const answer = [
    'v=0',
    'm=video 9 UDP/TLS/RTP/SAVPF 96',
    'a=candidate:1 1 udp 2130706431 127.0.0.1 5000 typ host',
    'a=candidate:2 1 udp 2130706431 192.168.1.5 5001 typ host',
    'a=end-of-candidates',
  ].join('\r\n');
  it('keeps only the bound address', () => {
    const out = keepCandidatesOn(answer, '127.0.0.1');
    expect(countCandidates(out)).toBe(1);
    expect(out).toContain('127.0.0.1 5000');
    expect(out).toContain('a=end-of-candidates');
  });
});
