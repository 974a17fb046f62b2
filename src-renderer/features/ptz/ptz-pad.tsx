// The PTZ pad of a camera: eight directions and zoom with press-and-hold continuous moves (stop on
// release; every move carries a timeout and is refreshed while held), home, presets (go, save).
// Arrow keys and +/- move only while the pad has focus, so they never reach the timeline's shortcuts.
import {
  useCallback,
  useEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type MouseEvent,
  type PointerEvent,
} from 'react';
import type { PtzInfo, PtzPreset } from '../../../src-preload/contract';
import type { Transport } from '../../api';
import {
  ARROWS,
  MOVE_REFRESH_MS,
  MOVE_TIMEOUT_MS,
  PAD_GRID,
  keyAction,
  velocityOf,
  type PtzAction,
} from './ptz-moves';
import './ptz.css';

const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Loads what the camera's PTZ supports; `undefined` while loading, `null` when it has none. */
export function usePtzInfo(api: Transport, cameraId: string): PtzInfo | null | undefined {
  const [info, setInfo] = useState<PtzInfo | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    api.getPtz({ id: cameraId }).then(
      (i) => live && setInfo(i.supported ? i : null),
      () => live && setInfo(null),
    );
    return () => {
      live = false;
    };
  }, [api, cameraId]);
  return info;
}

export interface PtzPadProps {
  api: Transport;
  cameraId: string;
  info: PtzInfo;
  /** Saving presets is for administrators; viewers still move the camera. Default true. */
  canSavePresets?: boolean;
}

