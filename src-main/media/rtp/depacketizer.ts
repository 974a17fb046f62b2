// H.264 / H.265 RTP depacketizers: RTP packets in (in sequence order), whole access units out.
// Owns access unit boundaries, fragment reassembly, loss handling (never emit a broken frame) and
// in-band parameter sets. It never reorders (see SequenceReorderBuffer) and does no I/O.
import type { AccessUnit } from '../types';
import { splitAnnexB } from '../nal';
import { concat, findStartCode, sameBytes, startsWithStartCode } from './bytes';
import type { PayloadFormat, PayloadItem } from './payload-format';
import { H264_FORMAT, H265_FORMAT } from './payload-format';
import type { RtpPacket } from './rtp-packet';
import { seqDiff } from './rtp-packet';
import { TimestampWidener } from './timestamp-widener';

/** Parameter sets of a stream (the latest of each type); H.264 has no VPS. */
export interface ParameterSets {
  vps?: Uint8Array;
  sps?: Uint8Array;
  pps?: Uint8Array;
}

/** An access unit as the depacketizer emits it. */
export interface RtpAccessUnit extends AccessUnit {
  /** The 32-bit RTP timestamp the unit carried. */
  rtpTimestamp: number;
  /** True when this unit carries parameter sets that differ from the ones known before it. */
  parameterSetsChanged: boolean;
}

export interface DepacketizerStats {
  packetsReceived: number;
  /** Sequence gaps, malformed payloads and broken fragments seen. */
  lossEvents: number;
  /** Access units not emitted: broken, or undecodable while waiting for a keyframe. */
  framesDropped: number;
  framesEmitted: number;
  /** Payloads that could not be parsed (bad aggregation sizes, unsupported modes, NAL headers a decoder rejects). */
  malformedPackets: number;
  /** Packets older than the last one (duplicates, late arrivals) that were ignored. */
  packetsLate: number;
  /** NAL units received but not emitted (in broken or undecodable access units). */
  nalusDropped: number;
  /** Of framesDropped: units with missing or broken packets (loss, malformed, oversized). */
  framesLost: number;
  /** Of framesDropped: whole units a decoder cannot use (references lost, keyframe without parameter sets). */
  framesUndecodable: number;
  /** Of framesDropped: units before the first keyframe of the stream (or of a new sender). */
  framesBeforeKeyframe: number;
  keyframesEmitted: number;
}

/** Why an access unit was not emitted (see DepacketizerStats). */
export type FrameDropCause = 'lost' | 'undecodable' | 'before_keyframe';

export interface DepacketizerOptions {
  /** Access units larger than this are dropped as broken (default 16 MiB). */
  maxAccessUnitBytes?: number;
}

/** Sequence steps this far back are late packets; further back is a sender restart. */
const MAX_MISORDER = 100;
/** Non-VCL units (SEI, parameter sets) carried to the next unit at most. */
const MAX_CARRIED_NALUS = 64;

interface Pending {
  timestamp: number;
  nalus: Uint8Array[];
  sizeBytes: number;
  broken: boolean;
  /** Began right after a sequence gap (see startsAccessUnit). */
  afterGap: boolean;
  fragments: Uint8Array[] | null;
  fragmentType: number;
}

class VideoDepacketizer {
  /** Called (synchronously, inside push) when in-band parameter sets differ from the known ones. */
  onParameterSets: ((ps: ParameterSets) => void) | undefined;
  /** Called (synchronously, inside push) for every access unit not emitted, with its RTP timestamp. */
  onFrameDropped: ((rtpTimestamp: number, cause: FrameDropCause) => void) | undefined;

