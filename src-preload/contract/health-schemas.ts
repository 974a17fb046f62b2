// Decode health of a stream as the status reports it: what a decoder would see (cumulative
// counters), a verdict over a sliding window with its reason, and the transport in use (with the
// `auto` fallback from UDP to TCP). Pure zod; no node:, no DOM, no electron.
import { z } from 'zod';

/** Since the stream started (summed over reconnects). */
export const StreamDecodeStatsSchema = z.object({
  rtpPackets: z.number().int(),
  /** Sequence numbers that never arrived. */
  packetsLost: z.number().int(),
  /** Packets that arrived after their place was passed, or twice. */
  packetsLate: z.number().int(),
  /** NAL units received but not recorded (in broken or undecodable access units). */
  nalusDropped: z.number().int(),
  /** Access units broken by RTP sequence gaps. */
  framesLostToGaps: z.number().int(),
  /** Access units broken by packets that came too late (reordered past the reorder window). */
  framesLostToLate: z.number().int(),
  /** Access units without a decodable picture (their references were lost, or no parameter sets). */
  framesUndecodable: z.number().int(),
  /** Access units before the first keyframe of a connection (joining mid-GOP; not loss). */
  framesBeforeKeyframe: z.number().int(),
  keyframes: z.number().int(),
});
export type StreamDecodeStats = z.infer<typeof StreamDecodeStatsSchema>;

export const HealthVerdictSchema = z.enum(['ok', 'degraded', 'broken']);
export type HealthVerdict = z.infer<typeof HealthVerdictSchema>;

/** The verdict over the last `windowMs` (10 s): degraded is a warning, broken an error. */
export const StreamHealthSchema = z.object({
  verdict: HealthVerdictSchema,
  /** "3 % of frames lost over UDP, try TCP", "no decodable keyframe for 30 s"; absent when ok. */
  reason: z.string().optional(),
  windowMs: z.number().int(),
  framesLostPercent: z.number(),
  packetsLostPercent: z.number(),
  sinceKeyframeMs: z.number().int(),
});
export type StreamHealthStatus = z.infer<typeof StreamHealthSchema>;

/** `transport: auto` moved the stream from UDP to TCP (until restart or a config change). */
export const TransportFallbackSchema = z.object({
  fromTransport: z.literal('udp'),
  toTransport: z.literal('tcp'),
  atMs: z.number().int(),
  reason: z.string(),
});
export type TransportFallbackStatus = z.infer<typeof TransportFallbackSchema>;
