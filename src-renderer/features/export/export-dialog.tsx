// The export dialog: a range (default the 5 minutes before the playhead, presets), cameras to export,
// one job per camera with progress from `export.progress` events (polled as a fallback), cancel, and a download link when done.
import { useEffect, useMemo, useState } from 'react';
import type { ExportJob } from '../../../src-preload/contract';
import type { Transport } from '../../api';
import { Dialog, formatSpan } from '../../components';
import { timeStore, useCameras, useLayout } from '../../stores';
import {
  EXPORT_PRESETS_MS,
  defaultExportRange,
  formatBytes,
  fromLocalInput,
  rangeProblem,
  toLocalInput,
  upsertJob,
} from './export-range';
import './export.css';

export function ExportDialog({ api, onClose }: { api: Transport; onClose(): void }) {
  const cameras = useCameras((s) => s.cameras);
  const tiles = useLayout((s) => s.tiles);
  const [range, setRange] = useState(() => {
    const t = timeStore.getState();
    return defaultExportRange(t.mode, t.playheadMs, Date.now());
  });
  const [picked, setPicked] = useState<Set<string>>(() => {
    const inView = tiles.filter((id): id is string => id !== null);
    return new Set(inView.length > 0 ? inView : cameras.map((c) => c.id));
  });
  const [jobs, setJobs] = useState<ExportJob[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [urls, setUrls] = useState<Record<string, string>>({});
  const names = useMemo(() => new Map(cameras.map((c) => [c.id, c.name])), [cameras]);

  useEffect(
    () =>
      api.subscribe((e) => {
        if (e.type === 'export.progress')
          setJobs((js) => (js.some((j) => j.id === e.payload.id) ? upsertJob(js, e.payload) : js));
      }),
    [api],
  );
  // Poll unfinished jobs too: events are missed while the event socket reconnects.
  const pending = jobs
    .filter((j) => j.state === 'queued' || j.state === 'running')
    .map((j) => j.id);
  const pendingKey = pending.join(',');
  useEffect(() => {
    if (!pendingKey) return;
    const t = setInterval(() => {
      for (const id of pendingKey.split(','))
        void api.getExport({ id }).then(
          (j) => setJobs((js) => upsertJob(js, j)),
          () => {},
        );
    }, 1_500);
    return () => clearInterval(t);
  }, [api, pendingKey]);
  // Resolve a download URL for every finished job.
  useEffect(() => {
    for (const j of jobs) {
      if (j.state !== 'done' || urls[j.id]) continue;
      const known = j.downloadUrl;
      void (known ? Promise.resolve({ url: known }) : api.getExportFileUrl({ id: j.id })).then(
        ({ url }) => setUrls((u) => ({ ...u, [j.id]: url })),
      );
    }
  }, [api, jobs, urls]);

  const problem = rangeProblem(range, Date.now()) ?? (picked.size === 0 ? 'Pick a camera.' : null);

  const start = async () => {
    setError(null);
    try {
      for (const id of picked) {
        const job = await api.startExport({ cameraIds: [id], from: range.from, to: range.to });
        setJobs((js) => upsertJob(js, job));
      }
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  const footer = (
    <button
      className="btn primary"
      disabled={problem !== null}
      data-testid="export-start"
      onClick={() => void start()}
    >
      Export {picked.size > 1 ? `${picked.size} cameras` : ''}
    </button>
  );

  return (
    <Dialog title="Export" onClose={onClose} footer={footer}>
      <div className="export">
        <div className="ex-row">
          <label>
            From
            <input
              type="datetime-local"
              step={1}
              aria-label="From"
              value={toLocalInput(range.from)}
              onChange={(e) => setRange((r) => ({ ...r, from: fromLocalInput(e.target.value) }))}
            />
          </label>
          <label>
            To
            <input
              type="datetime-local"
              step={1}
              aria-label="To"
              value={toLocalInput(range.to)}
              onChange={(e) => setRange((r) => ({ ...r, to: fromLocalInput(e.target.value) }))}
            />
          </label>
        </div>
        <div className="ex-presets" role="group" aria-label="Length">
          {EXPORT_PRESETS_MS.map((ms) => (
            <button
              key={ms}
              className={`btn small ${range.to - range.from === ms ? 'on' : ''}`}
              onClick={() => setRange((r) => ({ from: r.to - ms, to: r.to }))}
            >
              {formatSpan(ms)}
            </button>
          ))}
          <span className="ex-len">{problem ?? formatSpan(range.to - range.from)}</span>
        </div>
        <fieldset className="ex-cams">
          <legend>Cameras</legend>
          {cameras.map((c) => (
            <label key={c.id}>
              <input
                type="checkbox"
                checked={picked.has(c.id)}
                onChange={(e) =>
                  setPicked((p) => {
                    const n = new Set(p);
                    if (e.target.checked) n.add(c.id);
                    else n.delete(c.id);
                    return n;
                  })
                }
              />
              {c.name}
            </label>
          ))}
        </fieldset>
        {error && (
          <div className="ex-error" role="alert">
            {error}
          </div>
        )}
        {jobs.length > 0 && (
          <ul className="ex-jobs" aria-label="Export jobs">
            {jobs.map((j) => (
              <li key={j.id} data-testid="export-job" data-state={j.state}>
                <span className="ex-name">
                  {j.request.cameraIds.map((id) => names.get(id) ?? id).join(', ')}
                </span>
                <progress max={1} value={j.progress} />
                <span className="ex-state">
                  {j.state === 'failed'
                    ? `failed: ${j.error?.message ?? 'error'}`
                    : `${j.state} · ${formatBytes(j.bytes)}`}
                </span>
                {(j.state === 'running' || j.state === 'queued') && (
                  <button
                    className="btn small"
                    onClick={() =>
                      void api
                        .cancelExport({ id: j.id })
                        .then((x) => setJobs((js) => upsertJob(js, x)))
                    }
                  >
                    Cancel
                  </button>
                )}
                {j.state === 'done' && urls[j.id] && (
                  <a
                    className="btn small primary"
                    href={urls[j.id]}
                    download
                    data-testid="export-download"
                  >
                    Download
                  </a>
                )}
              </li>
            ))}
          </ul>
        )}
      </div>
    </Dialog>
  );
}
