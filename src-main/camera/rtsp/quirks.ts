// Vendor quirk profiles for the project's RTSP server: each entry names a behaviour publicly
// reported against a real camera (or camera firmware family) and the knobs the server turns to
// imitate it. Data only; mounts.ts / quirk-shaper.ts (RTP side) and request-handler.ts (RTSP side)
// read the knobs. The corpus test records through every profile (recorder/quirks.test.ts).

export interface RtspQuirk {
  /** `<vendor>-<behaviour>`, used as the mount name in demos (`/quirk/<name>`). */
  name: string;
  vendor: string;
  /** The public report (issue / pull request / thread) the behaviour comes from. */
  report: string;
  /** What the server does, in one line. */
  imitates: string;
  sdp?: {
    /** junk after the real sets / the SPS alone with a trailing comma / no sprop at all. */
    sprop?: 'junk' | 'sps-only' | 'none';
    /** An audio section before the video one, sharing payload type 96. */
    audioFirst?: boolean;
    /** No session-level a=control line. */
    noSessionControl?: boolean;
    /** Media a=control is an absolute URL naming another host (the camera's LAN address). */
    absoluteControlHost?: string;
  };
  describe?: {
    /** The DESCRIBE answer comes this late. */
    delayMs?: number;
    /**
     * query: Content-Base is the request URL with its query and a trailing slash, and SETUP must
     * name exactly Content-Base + control; schemeless: `host:port/path/` without rtsp://;
     * location: Content-Location instead of Content-Base.
     */
    contentBase?: 'query' | 'schemeless' | 'location';
  };
  play?: {
    /** none: no RTP-Info; wrong: seq=0, a made-up rtptime and a url of another path. */
    rtpInfo?: 'none' | 'wrong';
    /** The PLAY answer names a new Session id; the old one is forgotten. */
    newSessionId?: boolean;
  };
  keepalive?: {
    /** Session timeout announced and enforced for this mount. */
    timeoutSec: number;
    /** The only request that keeps the session alive (RTCP and other requests do not). */
    counts: 'GET_PARAMETER' | 'OPTIONS';
    /** GET_PARAMETER is listed in Public but never answered. */
    ignoreGetParameter?: boolean;
  };
  rtp?: {
    /** Keyframes go as one FU-A whose payload is SPS, PPS and IDR in Annex B. */
    annexBInFu?: boolean;
    /** SPS/PPS go in their own packets after the previous frame, with its timestamp and marker. */
    paramsWithPreviousTimestamp?: boolean;
    /** A new SSRC at every keyframe (sequence numbers continue). */
    ssrcPerGop?: boolean;
    /** The RTP timestamp jumps back this many ms at the 3rd keyframe and forward at the 6th. */
    timestampJumpMs?: number;
    /** Before each keyframe, a small packet with this payload type reusing the next sequence number. */
    strayPayloadType?: number;
  };
  /** The mount asks for these credentials (Digest), whatever the server-wide auth is. */
  credentials?: { username: string; password: string };
}