  private readonly widener = new TimestampWidener();
  private readonly maxAccessUnitBytes: number;
  private ssrc: number | undefined;
  private expectedSeq: number | undefined;
  private pending: Pending | undefined;
  /** After loss (and at the start), the next unit must begin with a unit-starting NAL. */
  private needUnitStart = true;
  /** The next unit begins right after a sequence gap. */
  private afterGap = false;
  private waitKeyframe = true;
  /** A keyframe was emitted since the start (or the last sender restart). */
  private emittedKeyframe = false;
  /** The last keyframe carried all parameter sets in-band (so one without them is suspect after loss). */
  private keyframesCarryParams = false;
  private carried: Uint8Array[] = [];
  private params: ParameterSets = {};
  private readonly counters: DepacketizerStats = {
    packetsReceived: 0,
    lossEvents: 0,
    framesDropped: 0,
    framesEmitted: 0,
    malformedPackets: 0,
    packetsLate: 0,
    nalusDropped: 0,
    framesLost: 0,
    framesUndecodable: 0,
    framesBeforeKeyframe: 0,
    keyframesEmitted: 0,
  };

  constructor(
    private readonly format: PayloadFormat,
    options: DepacketizerOptions = {},
  ) {
    this.maxAccessUnitBytes = options.maxAccessUnitBytes ?? 16 * 1024 * 1024;
  }

  get stats(): Readonly<DepacketizerStats> {
    return { ...this.counters };
  }

  /** The parameter sets known now (from setParameterSets or in-band). */
  get parameterSets(): Readonly<ParameterSets> {
    return { ...this.params };
  }

  /** Out-of-band parameter sets (e.g. sprop-parameter-sets from the SDP), prepended to keyframes that lack them. */
  setParameterSets(ps: ParameterSets): void {
    for (const { key } of this.format.paramSetTypes) {
      const v = ps[key];
      if (v && v.length >= this.format.nalHeaderSize) this.params[key] = v;
    }
  }

  /**
   * Feeds one packet (in sequence order); returns the access units it completed. Emitted NAL
   * units may be views into the packets' payloads: do not reuse packet buffers afterwards.
   */
  push(p: RtpPacket): RtpAccessUnit[] {
    const out: RtpAccessUnit[] = [];
    this.counters.packetsReceived++;
    let gap = false;
    if (this.ssrc !== undefined && p.ssrc !== this.ssrc) {
      this.restart(); // a new sender (camera reconnect): start clean at its next keyframe
    }
    this.ssrc = p.ssrc;
    if (this.expectedSeq !== undefined) {
      const d = seqDiff(p.sequenceNumber, this.expectedSeq);
      if (d < 0 && d >= -MAX_MISORDER) {
        this.counters.packetsLate++;
        return out;
      }
      gap = d !== 0;
    }
    this.expectedSeq = (p.sequenceNumber + 1) & 0xffff;
    const timestamp = p.timestamp >>> 0;

    if (gap) {
      this.counters.lossEvents++;
      this.waitKeyframe = true;
      // The missing packets may be the tail of the unit in progress or the head of the next one.
      if (this.pending) this.breakUnit(this.pending);
    }
    if (this.pending && this.pending.timestamp !== timestamp) this.finish(out);
    if (gap && !this.pending) {
      this.needUnitStart = true;
      this.afterGap = true;
    }
    if (p.payload.length === 0) return out; // padding-only / empty: nothing to add

    const items = startsWithStartCode(p.payload)
      ? [{ kind: 'nal' as const, nal: p.payload }]
      : this.format.parsePayload(p.payload);
    if (items === null) {
      this.counters.malformedPackets++;
      this.markBroken(timestamp);
      if (p.marker) this.finish(out);
      return out;
    }
    for (const item of items) this.add(item, timestamp);
    if (this.pending && this.pending.sizeBytes > this.maxAccessUnitBytes) {
      this.breakUnit(this.pending);
    }
    if (p.marker && this.pending) this.finish(out);
    return out;
  }

  /** Emits the unit in progress if it is whole (call at end of stream). */
  flush(): RtpAccessUnit[] {
    const out: RtpAccessUnit[] = [];
    if (this.pending) this.finish(out);
    return out;
  }

  private restart(): void {
    if (this.pending) {
      this.breakUnit(this.pending);
      this.dropped(this.pending.timestamp, 'lost');
    }
    this.emittedKeyframe = false;
    this.pending = undefined;
    this.expectedSeq = undefined;
    this.carried = [];
    this.needUnitStart = true;
    this.afterGap = false;
    this.waitKeyframe = true;
  }

