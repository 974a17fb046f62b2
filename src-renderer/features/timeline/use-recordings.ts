// Recorded ranges of the timeline's cameras for the visible window (with a margin), refetched when the
// window moves and every 10 s while live. Failures leave a row empty (hatched = nothing known).
import { useEffect, useRef, useState } from 'react';
import type { TimeRange } from '../../../src-preload/contract';
import type { Transport } from '../../api';

const REFRESH_MS = 10_000;
const DEBOUNCE_MS = 250;

export function useRecordings(
  api: Transport,
  cameraIds: readonly string[],
  startMs: number,
  spanMs: number,
  live: boolean,
) {
  const [ranges, setRanges] = useState<Record<string, TimeRange[]>>({});
  const key = cameraIds.join(',');
  // Quantize the window so a following-live window does not refetch on every tick.
  const quantum = Math.max(60_000, spanMs / 8);
  const from = Math.floor((startMs - spanMs / 2) / quantum) * quantum;
  const to = Math.ceil((startMs + spanMs * 1.5) / quantum) * quantum;
  const [refresh, setRefresh] = useState(0);
  const disabled = useRef(false);

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
      void Promise.allSettled(
        ids.map((id) => api.listRecordings({ id, from: Math.max(0, from), to, stream: 'main' })),
      ).then((results) => {
        if (cancelled) return;
        const next: Record<string, TimeRange[]> = {};
        results.forEach((r, i) => {
          const id = ids[i]!;
          if (r.status === 'fulfilled') next[id] = r.value.ranges;
          else if ((r.reason as { kind?: string }).kind === 'not_implemented')
            disabled.current = true;
        });
        setRanges(next);
      });
    }, DEBOUNCE_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [api, key, from, to, refresh]);

  return ranges;
}
