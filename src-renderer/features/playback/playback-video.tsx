// A playback <video> of one camera following the shared clock (the time store's playhead): loads the
// VOD playlist of a window around the playhead with hls.js (loaded on demand: a chunk of its own, out of
// the main bundle) and seeks by EXT-X-PROGRAM-DATE-TIME.
import { useEffect, useRef, useState } from 'react';
import type Hls from 'hls.js';
import type { Fragment } from 'hls.js';
import type { Transport } from '../../api';
import { timeStore } from '../../stores';
import { HLS_CODEC_ERRORS, canDecode } from '../live';
import { MAX_RATE_ADJUST, driftAction, nextSeekLatency, seekLeadTarget } from './drift-control';
import {
  STEP_FROM_RATE,
  StallWatch,
  groupClockAt,
  joinStepGroup,
  joinSyncGroup,
  presentSteps,
  playingLimitMs,
  stepTargetMs,
  steppingLimitMs,
} from './sync-group';
import {
  positionOf,
  timeOf,
  vodWindow,
  windowHolds,
  type FragmentTime,
  type VodWindow,
} from './vod-time';

/** `unsupported`: the browser has no decoder for the recording's codec (H.265 in most browsers). */
export type PlaybackState = 'loading' | 'playing' | 'paused' | 'gap' | 'error' | 'unsupported';

/** A paused tile shows the clock's moment to within about a frame. */
const PAUSED_TOLERANCE_MS = 50;

export interface PlaybackVideoProps {
  api: Transport;
  cameraId: string;
  stream: 'main' | 'sub';
  onState(state: PlaybackState, detail?: string): void;
}

