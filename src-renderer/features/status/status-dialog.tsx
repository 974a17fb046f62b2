// The status panel (⚙): disk bar with the days-left forecast at current rates, per-camera bitrate, fps,
// resolution, uptime and reconnects, engine CPU and memory. Polls GET /api/system every 2 s while open.
import { useEffect, useState } from 'react';
import type { SystemInfo } from '../../../src-preload/contract';
import type { Transport } from '../../api';
import { Dialog, formatSpan } from '../../components';
import {
  describeStatus,
  formatBitrate,
  healthWords,
  useCameras,
  useConnection,
  useSession,
} from '../../stores';
import { cameraReconnects, cameraUptimeMs, daysAtRate, formatDays } from './system-math';
import './status.css';

const gb = (b: number) => `${(b / 1e9).toFixed(1)} GB`;

export function StatusDialog({ api, onClose }: { api: Transport; onClose(): void }) {
  const [info, setInfo] = useState<SystemInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const cameras = useCameras((s) => s.cameras);
  const statuses = useCameras((s) => s.statuses);
  const transport = useConnection((s) => s.transport);
  const tlsFingerprint = useSession((s) => s.identity?.tlsFingerprint);

  useEffect(() => {
    let stop = false;
    const load = () =>
      api.getSystem(undefined).then(
        (i) => !stop && (setInfo(i), setError(null)),
        (e: unknown) => !stop && setError(e instanceof Error ? e.message : String(e)),
      );
    void load();
    const t = setInterval(() => void load(), 2_000);
    return () => {
      stop = true;
      clearInterval(t);
    };
  }, [api]);

  const totalKbps = info?.cameras.reduce((a, c) => a + c.bitrateKbps, 0) ?? 0;
  const kbpsOf = new Map(info?.cameras.map((c) => [c.id, c.bitrateKbps]));
  const d = info?.disk;
  const used = d ? d.totalBytes - d.freeBytes : 0;

  return (
    <Dialog title="Status" onClose={onClose}>
      <div className="status" data-testid="status-panel">
        {error && <div className="form-error">{error}</div>}
        {!info && !error && <div>Loading…</div>}
        {info && d && (
          <>
            <section>
              <h3>Disk</h3>
              <div className="disk-bar" aria-label="Disk use">
                <span
                  className="rec"
                  style={{ width: `${(100 * d.recordingsBytes) / d.totalBytes}%` }}
                />
                <span
                  className="other"
                  style={{
                    width: `${(100 * Math.max(0, used - d.recordingsBytes)) / d.totalBytes}%`,
                  }}
                />
              </div>
              <div className="disk-legend">
                <span>
                  <i className="rec" /> recordings {gb(d.recordingsBytes)}
                </span>
                <span>
                  <i className="other" /> other {gb(Math.max(0, used - d.recordingsBytes))}
                </span>
                <span>free {gb(d.freeBytes)}</span>
              </div>
              <p className="forecast" data-testid="disk-forecast">
                Holds {formatDays(daysAtRate(d, totalKbps))} at current rates (
                {formatBitrate(totalKbps)}
                ).
              </p>
            </section>
            <section>
              <h3>Cameras</h3>
              <div className="table-scroll">
                <table data-testid="camera-status-table">
                  <thead>
                    <tr>
                      <th>Camera</th>
                      <th className="hide-narrow">State</th>
                      <th>Bitrate</th>
                      <th>Main</th>
                      <th className="hide-narrow">Sub</th>
                      <th>Uptime</th>
                      <th title="Times the engine reconnected to the camera since it started">
                        Reconnects
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {cameras.map((c) => {
                      const s = statuses[c.id];
                      const fmt = (k: 'main' | 'sub') => {
                        const x = s?.streams[k];
                        if (!x) return '—';
                        return [
                          x.width && x.height ? `${x.width}×${x.height}` : '',
                          x.fps !== undefined ? `${Math.round(x.fps)} fps` : '',
                          x.codec === 'h265' ? 'H.265' : x.codec === 'h264' ? 'H.264' : '',
                        ]
                          .filter(Boolean)
                          .join(' · ');
                      };
                      const uptimeMs = cameraUptimeMs(s);
                      const reconnects = cameraReconnects(s);
                      const health = healthWords(s);
                      return (
                        <tr key={c.id} data-camera={c.id}>
                          <td>{c.name}</td>
                          <td className="hide-narrow">
                            {describeStatus(s, c.enabled).label}
                            {health && (
                              <div className={`health ${health.tone}`} data-testid="status-health">
                                {health.hint}
                              </div>
                            )}
                          </td>
                          <td data-col="bitrate">{formatBitrate(kbpsOf.get(c.id) ?? 0)}</td>
                          <td>{fmt('main')}</td>
                          <td className="hide-narrow">{fmt('sub')}</td>
                          <td data-col="uptime">
                            {uptimeMs !== undefined ? formatSpan(uptimeMs) : '—'}
                          </td>
                          <td data-col="reconnects" className={reconnects ? 'warn' : ''}>
                            {reconnects ?? '—'}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            </section>
            <section className="engine">
              <h3>Engine</h3>
              <dl>
                <dt>Version</dt>
                <dd>{info.version}</dd>
                <dt>Uptime</dt>
                <dd>{formatSpan(info.uptimeMs)}</dd>
                <dt>CPU</dt>
                <dd>
                  {info.cpu.percent.toFixed(0)} % of {info.cpu.cores} cores
                </dd>
                <dt>Memory</dt>
                <dd>
                  {gb(info.memory.rssBytes)} engine ·{' '}
                  {gb(info.memory.totalBytes - info.memory.freeBytes)} of{' '}
                  {gb(info.memory.totalBytes)} used
                </dd>
                <dt>Link</dt>
                <dd>{transport === 'ipc' ? 'Desktop (IPC)' : 'Browser (HTTP + WebSocket)'}</dd>
                {tlsFingerprint && (
                  <>
                    <dt>TLS certificate</dt>
                    <dd className="tls-fingerprint" data-testid="status-tls">
                      SHA-256 {tlsFingerprint}
                    </dd>
                  </>
                )}
              </dl>
            </section>
          </>
        )}
      </div>
    </Dialog>
  );
}
