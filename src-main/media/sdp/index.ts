// src-main/media/sdp: SDP parsing and building for RTSP (session/media sections, H.264/H.265 fmtp).
// Pure: text in, values out; no sockets, no URL fetching.
export { parseSdp, parseFmtpParams, resolveControlUrl, MAX_SDP_WARNINGS } from './parse';
export type { Sdp, SdpMedia, SdpRtpmap, SdpAttribute, SdpConnection, SdpOrigin } from './parse';
export { videoTrackFromSdp, buildSdp } from './video-track';
export type { SdpVideoTrack, SdpTrackSpec, BuildSdpOptions, ParameterSets } from './video-track';
