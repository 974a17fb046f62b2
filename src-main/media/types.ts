// Types shared by the pure media modules (h264, h265, rtp, sdp, fmp4).

export type VideoCodec = 'h264' | 'h265';

/** One coded picture: NAL units without start codes, at a 90 kHz presentation time. */
export interface AccessUnit {
  /** Presentation time in 90 kHz units, widened to 53-bit safe integers (never wraps). */
  pts90k: number;
  /** Decode time; equals pts90k for streams without B-frames (cameras). */
  dts90k?: number;
  /** True when the unit starts a keyframe group (IDR, or IRAP for H.265). */
  isKeyframe: boolean;
  nalus: Uint8Array[];
}
