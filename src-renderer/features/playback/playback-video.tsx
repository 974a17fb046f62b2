// A playback <video> of one camera following the shared clock (the time store's playhead): loads the
// VOD playlist of a window around the playhead with hls.js (loaded on demand: a chunk of its own, out of
// the main bundle) and seeks by EXT-X-PROGRAM-DATE-TIME.
import { useEffect, useRef, useState } from 'react';
import type Hls from 'hls.js';
import type { Transport } from '../../api';
import { timeStore } from '../../stores';
import { HLS_CODEC_ERRORS, canDecode } from '../live';
import {
  needsResync,
  positionOf,
  vodWindow,
  windowHolds,
  type FragmentTime,
  type VodWindow,
} from './vod-time';

/** `unsupported`: the browser has no decoder for the recording's codec (H.265 in most browsers). */
export type PlaybackState = 'loading' | 'playing' | 'paused' | 'gap' | 'error' | 'unsupported';

export interface PlaybackVideoProps {
  api: Transport;
  cameraId: string;
  stream: 'main' | 'sub';
  onState(state: PlaybackState, detail?: string): void;
}

export function PlaybackVideo({ api, cameraId, stream, onState }: PlaybackVideoProps) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const [win, setWin] = useState<VodWindow>(() =>
    vodWindow(timeStore.getState().playheadMs, Date.now()),
  );
  const onStateRef = useRef(onState);
  onStateRef.current = onState;

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    let frags: FragmentTime[] = [];
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

    const sync = () => {
      const s = timeStore.getState();
      if (s.mode !== 'playback' || frags.length === 0 || lastState === 'unsupported') return;
      if (!windowHolds(win, s.playheadMs, Date.now())) {
        setWin(vodWindow(s.playheadMs, Date.now()));
        return;
      }
      const want = positionOf(frags, s.playheadMs);
      if (want === undefined) {
        if (!video.paused) video.pause();
        report('gap');
        return;
      }
      if (video.playbackRate !== s.rate) video.playbackRate = s.rate;
      const seeked = s.seekSeq !== lastSeq;
      if (!video.seeking && (seeked || needsResync(video.currentTime, want, s.rate))) {
        lastSeq = s.seekSeq;
        video.currentTime = want;
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
          frags = data.details.fragments
            .filter((f) => f.programDateTime !== null)
            .map((f) => ({ startMs: f.programDateTime!, startS: f.start, durationS: f.duration }));
          if (frags.length === 0) report('gap');
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
      hls?.destroy();
      video.removeAttribute('src');
    };
  }, [api, cameraId, stream, win]);

  return (
    <video
      ref={videoRef}
      className="tile-media"
      data-testid="playback-video"
      data-from={win.from}
      data-to={win.to}
      muted
      playsInline
    />
  );
}
