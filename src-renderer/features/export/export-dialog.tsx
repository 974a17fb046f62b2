// The export panel, docked beside the grid (not modal: the timeline stays usable) while the timeline
// shows the range with two handles (the time store's `selection`): start/end inputs and preset lengths
// move the handles and the handles move the inputs; cameras with estimated sizes and a total; one job per
// camera with progress from `export.progress` events (polled as a fallback), cancel, and a download link.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ExportJob } from '../../../src-preload/contract';
import type { Transport } from '../../api';
import { formatSpan } from '../../components';
import { timeStore, useCameras, useLayout, useTime } from '../../stores';
import {
  EXPORT_PRESETS_MS,
  defaultExportRange,
  estimateSizes,
  formatBytes,
  fromLocalInput,
  presetRange,
  rangeProblem,
  toLocalInput,
  upsertJob,
  type ExportRange,
} from './export-range';
import { useRecordedMs } from './use-recorded-ms';
import './export.css';

export function ExportDialog({ api, onClose }: { api: Transport; onClose(): void }) {
  const cameras = useCameras((s) => s.cameras);
  const statuses = useCameras((s) => s.statuses);
  const tiles = useLayout((s) => s.tiles);
  // The range lives in the time store so the timeline draws (and drags) it; opening shows it there.
  const [initial] = useState<ExportRange>(() => {
    const t = timeStore.getState();
    return t.selection ?? defaultExportRange(t.mode, t.playheadMs, Date.now());
  });
  useEffect(() => {
    timeStore.getState().setSelection(initial, true);
    return () => timeStore.getState().setSelection(null);
  }, [initial]);
  const range = useTime((s) => s.selection) ?? initial;
  const setRange = useCallback((r: ExportRange) => timeStore.getState().setSelection(r, true), []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.stopPropagation();
      onClose();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [onClose]);
  const [picked, setPicked] = useState<Set<string>>(() => {
    const inView = tiles.filter((id): id is string => id !== null);
    return new Set(inView.length > 0 ? inView : cameras.map((c) => c.id));
  });
  const [jobs, setJobs] = useState<ExportJob[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [urls, setUrls] = useState<Record<string, string>>({});
  const names = useMemo(() => new Map(cameras.map((c) => [c.id, c.name])), [cameras]);
  const cameraIds = useMemo(() => cameras.map((c) => c.id), [cameras]);
  const recordedMs = useRecordedMs(api, cameraIds, range);
  const sizes = useMemo(
    () =>
      estimateSizes(
        cameras.map((c) => ({
          id: c.id,
          recordedMs: recordedMs?.[c.id]?.recordedMs ?? 0,
          recordedBytes: recordedMs?.[c.id]?.recordedBytes,
          bitrateKbps: recordedMs ? statuses[c.id]?.streams.main?.bitrateKbps : undefined,
        })),
      ),
    [cameras, statuses, recordedMs],
  );
  const pickedTotal = [...picked].reduce((a, id) => a + (sizes.bytes[id] ?? 0), 0);
  const sizeKnown = [...picked].some((id) => sizes.bytes[id] !== undefined);

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
    <>
      <span className="ex-total" data-testid="export-total">
        {sizeKnown ? `about ${formatBytes(pickedTotal)} in total` : ''}
      </span>
      <button
        className="btn primary"
        disabled={problem !== null}
        data-testid="export-start"
        onClick={() => void start()}
      >
        Export {picked.size > 1 ? `${picked.size} cameras` : ''}
      </button>
      <button className="btn" onClick={onClose}>
        Close
      </button>
    </>
  );

  return (
    <div className="dialog ex-dock" role="dialog" aria-modal="false" aria-label="Export">
      <div className="dialog-head">
        <h2>Export</h2>
        <button className="btn small icon ghost" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      <div className="dialog-body export">
        <p className="ex-hint">Drag the handles on the timeline, or type the times.</p>
        <div className="ex-row">
          <label>
            From
            <input
              type="datetime-local"
              step={1}
              aria-label="From"
              value={toLocalInput(range.from)}
              onChange={(e) => {
                const from = fromLocalInput(e.target.value);
                if (Number.isFinite(from) && from < range.to) setRange({ ...range, from });
              }}
            />
          </label>
          <label>
            To
            <input
              type="datetime-local"
              step={1}
              aria-label="To"
              value={toLocalInput(range.to)}
              onChange={(e) => {
                const to = fromLocalInput(e.target.value);
                if (Number.isFinite(to) && to > range.from) setRange({ ...range, to });
              }}
            />
          </label>
        </div>
        <div className="ex-presets" role="group" aria-label="Length">
          {EXPORT_PRESETS_MS.map((ms) => (
            <button
              key={ms}
              className={`btn small ${range.to - range.from === ms ? 'on' : ''}`}
              onClick={() => setRange(presetRange(range, ms, Date.now()))}
            >
              {formatSpan(ms)}
            </button>
          ))}
          <span className="ex-len" data-testid="export-length">
            {problem ?? formatSpan(range.to - range.from)}
          </span>
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
              <span className="ex-cam-name">{c.name}</span>
              <span className="ex-size" data-testid="export-size" data-camera-id={c.id}>
                {sizes.bytes[c.id] === undefined ? '' : `≈ ${formatBytes(sizes.bytes[c.id]!)}`}
              </span>
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
      <div className="dialog-foot">{footer}</div>
    </div>
  );
}