export function PlaybackVideo({ api, cameraId, stream, onState }: PlaybackVideoProps) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const stepRef = useRef<HTMLCanvasElement>(null);
  const [win, setWin] = useState<VodWindow>(() =>
    vodWindow(timeStore.getState().playheadMs, Date.now()),
  );
  const onStateRef = useRef(onState);
  onStateRef.current = onState;

  useEffect(() => {
    const video = videoRef.current;
    const shownStep = stepRef.current;
    if (!video || !shownStep) return;
    let frags: readonly Fragment[] = [];
    let hls: Hls | undefined;
    let cancelled = false;
    let lastSeq = -1;
    let lastState: PlaybackState | undefined;
    const report = (s: PlaybackState, detail?: string) => {
      // Nothing else is true once the browser cannot decode the stream (a black tile is no playback).
      if (lastState === 'unsupported') return;
      if (s === lastState && detail === undefined) return;
      lastState = s;
      onStateRef.current(s, detail);
    };
    report('loading');

    // The tile's wall-clock mapping from hls.js' own fragments (their starts follow the parsed media).
    const mapping = (): FragmentTime[] =>
      frags
        .filter((f) => f.programDateTime !== null)
        .map((f) => ({ startMs: f.programDateTime!, startS: f.start, durationS: f.duration }));
    const shownMs = (atS = video.currentTime) => timeOf(mapping(), atS);
    // Stepping (8× and faster): the moment asked for, the one landed (drawn off screen until the group
    // shows every tile's step at once) and the one on screen (a canvas over the video).
    let pendingStepMs: number | undefined;
    let landedStepMs: number | undefined;
    let stagedStepMs: number | undefined;
    let presentedStepMs: number | undefined;
    const staged = document.createElement('canvas');
    const stepper = {
      stagedStepMs: () => stagedStepMs,
      present: () => {
        if (stagedStepMs === undefined) return;
        if (shownStep.width !== staged.width) shownStep.width = staged.width;
        if (shownStep.height !== staged.height) shownStep.height = staged.height;
        shownStep.getContext('2d')?.drawImage(staged, 0, 0);
        shownStep.style.visibility = 'visible';
        presentedStepMs = stagedStepMs;
        stagedStepMs = undefined;
      },
    };
    let leaveStepGroup: (() => void) | undefined;
    const stopStepping = () => {
      leaveStepGroup?.();
      leaveStepGroup = undefined;
      shownStep.style.visibility = 'hidden';
      pendingStepMs = landedStepMs = stagedStepMs = presentedStepMs = undefined;
    };
    // The wall-clock time on screen, or of a media position, for tools that measure sync between tiles
    // (e2e/playback-sync.spec.ts).
    Object.assign(video, {
      nvrShownMs: (atS?: number) => presentedStepMs ?? shownMs(atS),
    });
    // In the group (holding the clock back when it lags) while playing and advancing.
    const stall = new StallWatch();
    const leaveGroup = joinSyncGroup(() => {
      if (lastState !== 'playing') return undefined;
      const { rate } = timeStore.getState();
      if (rate >= STEP_FROM_RATE) {
        if (landedStepMs === undefined || !stall.holding(landedStepMs, performance.now()))
          return undefined;
        return steppingLimitMs(landedStepMs, rate);
      }
      if (video.paused || video.seeking) return undefined;
      const t = shownMs();
      return t !== undefined && stall.holding(t, performance.now())
        ? playingLimitMs(t, rate)
        : undefined;
    });

    let seekLatencyMs: number | undefined;
    let seekStartedAt: number | undefined;
    const onSeeked = () => {
      if (seekStartedAt !== undefined)
        seekLatencyMs = nextSeekLatency(seekLatencyMs, performance.now() - seekStartedAt);
      seekStartedAt = undefined;
      if (leaveStepGroup && pendingStepMs !== undefined) {
        const stepMs = pendingStepMs;
        // The landed frame can be drawn once it is presented ('seeked' may come before it is).
        video.requestVideoFrameCallback(() => {
          if (!leaveStepGroup || pendingStepMs !== stepMs || video.videoWidth === 0) return;
          landedStepMs = stepMs;
          staged.width = video.videoWidth;
          staged.height = video.videoHeight;
          staged.getContext('2d')?.drawImage(video, 0, 0);
          stagedStepMs = stepMs;
          presentSteps(performance.now());
        });
      }
    };
    video.addEventListener('seeked', onSeeked);
    const seekTo = (positionS: number) => {
      seekStartedAt = performance.now();
      video.currentTime = positionS;
    };

    const sync = () => {
      const s = timeStore.getState();
      if (s.mode !== 'playback' || frags.length === 0 || lastState === 'unsupported') return;
      const nowMs = Date.now();
      const clockMs = groupClockAt(s, nowMs);
      if (!windowHolds(win, clockMs, nowMs)) {
        setWin(vodWindow(clockMs, nowMs));
        return;
      }
      const map = mapping();
      const want = positionOf(map, clockMs);
      if (want === undefined) {
        stopStepping();
        if (!video.paused) video.pause();
        report('gap');
        return;
      }
      // Keep a few seconds of wall time buffered at any speed (10 s of footage is 0.6 s at 16×).
      if (hls) hls.config.maxBufferLength = Math.max(10, 4 * s.rate);
      if (s.playing && s.rate >= STEP_FROM_RATE) {
        // Stepping: every tile seeks to the same moment; the group holds the clock for the slowest.
        if (!video.paused) video.pause();
        leaveStepGroup ??= joinStepGroup(stepper);
        presentSteps(performance.now());
        lastSeq = s.seekSeq;
        const stepMs = stepTargetMs(clockMs, s.rate);
        if (!video.seeking && stepMs !== pendingStepMs) {
          pendingStepMs = stepMs;
          seekTo(positionOf(map, stepMs) ?? want);
        }
        report('playing');
        return;
      }
      if (leaveStepGroup) stopStepping();
      // A speed change applies at once; the soft correction only nudges around it.
      if (Math.abs(video.playbackRate / s.rate - 1) > MAX_RATE_ADJUST * 1.01)
        video.playbackRate = s.rate;
      if (!video.seeking) {
        const shown = timeOf(map, video.currentTime);
        const leadS = (ms: number) => positionOf(map, ms) ?? want;
        if (s.seekSeq !== lastSeq || shown === undefined) {
          lastSeq = s.seekSeq;
          seekTo(s.playing ? leadS(seekLeadTarget(clockMs, s.rate, seekLatencyMs ?? 0)) : want);
        } else if (!s.playing) {
          // Paused: show the clock's moment, at the clock's speed.
          if (Math.abs(shown - clockMs) > PAUSED_TOLERANCE_MS) seekTo(want);
        } else if (!video.paused) {
          const a = driftAction(shown, clockMs, s.rate, seekLatencyMs ?? 0);
          if (a.kind === 'seek') seekTo(leadS(a.toMs));
          else if (Math.abs(video.playbackRate - a.playbackRate) > 1e-3 * s.rate)
            video.playbackRate = a.playbackRate;
        }
      }
      if (s.playing && video.paused) video.play().catch(() => {});
      if (!s.playing && !video.paused) video.pause();
      report(s.playing ? 'playing' : 'paused');
    };

    void Promise.all([
      api.getVodPlaylistUrl({ id: cameraId, from: win.from, to: win.to, stream }),
      import('hls.js'),
    ]).then(
      ([{ url }, { default: Hls }]) => {
        if (cancelled) return;
        hls = new Hls({ maxBufferLength: 10, backBufferLength: 30 });
        hls.on(Hls.Events.LEVEL_LOADED, (_e, data) => {
          frags = data.details.fragments;
          if (mapping().length === 0) report('gap');
          sync();
        });
        const h = hls;
        const unsupported = (why: string) => {
          report('unsupported', why);
          video.pause();
          h.destroy();
        };
        hls.on(Hls.Events.BUFFER_CODECS, (_e, data) => {
          const v = data.video;
          if (v && !canDecode(v.container, v.codec)) unsupported(`no decoder for ${v.codec}`);
        });
        hls.on(Hls.Events.ERROR, (_e, data) => {
          if (HLS_CODEC_ERRORS.has(data.details))
            return unsupported(`${data.type}: ${data.details}`);
          if (!data.fatal) return;
          // An empty window answers 404 / an empty playlist: nothing recorded around here.
          if (data.details === Hls.ErrorDetails.MANIFEST_LOAD_ERROR) report('gap');
          else report('error', `${data.type}: ${data.details}`);
        });
        hls.loadSource(url);
        hls.attachMedia(video);
      },
      (e: unknown) => report('error', e instanceof Error ? e.message : String(e)),
    );
    const unsubscribe = timeStore.subscribe(sync);
    return () => {
      cancelled = true;
      unsubscribe();
      video.removeEventListener('seeked', onSeeked);
      leaveGroup();
      stopStepping();
      hls?.destroy();
      video.removeAttribute('src');
    };
  }, [api, cameraId, stream, win]);

  return (
    <>
      <video
        ref={videoRef}
        className="tile-media"
        data-testid="playback-video"
        data-from={win.from}
        data-to={win.to}
        muted
        playsInline
      />
      {/* Stepping (8× and faster): the step every tile shows at once. */}
      <canvas
        ref={stepRef}
        className="tile-media"
        data-testid="playback-step"
        style={{ visibility: 'hidden' }}
      />
    </>
  );
}
