// The timeline's hover preview: a thumbnail of the hovered camera at the hovered time, with that time
// (tenths). Fetches the URL after the pointer rests briefly; shows nothing over gaps.
import { useEffect, useState } from 'react';
import type { Transport } from '../../api';
import { formatTimeTenths } from '../../components';

const REST_MS = 150;
const QUANTUM_MS = 2_000;

export interface HoverThumbProps {
  api: Transport;
  cameraId: string;
  cameraName: string;
  timeMs: number;
  recorded: boolean;
  leftPx: number;
}

export function HoverThumb({
  api,
  cameraId,
  cameraName,
  timeMs,
  recorded,
  leftPx,
}: HoverThumbProps) {
  const [url, setUrl] = useState<string | null>(null);
  const q = Math.floor(timeMs / QUANTUM_MS) * QUANTUM_MS;
  useEffect(() => {
    setUrl(null);
    if (!recorded) return;
    let cancelled = false;
    const t = setTimeout(() => {
      void api.getThumbnailUrl({ id: cameraId, time: q, width: 192 }).then(
        (r) => !cancelled && setUrl(r.url),
        () => {},
      );
    }, REST_MS);
    return () => {
      cancelled = true;
      clearTimeout(t);
    };
  }, [api, cameraId, q, recorded]);
  return (
    <div className="tl-thumb" style={{ left: leftPx }} data-testid="timeline-thumb">
      {recorded ? (
        url ? (
          <img src={url} alt={`${cameraName} at ${formatTimeTenths(timeMs)}`} />
        ) : (
          <div className="ph" />
        )
      ) : (
        <div className="ph">no recording</div>
      )}
      <div className="cap">
        {cameraName} · {formatTimeTenths(timeMs)}
      </div>
    </div>
  );
}
