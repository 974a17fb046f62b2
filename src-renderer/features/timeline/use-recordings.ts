// Recorded ranges of the timeline's cameras for the visible window (with a margin), refetched when the
// window moves and every 10 s while live. A failed fetch (engine restarting, network) keeps what is
// already known and retries soon on the normal path (getTimeline); per-camera listRecordings is used
// only when the engine says it has no timeline (`not_implemented`). Times leave here as integers.
// Also returns the window the ranges cover (previous/next recording needs to know its edges).
import { useEffect, useRef, useState } from 'react';
import type { TimeRange } from '../../../src-preload/contract';
import type { Transport } from '../../api';

const REFRESH_MS = 10_000;
const DEBOUNCE_MS = 250;
/** After a failed fetch: the next try (doubling up to the live refresh period). */
const RETRY_MIN_MS = 1_000;

export interface LoadedRanges {
  ranges: Record<string, TimeRange[]>;
  /** The window the ranges were fetched for (fromMs = toMs = 0 before the first answer). */
  fromMs: number;
  toMs: number;
  /** The last fetch failed: the ranges shown are from an earlier answer. */
  stale?: boolean;
}

/** The fetch window for a view: quantized (a following-live window does not refetch on every tick), integer ms. */
export function recordingsWindow(startMs: number, spanMs: number): { from: number; to: number } {
  const quantum = Math.round(Math.max(60_000, spanMs / 8));
  const from = Math.floor((startMs - spanMs / 2) / quantum) * quantum;
  const to = Math.ceil((startMs + spanMs * 1.5) / quantum) * quantum;
  return { from: Math.max(0, Math.round(from)), to: Math.round(to) };
}

/** Merges a new answer over the known ranges: rows the answer lacks (failed) keep what they had. */
function mergeRanges(
  prev: Record<string, TimeRange[]>,
  next: Record<string, TimeRange[]>,
): Record<string, TimeRange[]> {
  return { ...prev, ...next };
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
  const { from, to } = recordingsWindow(startMs, spanMs);
  const [refresh, setRefresh] = useState(0);
  const disabled = useRef(false);
  const noTimeline = useRef(false);
  const failures = useRef(0);

  useEffect(() => {
    if (!live) return;
    const t = setInterval(() => setRefresh((n) => n + 1), REFRESH_MS);
    return () => clearInterval(t);
  }, [live]);

  useEffect(() => {
    if (disabled.current || key === '') return;
    let cancelled = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const failed = () => {
      if (cancelled) return;
      setLoaded((l) => (l.stale ? l : { ...l, stale: true }));
      const delay = Math.min(REFRESH_MS, RETRY_MIN_MS * 2 ** failures.current++);
      retry = setTimeout(() => setRefresh((n) => n + 1), delay);
    };
    const done = (next: Record<string, TimeRange[]>) => {
      if (cancelled) return;
      failures.current = 0;
      setLoaded((l) => ({ ranges: mergeRanges(l.ranges, next), fromMs: from, toMs: to }));
    };
    const timer = setTimeout(() => {
      const ids = key.split(',');
      // Per-camera listRecordings only for an engine without a timeline.
      const perCamera = () =>
        Promise.allSettled(
          ids.map((id) => api.listRecordings({ id, from, to, stream: 'main' })),
        ).then((results) => {
          const next: Record<string, TimeRange[]> = {};
          let anyFailed = false;
          results.forEach((r, i) => {
            const id = ids[i]!;
            if (r.status === 'fulfilled') next[id] = r.value.ranges;
            else if ((r.reason as { kind?: string }).kind === 'not_implemented')
              disabled.current = true;
            else anyFailed = true;
          });
          done(next);
          if (anyFailed) failed();
        });
      void (noTimeline.current
        ? perCamera()
        : api.getTimeline({ cameraIds: ids, from, to }).then(
            (tl) => {
              const next: Record<string, TimeRange[]> = {};
              const seen = new Set<string>();
              for (const id of ids) next[id] = [];
              // The main stream's ranges when the engine lists both streams of a camera.
              for (const st of tl.streams) {
                if (seen.has(st.cameraId) && st.stream !== 'main') continue;
                seen.add(st.cameraId);
                next[st.cameraId] = st.ranges;
              }
              done(next);
            },
            (err: unknown) => {
              if ((err as { kind?: string }).kind !== 'not_implemented') return failed();
              noTimeline.current = true;
              return perCamera();
            },
          ));
    }, DEBOUNCE_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
      clearTimeout(retry);
    };
  }, [api, key, from, to, refresh]);

  return loaded;
}
