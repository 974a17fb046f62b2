// src-main/media/rtp: RTP/RTCP wire formats, H.264/H.265 packetizers and depacketizers, RTP
// timestamp widening and UDP reordering. Pure: packets in, values out; no sockets, no timers.
export type { RtpPacket, RtpExtension } from './rtp-packet';
export { parseRtpPacket, serializeRtpPacket, seqDiff, RTP_HEADER_SIZE_BYTES } from './rtp-packet';
export type {
  RtcpPacket,
  RtcpSenderReport,
  RtcpReceiverReport,
  RtcpReportBlock,
  RtcpSdes,
  RtcpSdesItem,
  RtcpBye,
  RtcpOther,
  ReceiverReportInput,
  SenderReportInput,
} from './rtcp';
export { parseRtcp, buildReceiverReport, buildSenderReport, msToNtp, RtcpPacketType } from './rtcp';
export type { PacketizerOptions, PacketizerInput } from './packetizer';
export { H264Packetizer, H265Packetizer } from './packetizer';
export type {
  ParameterSets,
  RtpAccessUnit,
  DepacketizerStats,
  DepacketizerOptions,
  FrameDropCause,
} from './depacketizer';
export { H264Depacketizer, H265Depacketizer } from './depacketizer';
export { TimestampWidener } from './timestamp-widener';
export type { ReorderStats } from './reorder-buffer';
export { SequenceReorderBuffer } from './reorder-buffer';
