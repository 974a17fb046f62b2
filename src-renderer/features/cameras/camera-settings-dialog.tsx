// Camera settings: edit name, URLs, credentials, transport, recording and retention (updateCamera with only
// what changed); delete with confirmation. The engine validates; errors are shown in words.
import { useState } from 'react';
import type { Camera } from '../../../src-preload/contract';
import type { Transport } from '../../api';
import { Dialog } from '../../components';
import {
  settingsFormOf,
  settingsFormToTest,
  settingsPatch,
  type SettingsForm,
} from './camera-forms';
import { StreamPreview, useCameraStreamTest } from './stream-preview';
import './cameras.css';

export interface CameraSettingsDialogProps {
  api: Transport;
  camera: Camera;
  onClose(): void;
}

export function CameraSettingsDialog({ api, camera, onClose }: CameraSettingsDialogProps) {
  const [f, setF] = useState<SettingsForm>(() => settingsFormOf(camera));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  // Test the main stream as typed; the engine uses the stored password unless a new one is typed (it
  // never comes back to this window).
  const [testKey, setTestKey] = useState<number | undefined>();
  const testRequest = settingsFormToTest(camera, f);
  const phase = useCameraStreamTest(api, testRequest.ok ? testRequest.value : undefined, testKey);
  const test = () => {
    if (!testRequest.ok) return setError(testRequest.error);
    setError(null);
    setTestKey((n) => (n ?? 0) + 1);
  };
  const set = <K extends keyof SettingsForm>(k: K, v: SettingsForm[K]) =>
    setF((x) => ({ ...x, [k]: v }));

  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      onClose();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setBusy(false);
    }
  };
  const save = () => {
    const r = settingsPatch(camera, f);
    if (!r.ok) return setError(r.error);
    if (Object.keys(r.value).length === 0) return onClose();
    void run(() => api.updateCamera({ id: camera.id, patch: r.value }));
  };

  const footer = (
    <>
      {confirmDelete ? (
        <button
          className="btn danger"
          disabled={busy}
          onClick={() => void run(() => api.deleteCamera({ id: camera.id }))}
        >
          Delete {camera.name} for good
        </button>
      ) : (
        <button className="btn ghost" onClick={() => setConfirmDelete(true)}>
          Delete…
        </button>
      )}
      <span className="spacer" />
      <button className="btn primary" disabled={busy} onClick={save}>
        Save
      </button>
    </>
  );

  return (
    <Dialog title={`Camera settings — ${camera.name}`} onClose={onClose} footer={footer}>
      <div className="cams settings">
        <label>
          Name
          <input value={f.name} onChange={(e) => set('name', e.target.value)} />
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={f.enabled}
            onChange={(e) => set('enabled', e.target.checked)}
          />
          Enabled (record and show live)
        </label>
        <label>
          Main stream URL
          <input value={f.mainUrl} onChange={(e) => set('mainUrl', e.target.value)} />
        </label>
        <label>
          Sub stream URL
          <input
            value={f.subUrl}
            placeholder="none"
            onChange={(e) => set('subUrl', e.target.value)}
          />
        </label>
        <div className="form-grid">
          <label>
            User
            <input value={f.username} onChange={(e) => set('username', e.target.value)} />
          </label>
          <label>
            Password
            <input
              type="password"
              value={f.password}
              placeholder={camera.hasPassword ? 'unchanged' : 'none'}
              onChange={(e) => set('password', e.target.value)}
            />
          </label>
          <label>
            Transport
            <select
              value={f.transport}
              onChange={(e) => set('transport', e.target.value as SettingsForm['transport'])}
            >
              <option value="auto">auto</option>
              <option value="tcp">TCP</option>
              <option value="udp">UDP</option>
            </select>
          </label>
          <label>
            Recording
            <select
              value={f.mode}
              onChange={(e) => set('mode', e.target.value as SettingsForm['mode'])}
            >
              <option value="continuous">continuous</option>
              <option value="off">off</option>
            </select>
          </label>
          <label>
            Keep recordings (days)
            <input
              type="number"
              min={1}
              max={3650}
              value={f.retentionDays}
              onChange={(e) => set('retentionDays', Number(e.target.value))}
            />
          </label>
        </div>
        <StreamPreview phase={phase} />
        <div className="row-buttons">
          <button
            className="btn"
            disabled={phase.kind === 'testing'}
            onClick={test}
            title={
              camera.hasPassword && f.password === ''
                ? 'Connect to the main stream with the stored password and show a picture'
                : 'Connect to the main stream and show a picture'
            }
          >
            {phase.kind === 'testing' ? 'Testing…' : 'Test'}
          </button>
        </div>
        {confirmDelete && (
          <div className="form-warn">
            Deleting removes the camera; its recordings age out with retention.
          </div>
        )}
        {error && (
          <div className="form-error" role="alert">
            {error}
          </div>
        )}
      </div>
    </Dialog>
  );
}