export function PtzPad({ api, cameraId, info, canSavePresets = true }: PtzPadProps) {
  const [speed, setSpeed] = useState(0.5);
  const [active, setActive] = useState<PtzAction | null>(null);
  const [presets, setPresets] = useState<PtzPreset[]>(info.presets);
  const [preset, setPreset] = useState(info.presets[0]?.token ?? '');
  const [newName, setNewName] = useState('');
  const [message, setMessage] = useState<{ tone: 'ok' | 'bad'; text: string } | null>(null);
  const held = useRef<{ action: PtzAction; timer: ReturnType<typeof setInterval> } | null>(null);
  const speedRef = useRef(speed);
  speedRef.current = speed;

  const fail = useCallback((e: unknown) => setMessage({ tone: 'bad', text: errText(e) }), []);

  const stop = useCallback(() => {
    const h = held.current;
    if (!h) return;
    clearInterval(h.timer);
    held.current = null;
    setActive(null);
    api.ptzStop({ id: cameraId }).catch(fail);
  }, [api, cameraId, fail]);

  const start = useCallback(
    (action: PtzAction) => {
      if (held.current?.action === action) return;
      if (held.current) clearInterval(held.current.timer);
      const send = () =>
        api
          .ptzMove({
            id: cameraId,
            ...velocityOf(action, speedRef.current),
            timeoutMs: MOVE_TIMEOUT_MS,
          })
          .catch(fail);
      held.current = { action, timer: setInterval(send, MOVE_REFRESH_MS) };
      setActive(action);
      setMessage(null);
      void send();
    },
    [api, cameraId, fail],
  );

  // Never leave a camera moving: stop when the pad goes away or the window loses focus.
  useEffect(() => {
    window.addEventListener('blur', stop);
    return () => {
      window.removeEventListener('blur', stop);
      stop();
    };
  }, [stop]);

  const holdProps = (action: PtzAction) => ({
    onPointerDown: (e: PointerEvent<HTMLButtonElement>) => {
      if (e.button !== 0) return;
      e.currentTarget.setPointerCapture?.(e.pointerId);
      start(action);
    },
    onPointerUp: stop,
    onPointerCancel: stop,
    onLostPointerCapture: stop,
    onPointerLeave: stop,
    onContextMenu: (e: MouseEvent) => e.preventDefault(),
    'data-active': active === action ? 'true' : undefined,
  });

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement) return;
    const action = keyAction(e.key);
    if (!action) return;
    e.preventDefault();
    e.stopPropagation();
    if (!e.repeat) start(action);
  };
  const onKeyUp = (e: KeyboardEvent<HTMLDivElement>) => {
    if (!keyAction(e.key)) return;
    e.preventDefault();
    e.stopPropagation();
    stop();
  };

  const home = () =>
    api.ptzHome({ id: cameraId }).then(() => setMessage({ tone: 'ok', text: 'Going home' }), fail);
  const goto = () =>
    preset &&
    api.gotoPtzPreset({ id: cameraId, token: preset }).then(
      () =>
        setMessage({
          tone: 'ok',
          text: `Going to ${presets.find((p) => p.token === preset)?.name ?? preset}`,
        }),
      fail,
    );
  const save = async () => {
    const name = newName.trim();
    if (!name) return setMessage({ tone: 'bad', text: 'Name the preset first.' });
    try {
      const saved = await api.setPtzPreset({ id: cameraId, name });
      const list = await api.listPtzPresets({ id: cameraId }).catch(() => ({
        presets: [...presets.filter((p) => p.token !== saved.token), saved],
      }));
      setPresets(list.presets);
      setPreset(saved.token);
      setNewName('');
      setMessage({ tone: 'ok', text: `Saved “${saved.name}”` });
    } catch (e) {
      fail(e);
    }
  };

  return (
    <div
      className="ptz-pad"
      data-testid="ptz-pad"
      tabIndex={0}
      aria-label="PTZ controls: arrow keys move, + and − zoom"
      onKeyDown={onKeyDown}
      onKeyUp={onKeyUp}
      onClick={(e) => e.stopPropagation()}
      onDoubleClick={(e) => e.stopPropagation()}
    >
      <div className="ptz-grid">
        {PAD_GRID.map((cell) =>
          cell === 'home' ? (
            <button
              key={cell}
              className="ptz-btn home"
              disabled={!info.home}
              aria-label="Home position"
              title="Home position"
              onClick={() => void home()}
            >
              ⌂
            </button>
          ) : (
            <button
              key={cell}
              className="ptz-btn"
              aria-label={`Move ${cell.replace('-', ' ')}`}
              data-dir={cell}
              {...holdProps(cell)}
            >
              {ARROWS[cell]}
            </button>
          ),
        )}
      </div>
      <div className="ptz-zoom">
        <button className="ptz-btn" aria-label="Zoom out" data-dir="out" {...holdProps('out')}>
          −
        </button>
        <input
          type="range"
          min={0.1}
          max={1}
          step={0.1}
          value={speed}
          aria-label="Speed"
          title={`Speed ${Math.round(speed * 100)} %`}
          onChange={(e) => setSpeed(Number(e.target.value))}
        />
        <button className="ptz-btn" aria-label="Zoom in" data-dir="in" {...holdProps('in')}>
          +
        </button>
      </div>
      <div className="ptz-presets">
        <select
          aria-label="Presets"
          value={preset}
          onChange={(e) => setPreset(e.target.value)}
          disabled={presets.length === 0}
        >
          {presets.length === 0 && <option value="">No presets</option>}
          {presets.map((p) => (
            <option key={p.token} value={p.token}>
              {p.name}
            </option>
          ))}
        </select>
        <button className="btn small" disabled={!preset} onClick={() => void goto()}>
          Go
        </button>
      </div>
      {canSavePresets && (
        <form
          className="ptz-presets"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <input
            value={newName}
            placeholder="New preset name"
            aria-label="New preset name"
            maxLength={64}
            onChange={(e) => setNewName(e.target.value)}
          />
          <button className="btn small" type="submit">
            Save
          </button>
        </form>
      )}
      {message && (
        <div className="ptz-msg" data-tone={message.tone} role="status">
          {message.text}
        </div>
      )}
    </div>
  );
}
