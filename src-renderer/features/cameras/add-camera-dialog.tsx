// The add-camera wizard: "Scan" (ONVIF discovery → pick → credentials → probe → profiles → add) and
// "RTSP URL" (name, URLs, credentials → addCamera). Calls the API; the engine validates and adds.
import { useEffect, useState } from 'react';
import type { DiscoveredDevice, MediaProfile, ProbeResult } from '../../../src-preload/contract';
import type { Transport } from '../../api';
import { Dialog } from '../../components';
import {
  deviceAddress,
  deviceLabel,
  deviceName,
  mergeDevice,
  rtspFormToInput,
  rtspFormToTest,
  streamFormat,
  type RtspForm,
} from './camera-forms';
import { StreamPreview, useStreamTest } from './stream-preview';
import './cameras.css';

const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function AddCameraDialog({ api, onClose }: { api: Transport; onClose(): void }) {
  const [tab, setTab] = useState<'scan' | 'rtsp'>('scan');
  return (
    <Dialog title="Add camera" onClose={onClose}>
      <div className="cams">
        <div className="tabs" role="tablist">
          <button role="tab" aria-selected={tab === 'scan'} onClick={() => setTab('scan')}>
            Scan
          </button>
          <button role="tab" aria-selected={tab === 'rtsp'} onClick={() => setTab('rtsp')}>
            RTSP URL
          </button>
        </div>
        {tab === 'scan' ? (
          <ScanTab api={api} onDone={onClose} />
        ) : (
          <RtspTab api={api} onDone={onClose} />
        )}
      </div>
    </Dialog>
  );
}

