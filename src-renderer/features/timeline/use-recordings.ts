// Recorded ranges of the timeline's cameras for the visible window (with a margin), refetched when the
// window moves and every 10 s while live. Failures leave a row empty (hatched = nothing known). Also
// returns the window the ranges cover (previous/next recording needs to know its edges).
import { useEffect, useRef, useState } from 'react';
import type { TimeRange } from '../../../src-preload/contract';
import type { Transport } from '../../api';

const REFRESH_MS = 10_000;
const DEBOUNCE_MS = 250;

export interface LoadedRanges {
  ranges: Record<string, TimeRange[]>;
  /** The window the ranges were fetched for (fromMs = toMs = 0 before the first answer). */
  fromMs: number;
  toMs: number;
}

export function useRecordings(
  api: Transport,
  cameraIds: readonly string[],
  startMs: number,
  spanMs: number,
  live: boolean,
): LoadedRanges {
  const [loaded, setLoaded] = useState<LoadedRanges>({ ranges: {}, fromMs: 0, toMs: 0 });
  const key = cameraIds.join(',');
  // Quantize the window so a following-live window does not refetch on every tick.
  const quantum = Math.max(60_000, spanMs / 8);
  const from = Math.floor((startMs - spanMs / 2) / quantum) * quantum;
  const to = Math.ceil((startMs + spanMs * 1.5) / quantum) * quantum;
  const [refresh, setRefresh] = useState(0);
  const disabled = useRef(false);
  const noTimeline = useRef(false);

  useEffect(() => {
    if (!live) return;
    const t = setInterval(() => setRefresh((n) => n + 1), REFRESH_MS);
    return () => clearInterval(t);
  }, [live]);

  useEffect(() => {
    if (disabled.current || key === '') return;
    let cancelled = false;
    const timer = setTimeout(() => {
      const ids = key.split(',');
      const fromMs = Math.max(0, from);
      const done = (next: Record<string, TimeRange[]>) =>
        !cancelled && setLoaded({ ranges: next, fromMs, toMs: to });
      // One getTimeline for every row; per-camera listRecordings when the engine has no timeline.
      const perCamera = () =>
        Promise.allSettled(
          ids.map((id) => api.listRecordings({ id, from: fromMs, to, stream: 'main' })),
        ).then((results) => {
          const next: Record<string, TimeRange[]> = {};
          results.forEach((r, i) => {
            const id = ids[i]!;
            if (r.status === 'fulfilled') next[id] = r.value.ranges;
            else if ((r.reason as { kind?: string }).kind === 'not_implemented')
              disabled.current = true;
          });
          done(next);
        });
      void (noTimeline.current
        ? perCamera()
        : api.getTimeline({ cameraIds: ids, from: fromMs, to }).then(
            (tl) => {
              const next: Record<string, TimeRange[]> = {};
              for (const st of tl.streams) next[st.cameraId] = st.ranges;
              done(next);
            },
            () => {
              noTimeline.current = true;
              return perCamera();
            },
          ));
    }, DEBOUNCE_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [api, key, from, to, refresh]);

  return loaded;
}
