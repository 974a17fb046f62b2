// Recorded time and bytes of each camera inside the export range (one getTimeline with `sizes`,
// debounced while the handles move), for the size estimates: the bytes come from the index (what the
// export will copy), not from the live bitrate. Null until known or when the engine has no timeline.
import { useEffect, useState } from 'react';
import type { Transport } from '../../api';
import type { ExportRange } from './export-range';

const DEBOUNCE_MS = 300;

export interface RecordedInRange {
  recordedMs: number;
  /** Undefined from an engine that does not answer `sizes`. */
  recordedBytes: number | undefined;
}

export function useRecordedMs(
  api: Transport,
  cameraIds: readonly string[],
  range: ExportRange,
): Record<string, RecordedInRange> | null {
  const [recorded, setRecorded] = useState<Record<string, RecordedInRange> | null>(null);
  const key = cameraIds.join(',');
  const { from, to } = range;
  useEffect(() => {
    if (key === '' || !(to > from)) return;
    let cancelled = false;
    const t = setTimeout(() => {
      void api.getTimeline({ cameraIds: key.split(','), from, to, sizes: true }).then(
        (tl) => {
          if (cancelled) return;
          const next: Record<string, RecordedInRange> = {};
          for (const s of tl.streams)
            next[s.cameraId] = { recordedMs: s.recordedMs, recordedBytes: s.recordedBytes };
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