function ScanTab({ api, onDone }: { api: Transport; onDone(): void }) {
  const [devices, setDevices] = useState<DiscoveredDevice[]>([]);
  const [scanning, setScanning] = useState(false);
  const [host, setHost] = useState('');
  const [port, setPort] = useState(80);
  const [username, setUsername] = useState('admin');
  const [password, setPassword] = useState('');
  const [probe, setProbe] = useState<ProbeResult | null>(null);
  const [main, setMain] = useState<string | undefined>();
  const [sub, setSub] = useState<string | null | undefined>();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [probeCount, setProbeCount] = useState(0);

  useEffect(
    () =>
      api.subscribe((e) => {
        if (e.type === 'discovery.result') setDevices((l) => mergeDevice(l, e.payload.device));
      }),
    [api],
  );

  const scan = async () => {
    setScanning(true);
    setError(null);
    try {
      const r = await api.discover({ timeoutMs: 3_000 });
      setDevices((l) => r.devices.reduce(mergeDevice, l));
    } catch (e) {
      setError(errText(e));
    } finally {
      setScanning(false);
    }
  };
  // Scan once when the tab opens.
  const [scanned, setScanned] = useState(false);
  useEffect(() => {
    if (scanned) return;
    setScanned(true);
    void scan();
  });

  const connect = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.probe({ host, port, username, password });
      setProbe(r);
      setProbeCount((n) => n + 1);
      setMain(r.mainProfile ?? r.profiles[0]?.token);
      setSub(r.subProfile ?? null);
      setName(
        r.name ?? ([r.device.manufacturer, r.device.model].filter(Boolean).join(' ') || host),
      );
    } catch (e) {
      setError(errText(e));
    } finally {
      setBusy(false);
    }
  };

  const add = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.addCameraFromProbe({
        host,
        port,
        username,
        password,
        name: name.trim() || undefined,
        mainProfile: main,
        subProfile: sub,
      });
      onDone();
    } catch (e) {
      setError(errText(e));
      setBusy(false);
    }
  };

  return (
    <div className="scan">
      <div className="scan-head">
        <span>{scanning ? 'Scanning the network…' : `${devices.length} devices found`}</span>
        <button className="btn small" disabled={scanning} onClick={() => void scan()}>
          Scan again
        </button>
      </div>
      <ul className="devices" aria-label="Devices found">
        {devices.map((d) => {
          const address = deviceAddress(d);
          const selected = host === d.host && port === (d.port ?? 80);
          return (
            <li key={address}>
              <button
                className={selected ? 'on' : ''}
                aria-pressed={selected}
                aria-label={d.alreadyAdded ? `${deviceLabel(d)}, added` : deviceLabel(d)}
                data-address={address}
                onClick={() => {
                  setHost(d.host);
                  setPort(d.port ?? 80);
                  setProbe(null);
                }}
              >
                <span className="device-name">{deviceName(d) ?? 'ONVIF device'}</span>
                {d.alreadyAdded && <span className="tag">added</span>}
                <span className="device-address">{address}</span>
              </button>
            </li>
          );
        })}
        {!scanning && devices.length === 0 && (
          <li className="none">No ONVIF devices answered. Enter an address below.</li>
        )}
      </ul>
      <div className="form-grid">
        <label>
          Address
          <input value={host} onChange={(e) => setHost(e.target.value)} placeholder="10.0.0.5" />
        </label>
        <label>
          Port
          <input type="number" value={port} onChange={(e) => setPort(Number(e.target.value))} />
        </label>
        <label>
          User
          <input value={username} onChange={(e) => setUsername(e.target.value)} />
        </label>
        <label>
          Password
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
      </div>
      <button className="btn" disabled={!host || busy} onClick={() => void connect()}>
        {busy && !probe ? 'Connecting…' : 'Connect'}
      </button>
      {probe && (
        <div className="profiles">
          <table>
            <thead>
              <tr>
                <th>Preview</th>
                <th>Profile</th>
                <th>Video</th>
                <th>Main</th>
                <th>Sub</th>
              </tr>
            </thead>
            <tbody>
              {probe.profiles.map((p) => (
                <ProfileRow
                  key={p.token}
                  api={api}
                  profile={p}
                  credentials={{ username, password }}
                  runKey={probeCount}
                  main={main === p.token}
                  sub={sub === p.token}
                  onMain={() => setMain(p.token)}
                  onSub={() => setSub(p.token)}
                />
              ))}
            </tbody>
          </table>
          <label>
            Name
            <input value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <button className="btn primary" disabled={busy || !main} onClick={() => void add()}>
            Add camera
          </button>
        </div>
      )}
      {error && (
        <div className="form-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}

function RtspTab({ api, onDone }: { api: Transport; onDone(): void }) {
  const [f, setF] = useState<RtspForm>({
    name: '',
    mainUrl: '',
    subUrl: '',
    username: '',
    password: '',
  });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [testKey, setTestKey] = useState<number | undefined>();
  const testRequest = rtspFormToTest(f);
  const phase = useStreamTest(api, testRequest.ok ? testRequest.value : undefined, testKey);
  const test = () => {
    if (!testRequest.ok) return setError(testRequest.error);
    setError(null);
    setTestKey((n) => (n ?? 0) + 1);
  };
  const field = (key: keyof RtspForm, label: string, type = 'text', placeholder = '') => (
    <label>
      {label}
      <input
        type={type}
        value={f[key]}
        placeholder={placeholder}
        onChange={(e) => setF((x) => ({ ...x, [key]: e.target.value }))}
      />
    </label>
  );
  const add = async () => {
    const r = rtspFormToInput(f);
    if (!r.ok) return setError(r.error);
    setBusy(true);
    setError(null);
    try {
      await api.addCamera(r.value);
      onDone();
    } catch (e) {
      setError(errText(e));
      setBusy(false);
    }
  };
  return (
    <div className="rtsp">
      {field('name', 'Name', 'text', 'Front door')}
      {field('mainUrl', 'Main stream URL', 'text', 'rtsp://10.0.0.5:554/stream1')}
      {field('subUrl', 'Sub stream URL (optional)', 'text', 'rtsp://10.0.0.5:554/stream2')}
      <div className="form-grid">
        {field('username', 'User')}
        {field('password', 'Password', 'password')}
      </div>
      <StreamPreview phase={phase} />
      <div className="row-buttons">
        <button
          className="btn"
          disabled={phase.kind === 'testing'}
          onClick={test}
          title="Connect to the main stream and show a picture"
        >
          {phase.kind === 'testing' ? 'Testing…' : 'Test'}
        </button>
        <button className="btn primary" disabled={busy} onClick={() => void add()}>
          Add camera
        </button>
      </div>
      {error && (
        <div className="form-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}

/** One probed profile: its picture (snapshot URI, else a frame of its stream), format and main/sub choice. */
function ProfileRow(props: {
  api: Transport;
  profile: MediaProfile;
  credentials: { username: string; password: string };
  runKey: number;
  main: boolean;
  sub: boolean;
  onMain(): void;
  onSub(): void;
}) {
  const { profile: p, credentials } = props;
  const request = p.rtspUrl
    ? {
        url: p.rtspUrl,
        ...(credentials.username ? credentials : {}),
        ...(p.snapshotUrl ? { snapshotUrl: p.snapshotUrl } : {}),
        width: 320,
      }
    : undefined;
  const phase = useStreamTest(props.api, request, request ? props.runKey : undefined);
  return (
    <tr data-profile={p.token}>
      <td className="thumb-cell">
        {request ? (
          <StreamPreview phase={phase} compact />
        ) : (
          <span className="muted">no stream</span>
        )}
      </td>
      <td>{p.name}</td>
      <td>{streamFormat(p)}</td>
      <td>
        <input
          type="radio"
          name="main"
          aria-label={`${p.name} as main stream`}
          checked={props.main}
          onChange={props.onMain}
        />
      </td>
      <td>
        <input
          type="radio"
          name="sub"
          aria-label={`${p.name} as sub stream`}
          checked={props.sub}
          onChange={props.onSub}
        />
      </td>
    </tr>
  );
}
