// Recorded time of each camera inside the export range (one getTimeline, debounced while the handles
// move), for the size estimates. Null until known or when the engine has no timeline.
import { useEffect, useState } from 'react';
import type { Transport } from '../../api';
import type { ExportRange } from './export-range';

const DEBOUNCE_MS = 300;

export function useRecordedMs(
  api: Transport,
  cameraIds: readonly string[],
  range: ExportRange,
): Record<string, number> | null {
  const [recorded, setRecorded] = useState<Record<string, number> | null>(null);
  const key = cameraIds.join(',');
  const { from, to } = range;
  useEffect(() => {
    if (key === '' || !(to > from)) return;
    let cancelled = false;
    const t = setTimeout(() => {
      void api.getTimeline({ cameraIds: key.split(','), from, to }).then(
        (tl) => {
          if (cancelled) return;
          const next: Record<string, number> = {};
          for (const s of tl.streams) next[s.cameraId] = s.recordedMs;
          setRecorded(next);
        },
        () => !cancelled && setRecorded(null),
      );
    }, DEBOUNCE_MS);
    return () => {
      cancelled = true;
      clearTimeout(t);
    };
  }, [api, key, from, to]);
  return recorded;
}
