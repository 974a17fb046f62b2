// A live <video> of one camera stream: WebRTC through WhepClient, live HLS (hls.js, imported on demand:
// only the fallback needs it) when WebRTC fails.
// Mounting starts the session; unmounting (or a new camera/stream: callers key on them) DELETEs it.
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type Hls from 'hls.js';
import type { Transport } from '../../api';
import { claimWarmLive } from './warm-start';
import { WhepClient, type WhepHandlers, type WhepState } from './whep-client';

export type LivePlayerState = WhepState | 'hls';

export interface LiveVideoProps {
  api: Transport;
  cameraId: string;
  stream: 'main' | 'sub';
  onState(state: LivePlayerState, detail?: string): void;
}

export function LiveVideo({ api, cameraId, stream, onState }: LiveVideoProps) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const [fallback, setFallback] = useState(false);
  const onStateRef = useRef(onState);
  onStateRef.current = onState;

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
    let client = claimWarmLive(api, { cameraId, stream }, handlers);
    if (!client) {
      client = new WhepClient({
        cameraId,
        stream,
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
  }, [api, cameraId, stream, fallback]);

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
          hls = new Hls({ liveSyncDurationCount: 2 });
          hls.on(Hls.Events.ERROR, (_e, data) => {
            if (data.fatal) onStateRef.current('reconnecting', `${data.type}: ${data.details}`);
          });
          hls.loadSource(url);
          hls.attachMedia(video);
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
      data-transport={fallback ? 'hls' : 'webrtc'}
      muted
      autoPlay
      playsInline
    />
  );
}
