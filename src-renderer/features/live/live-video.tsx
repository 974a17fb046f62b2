// A live <video> of one camera stream: WebRTC through WhepClient, live HLS (hls.js, imported on demand:
// only the fallback needs it) when WebRTC fails.
// Mounting starts the session; unmounting (or a new camera/stream: callers key on them) DELETEs it.
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type Hls from 'hls.js';
import type { Transport } from '../../api';
import { claimWarmLive } from './warm-start';
import { WhepClient, type WhepHandlers, type WhepState } from './whep-client';

export type LivePlayerState = WhepState | 'hls';

/** How live reaches the tile: WebRTC as sent, WebRTC through the engine's H.264 transcode, live HLS. */
export type LiveVia = 'webrtc' | 'transcode' | 'hls';

export interface LiveVideoProps {
  api: Transport;
  cameraId: string;
  stream: 'main' | 'sub';
  /** Default webrtc (live HLS when WebRTC fails). */
  via?: LiveVia;
  onState(state: LivePlayerState, detail?: string): void;
  /**
   * The picture froze (wall-clock ms of the last frame) or moves again (null): no new frame for
   * `staleAfterMs` after frames had been arriving.
   */
  onStale?(lastFrameMs: number | null): void;
  /** Default STALE_AFTER_MS; callers pass more for cameras slower than 1 fps. */
  staleAfterMs?: number;
}

/** A live picture with no new frame for this long is called stale (a guard must not trust it). */
export const STALE_AFTER_MS = 2_000;
const STALE_CHECK_MS = 250;

/** hls.js error details that mean "this browser cannot decode the stream's codec". */
export const HLS_CODEC_ERRORS: ReadonlySet<string> = new Set([
  'manifestIncompatibleCodecsError',
  'bufferAddCodecError',
  'bufferIncompatibleCodecsError',
]);

/** False when the browser's MSE says it cannot play `codec` (e.g. hvc1.* in a Chromium without H.265). */
export function canDecode(container: string | undefined, codec: string | undefined): boolean {
  if (!codec || typeof MediaSource === 'undefined') return true;
  return MediaSource.isTypeSupported(`${container ?? 'video/mp4'}; codecs="${codec}"`);
}

export function LiveVideo(props: LiveVideoProps) {
  const { api, cameraId, stream, via = 'webrtc', onState } = props;
  const videoRef = useRef<HTMLVideoElement>(null);
  const [fallback, setFallback] = useState(via === 'hls');
  const onStateRef = useRef(onState);
  onStateRef.current = onState;
  const onStaleRef = useRef(props.onStale);
  onStaleRef.current = props.onStale;
  const staleAfterMs = props.staleAfterMs ?? STALE_AFTER_MS;

  // Frame freshness: every presented frame (requestVideoFrameCallback; else the decoded-frame count)
  // moves lastFrame; a check every 250 ms calls the picture stale once it stops moving.
  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    let lastFrame = 0; // performance.now() of the last frame; 0 = none yet
    let frames = -1;
    let stale = false;
    let rvfc = 0;
    const fresh = () => {
      lastFrame = performance.now();
      if (stale) {
        stale = false;
        onStaleRef.current?.(null);
      }
    };
    const onFrame = () => {
      fresh();
      rvfc = video.requestVideoFrameCallback(onFrame);
    };
    const hasRvfc = typeof video.requestVideoFrameCallback === 'function';
    if (hasRvfc) rvfc = video.requestVideoFrameCallback(onFrame);
    const timer = setInterval(() => {
      if (!hasRvfc) {
        const n = video.getVideoPlaybackQuality?.().totalVideoFrames ?? 0;
        if (n !== frames) {
          if (frames >= 0 || n > 0) fresh();
          frames = n;
        }
      }
      const idleMs = performance.now() - lastFrame;
      if (lastFrame > 0 && !stale && idleMs > staleAfterMs) {
        stale = true;
        onStaleRef.current?.(Date.now() - idleMs);
      }
    }, STALE_CHECK_MS);
    return () => {
      clearInterval(timer);
      if (hasRvfc) video.cancelVideoFrameCallback(rvfc);
      if (stale) onStaleRef.current?.(null);
    };
  }, [staleAfterMs]);

  // A layout effect: the offer leaves before the browser paints the freshly mounted grid (a passive
  // effect would wait for that paint, which is on the critical path of the first frame).
  useLayoutEffect(() => {
    if (fallback) return;
    const video = videoRef.current;
    if (!video) return;
    const handlers: WhepHandlers = {
      onTrack: (track) => {
        video.srcObject = new MediaStream([track]);
        video.play().catch(() => {});
      },
      onState: (s, detail) => {
        if (s === 'fallback') setFallback(true);
        else onStateRef.current(s, detail);
      },
    };
    // The first grid's sessions were started before it rendered (warm start): take ours over.
    let client = via === 'webrtc' ? claimWarmLive(api, { cameraId, stream }, handlers) : undefined;
    if (!client) {
      client = new WhepClient({
        cameraId,
        stream,
        ...(via === 'transcode' ? { transcode: 'h264' as const } : {}),
        startLive: (input) => api.startLive(input),
        stopLive: (input) => api.stopLive(input),
        ...handlers,
      });
      client.start();
    }
    return () => {
      client.close();
      video.srcObject = null;
    };
  }, [api, cameraId, stream, fallback, via]);

  useEffect(() => {
    if (!fallback) return;
    const video = videoRef.current;
    if (!video) return;
    let hls: Hls | undefined;
    let cancelled = false;
    onStateRef.current('connecting', 'WebRTC unavailable: live HLS');
    void Promise.all([api.getLivePlaylistUrl({ id: cameraId, stream }), import('hls.js')]).then(
      ([{ url }, { default: Hls }]) => {
        if (cancelled) return;
        if (!Hls.isSupported()) {
          video.src = url; // Safari plays HLS natively
        } else {
          const h = new Hls({ liveSyncDurationCount: 2 });
          hls = h;
          const unsupported = (why: string) => {
            onStateRef.current('unsupported', why);
            h.destroy();
          };
          h.on(Hls.Events.BUFFER_CODECS, (_e, data) => {
            const v = data.video;
            if (v && !canDecode(v.container, v.codec)) unsupported(`no decoder for ${v.codec}`);
          });
          h.on(Hls.Events.ERROR, (_e, data) => {
            if (HLS_CODEC_ERRORS.has(data.details)) unsupported(`${data.type}: ${data.details}`);
            else if (data.fatal)
              onStateRef.current('reconnecting', `${data.type}: ${data.details}`);
          });
          h.loadSource(url);
          h.attachMedia(video);
        }
        video.play().catch(() => {});
      },
    );
    const onPlaying = () => onStateRef.current('hls');
    video.addEventListener('playing', onPlaying);
    return () => {
      cancelled = true;
      video.removeEventListener('playing', onPlaying);
      hls?.destroy();
      video.removeAttribute('src');
    };
  }, [api, cameraId, stream, fallback]);

  return (
    <video
      ref={videoRef}
      className="tile-media"
      data-testid="live-video"
      data-transport={fallback ? 'hls' : via}
      muted
      autoPlay
      playsInline
    />
  );
}