  private markBroken(timestamp: number): void {
    this.counters.lossEvents++;
    this.waitKeyframe = true;
    this.breakUnit(this.open(timestamp));
  }

  /** Marks a unit broken and lets go of its data (nothing of it will be used). */
  private breakUnit(unit: Pending): void {
    this.counters.nalusDropped += unit.nalus.length + (unit.fragments ? 1 : 0);
    unit.broken = true;
    unit.nalus = [];
    unit.fragments = null;
  }

  private open(timestamp: number): Pending {
    if (!this.pending) {
      this.pending = {
        timestamp,
        nalus: [],
        sizeBytes: 0,
        broken: false,
        afterGap: false,
        fragments: null,
        fragmentType: -1,
      };
    }
    return this.pending;
  }

  private add(item: PayloadItem, timestamp: number): void {
    const fresh = !this.pending;
    const unit = this.open(timestamp);
    if (fresh && this.needUnitStart) {
      const first = item.kind === 'nal' ? item.nal : item.start ? item.data : undefined;
      const whole =
        first !== undefined &&
        first.length >= this.format.nalHeaderSize &&
        this.format.startsAccessUnit(first);
      if (!whole) this.breakUnit(unit);
      unit.afterGap = this.afterGap;
      this.needUnitStart = false;
      this.afterGap = false;
    }
    if (unit.broken) {
      // Runs to its end holding nothing; NAL units seen whole or by their start are counted.
      if (item.kind === 'nal' || item.start) this.counters.nalusDropped++;
      return;
    }
    if (unit.fragments && (item.kind === 'nal' || item.start)) {
      this.brokenFragment(unit); // the fragmented unit in progress never ended
      return;
    }
    if (item.kind === 'nal') {
      this.appendNal(unit, item.nal);
      return;
    }
    if (item.start) {
      unit.fragments = [item.data];
      unit.fragmentType = item.nalType;
    } else if (!unit.fragments || unit.fragmentType !== item.nalType) {
      // A fragment without its start (or of another unit): the NAL unit is lost.
      this.brokenFragment(unit);
      return;
    } else {
      unit.fragments.push(item.data);
    }
    unit.sizeBytes += item.data.length;
    if (item.end) {
      const nal = concat(unit.fragments);
      unit.fragments = null;
      unit.sizeBytes -= nal.length;
      this.appendNal(unit, nal);
    }
  }

  private brokenFragment(unit: Pending): void {
    if (!unit.broken) this.counters.lossEvents++;
    this.breakUnit(unit);
    this.waitKeyframe = true;
  }

  private appendNal(unit: Pending, nal: Uint8Array): void {
    const sc = findStartCode(nal);
    const parts = sc < 0 ? [nal] : [nal.subarray(0, sc), ...splitAnnexB(nal.subarray(sc))];
    for (let part of parts) {
      let end = part.length;
      if (sc >= 0) while (end > 0 && part[end - 1] === 0) end--; // zeros before a start code
      part = part.subarray(0, end);
      if (part.length < this.format.nalHeaderSize) continue;
      if (!this.format.validNalHeader(part)) {
        // A corrupt header (forbidden bit, an RTP packet type, H.265 temporal id 0): decoders
        // reject the unit, and it may have been a slice, so the access unit is lost.
        this.counters.malformedPackets++;
        this.brokenFragment(unit);
        return;
      }
      unit.nalus.push(part);
      unit.sizeBytes += part.length;
    }
  }