export const RTSP_QUIRKS: readonly RtspQuirk[] = [
  {
    name: 'vstarcam-junk-sprop',
    vendor: 'VStarcam',
    report: 'https://github.com/scottlamb/retina/issues/42',
    imitates:
      'sprop-parameter-sets carries junk after the real SPS/PPS; the sets also come in band',
    sdp: { sprop: 'junk' },
  },
  {
    name: 'hikvision-sprop-sps-only',
    vendor: 'Hikvision',
    report: 'https://github.com/FFmpeg/FFmpeg/pull/181',
    imitates: 'sprop-parameter-sets holds the SPS and an empty PPS ("Z0IA…,"); PPS only in band',
    sdp: { sprop: 'sps-only' },
  },
  {
    name: 'hikvision-in-band-only',
    vendor: 'Hikvision',
    report: 'https://github.com/bluenviron/mediacommon/issues/144',
    imitates: 'no sprop-parameter-sets at all: parameter sets only in band before each keyframe',
    sdp: { sprop: 'none' },
  },
  {
    name: 'v380-annexb-in-fu-a',
    vendor: 'V380',
    report: 'https://github.com/scottlamb/retina/pull/99',
    imitates:
      'keyframes as one FU-A (SPS header) whose payload is SPS, PPS and IDR with start codes',
    rtp: { annexBInFu: true },
  },
  {
    name: 'vstarcam-params-previous-timestamp',
    vendor: 'VStarcam',
    report: 'https://github.com/scottlamb/retina/issues/13',
    imitates: "SPS/PPS sent after the previous frame's marked packet, with that frame's timestamp",
    rtp: { paramsWithPreviousTimestamp: true },
  },
  {
    name: 'uniview-ssrc-per-gop',
    vendor: 'Uniview',
    report: 'https://github.com/bluenviron/gortsplib/issues/687',
    imitates: 'a new SSRC at every keyframe while sequence numbers and timestamps continue',
    rtp: { ssrcPerGop: true },
  },
  {
    name: 'thingino-timestamp-jumps',
    vendor: 'Thingino (Wyze Cam v3)',
    report: 'https://github.com/gtxaspec/raptor/issues/43',
    imitates: 'the RTP timestamp jumps back several seconds mid-session, later forward again',
    rtp: { timestampJumpMs: 4000 },
  },
  {
    name: 'uniview-stray-payload-type',
    vendor: 'Uniview',
    report: 'https://github.com/AlexxIT/go2rtc/issues/1722',
    imitates:
      'packets with payload type 50 (not in the SDP) reusing the next video sequence number',
    rtp: { strayPayloadType: 50 },
  },
  {
    name: 'h264dvr-new-session-id',
    vendor: 'XiongMai "H264DVR"',
    report: 'https://github.com/scottlamb/retina/pull/85',
    imitates: 'the PLAY answer names a new Session id; the old one gets 454 (timeout=4 s)',
    play: { newSessionId: true },
    keepalive: { timeoutSec: 4, counts: 'GET_PARAMETER' },
  },
  {
    name: 'vstarcam-no-rtp-info',
    vendor: 'VStarcam',
    report: 'https://github.com/scottlamb/retina/issues/10',
    imitates: 'the PLAY answer has no RTP-Info header',
    play: { rtpInfo: 'none' },
  },
  {
    name: 'foscam-wrong-rtp-info',
    vendor: 'Foscam',
    report: 'https://github.com/ZoneMinder/zoneminder/issues/841',
    imitates: 'RTP-Info with seq=0, an rtptime unrelated to the packets and a url of another path',
    play: { rtpInfo: 'wrong' },
  },
  {
    name: 'axis-get-parameter-keepalive',
    vendor: 'Axis',
    report: 'https://github.com/ZoneMinder/zoneminder/pull/560',
    imitates:
      'drops the session after its timeout unless GET_PARAMETER arrives (RTCP does not count)',
    keepalive: { timeoutSec: 4, counts: 'GET_PARAMETER' },
  },
  {
    name: 'hipcam-ignores-get-parameter',
    vendor: 'Hipcam',
    report: 'https://github.com/ngraziano/SharpRTSP/issues/63',
    imitates: 'lists GET_PARAMETER but never answers it; only OPTIONS keeps the session alive',
    keepalive: { timeoutSec: 4, counts: 'OPTIONS', ignoreGetParameter: true },
  },
  {
    name: 'axis-slow-describe',
    vendor: 'Axis',
    report: 'https://github.com/deepch/RTSPtoWeb/issues/315',
    imitates: 'the DESCRIBE answer takes seconds',
    describe: { delayMs: 3000 },
  },
  {
    name: 'dahua-content-base-query',
    vendor: 'Dahua',
    report: 'https://github.com/bluenviron/gortsplib/issues/479',
    imitates: 'Content-Base keeps the query and adds "/"; SETUP must be Content-Base + "trackID=0"',
    describe: { contentBase: 'query' },
  },
  {
    name: 'sv3c-schemeless-content-base',
    vendor: 'SV3C',
    report: 'https://github.com/scottlamb/moonfire-nvr/issues/356',
    imitates: 'Content-Base is "host:port/path/" without the rtsp:// scheme',
    describe: { contentBase: 'schemeless' },
  },
  {
    name: 'vstarcam-no-session-control',
    vendor: 'VStarcam',
    report: 'https://github.com/scottlamb/retina/issues/9',
    imitates: 'no session-level a=control, Content-Location instead of Content-Base',
    sdp: { noSessionControl: true },
    describe: { contentBase: 'location' },
  },
  {
    name: 'h3c-absolute-control-lan-host',
    vendor: 'H3C (VCP IPC)',
    report: 'https://github.com/AlexxIT/go2rtc/issues/1663',
    imitates: 'absolute a=control URLs naming the camera’s LAN address, not the one dialled',
    sdp: { absoluteControlHost: '192.168.0.60' },
  },
  {
    name: 'android-audio-first',
    vendor: 'Android IP camera apps (pedroSG94 RTSP-Server)',
    report: 'https://github.com/pedroSG94/RTSP-Server/issues/29',
    imitates: 'the audio section comes first in the SDP, and both sections use payload type 96',
    sdp: { audioFirst: true },
  },
  {
    name: 'hikvision-password-reserved-chars',
    vendor: 'Hikvision',
    report: 'https://github.com/opencv/opencv-python/issues/848',
    imitates: 'a password with @ : / % # in it (Digest), given percent-encoded in the URL',
    credentials: { username: 'admin', password: 'p@ss:w/rd%#1' },
  },
];

/** The quirk a 3xx redirect imitates; it needs a second address, so it is not a mount profile. */
export const REDIRECT_QUIRK = {
  name: 'huawei-describe-302',
  vendor: 'Huawei (HWServer)',
  report: 'https://github.com/androidx/media/issues/2282',
  imitates: 'DESCRIBE answers 302 Moved Temporarily with a Location on another port',
} as const;

/** The quirk RTSPS imitates; it needs a TLS listener with a certificate, so it is not a mount profile. */
export const RTSPS_QUIRK = {
  name: 'unifi-protect-rtsps',
  vendor: 'Ubiquiti UniFi Protect',
  report: 'https://github.com/koush/scrypted/issues/2016',
  imitates: 'RTSP only over TLS (rtsps://, a self-signed certificate), RTP interleaved',
} as const;

export function quirkByName(name: string): RtspQuirk | undefined {
  return RTSP_QUIRKS.find((q) => q.name === name);
}

/** Where a server built for the corpus or the demo mounts a quirk. */
export function quirkMountPath(name: string): string {
  return `/quirk/${name}`;
}

/**
 * The URL a user would type for the quirk's camera at `baseUrl` (rtsp://host:port): Dahua's
 * query string, or the credentials percent-encoded into the URL.
 */
export function quirkCameraUrl(baseUrl: string, quirk: RtspQuirk): string {
  const url = `${baseUrl}${quirkMountPath(quirk.name)}`;
  if (quirk.describe?.contentBase === 'query') return `${url}?channel=1&subtype=0`;
  if (!quirk.credentials) return url;
  const { username, password } = quirk.credentials;
  const userinfo = `${encodeURIComponent(username)}:${encodeURIComponent(password)}@`;
  return url.replace(/^rtsp:\/\//, `rtsp://${userinfo}`);
}