  private finish(out: RtpAccessUnit[]): void {
    const unit = this.pending!;
    this.pending = undefined;
    const pts90k = this.widener.widen(unit.timestamp);
    if (unit.fragments) this.brokenFragment(unit);
    if (unit.broken) {
      this.counters.nalusDropped += this.carried.length;
      this.carried = [];
      this.dropped(unit.timestamp, 'lost');
      return;
    }
    const f = this.format;
    if (!unit.nalus.some((n) => f.isVcl(f.nalType(n)))) {
      // No picture (parameter sets or SEI sent apart, or a marker set early): keep for the next unit.
      this.carried.push(...unit.nalus);
      if (this.carried.length > MAX_CARRIED_NALUS)
        this.carried = this.carried.slice(-MAX_CARRIED_NALUS);
      return;
    }
    let nalus = this.carried.length > 0 ? [...this.carried, ...unit.nalus] : unit.nalus;
    this.carried = [];
    const isKeyframe = f.isKeyframe(nalus);
    if (this.waitKeyframe && !isKeyframe) {
      this.counters.nalusDropped += nalus.length;
      this.dropped(unit.timestamp, 'undecodable');
      return;
    }
    const inBand: ParameterSets = {};
    for (const n of nalus) {
      const t = f.nalType(n);
      for (const { key, type } of f.paramSetTypes) if (t === type) inBand[key] = n;
    }
    if (isKeyframe) {
      const missing = f.paramSetTypes.filter(({ key }) => !inBand[key]);
      if (missing.some(({ key }) => !this.params[key])) {
        // A keyframe nobody can decode: keep waiting for one with parameter sets.
        this.counters.nalusDropped += nalus.length;
        this.dropped(unit.timestamp, 'undecodable');
        this.waitKeyframe = true;
        return;
      }
      if (missing.length > 0 && unit.afterGap && this.keyframesCarryParams) {
        // Its own parameter sets were likely in the lost packets; the known ones may be stale.
        this.counters.nalusDropped += nalus.length;
        this.dropped(unit.timestamp, 'lost');
        this.waitKeyframe = true;
        return;
      }
      this.keyframesCarryParams = missing.length === 0;
      if (missing.length > 0) nalus = this.withParameterSets(nalus);
    }
    let changed = false;
    for (const { key } of f.paramSetTypes) {
      const v = inBand[key];
      if (v && !sameBytes(v, this.params[key])) {
        this.params[key] = v;
        changed = true;
      }
    }
    if (changed) this.onParameterSets?.({ ...this.params });
    this.waitKeyframe = false;
    if (isKeyframe) {
      this.emittedKeyframe = true;
      this.counters.keyframesEmitted++;
    }
    this.counters.framesEmitted++;
    out.push({
      pts90k,
      isKeyframe,
      nalus,
      rtpTimestamp: unit.timestamp,
      parameterSetsChanged: changed,
    });
  }

  private dropped(rtpTimestamp: number, cause: FrameDropCause): void {
    // Before the first keyframe nothing is decodable anyway (a mid-frame start is not loss).
    if (!this.emittedKeyframe) cause = 'before_keyframe';
    this.counters.framesDropped++;
    if (cause === 'lost') this.counters.framesLost++;
    else if (cause === 'undecodable') this.counters.framesUndecodable++;
    else this.counters.framesBeforeKeyframe++;
    this.onFrameDropped?.(rtpTimestamp, cause);
  }

  /** Puts parameter sets first (after an AUD): in-band ones where present, known ones otherwise. */
  private withParameterSets(nalus: Uint8Array[]): Uint8Array[] {
    const f = this.format;
    const lead = nalus.length > 0 && f.nalType(nalus[0]!) === f.audType ? [nalus[0]!] : [];
    const rest = nalus.slice(lead.length);
    const sets: Uint8Array[] = [];
    for (const { key, type } of f.paramSetTypes) {
      const own = rest.filter((n) => f.nalType(n) === type);
      sets.push(...(own.length > 0 ? own : [this.params[key]!]));
    }
    const isSet = (n: Uint8Array): boolean =>
      f.paramSetTypes.some(({ type }) => f.nalType(n) === type);
    return [...lead, ...sets, ...rest.filter((n) => !isSet(n))];
  }
}

/** H.264 depacketizer (RFC 6184: single NAL, STAP-A, FU-A). */
export class H264Depacketizer extends VideoDepacketizer {
  constructor(options?: DepacketizerOptions) {
    super(H264_FORMAT, options);
  }
}

/** H.265 depacketizer (RFC 7798: single NAL, AP, FU; no DONL). */
export class H265Depacketizer extends VideoDepacketizer {
  constructor(options?: DepacketizerOptions) {
    super(H265_FORMAT, options);
  }
}
