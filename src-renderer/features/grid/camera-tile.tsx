// One grid tile: the camera's live (WebRTC, sub stream; main when maximized) or playback video, its name,
// state in words, stream facts on hover; what is wrong and a button to fix it.
import { memo, useCallback, useEffect, useState, type CSSProperties, type DragEvent } from 'react';
import type { Camera, CameraStatus } from '../../../src-preload/contract';
import type { Transport } from '../../api';
import {
  describeStatus,
  healthWords,
  framesStore,
  streamFacts,
  useIsAdmin,
  useTime,
  type StatusWords,
} from '../../stores';
import {
  IconCamera,
  IconGear,
  IconPlus,
  IconWarning,
  StateDot,
  formatTimeTenths,
} from '../../components';
import { LiveVideo, type LivePlayerState, type LiveVia } from '../live';
import { PlaybackVideo, type PlaybackState } from '../playback';
import { PtzOverlay } from '../ptz';
import { TileCenter, UnsupportedCenter } from './tile-center';

export const CAMERA_DRAG_TYPE = 'application/x-nvr-camera';
/** A tile being dragged onto another: the data is the source tile's index. */
export const TILE_DRAG_TYPE = 'application/x-nvr-tile';

export interface CameraTileProps {
  api: Transport;
  index: number;
  camera: Camera | undefined;
  status: CameraStatus | undefined;
  selected: boolean;
  maximized: boolean;
  /** False in wall mode: no dragging, no gear, no "add camera". */
  chrome: boolean;
  style: CSSProperties;
  onSelect(index: number): void;
  onToggleMaximize(index: number): void;
  onDropCamera(index: number, cameraId: string): void;
  onSwapTiles(from: number, to: number): void;
  /** Absent for viewers (admin-only controls hidden). */
  onOpenSettings?(cameraId: string): void;
  onAddCamera?(): void;
}

type PlayerState = LivePlayerState | PlaybackState;

/** The tile's words when its camera is fine: what the player is doing (`codec`: 'H.265', for words). */
export function playerWords(
  state: PlayerState,
  mode: 'live' | 'playback',
  codec?: string,
): StatusWords {
  const w = (
    tone: StatusWords['tone'],
    label: string,
    hint: string | null = null,
  ): StatusWords => ({
    tone,
    label,
    hint,
    fixInSettings: false,
  });
  switch (state) {
    case 'live':
      return w('ok', 'live');
    case 'hls':
      return w('ok', 'live (HLS)');
    case 'playing':
      return w('ok', 'playback');
    case 'paused':
      return w('idle', 'paused');
    case 'gap':
      return w('idle', 'no recording', 'Nothing was recorded at this time.');
    case 'error':
      return w('bad', 'playback error');
    case 'unsupported':
      return w(
        'bad',
        `can't decode ${codec ?? 'this codec'}`,
        `This browser can't decode ${codec ?? "this camera's codec"}.`,
      );
    case 'reconnecting':
      return w('warn', 'reconnecting');
    case 'loading':
      return w('busy', mode === 'playback' ? 'loading' : 'connecting');
    default:
      return w('busy', 'connecting');
  }
}

/** Words of a frozen live picture: no new frame since `sinceMs`. */
export function staleWords(sinceMs: number): StatusWords {
  return {
    tone: 'warn',
    label: 'stale',
    hint: `No new picture since ${formatTimeTenths(sinceMs)}: what you see is frozen.`,
    fixInSettings: false,
  };
}

export const CameraTile = memo(function CameraTile(props: CameraTileProps) {
  const { index, camera, status, selected, maximized, style } = props;
  const [dropping, setDropping] = useState(false);
  const admin = useIsAdmin(); // PTZ presets are saved by admins; everyone may move the camera
  const mode = useTime((s) => s.mode);
  const [player, setPlayer] = useState<{ state: PlayerState; detail?: string }>({
    state: 'connecting',
  });
  // How live reaches this tile: the user picks the transcode or HLS after an "unsupported codec".
  const [via, setVia] = useState<LiveVia>('webrtc');
  // Wall-clock ms of the last frame while the live picture is frozen (null: moving, or not live).
  const [staleSinceMs, setStaleSinceMs] = useState<number | null>(null);
  const cameraId = camera?.id;
  useEffect(() => {
    if (!cameraId) return;
    framesStore.getState().setStale(cameraId, staleSinceMs);
    return () => framesStore.getState().setStale(cameraId, null);
  }, [cameraId, staleSinceMs]);
  const onPlayer = useCallback(
    (state: PlayerState, detail?: string) => setPlayer({ state, detail }),
    [],
  );

  const accepts = (e: DragEvent) =>
    props.chrome &&
    (e.dataTransfer.types.includes(CAMERA_DRAG_TYPE) ||
      e.dataTransfer.types.includes(TILE_DRAG_TYPE));
  const dragProps = {
    onDragOver: (e: DragEvent) => {
      if (!accepts(e)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'move';
      setDropping(true);
    },
    onDragLeave: () => setDropping(false),
    onDrop: (e: DragEvent) => {
      setDropping(false);
      if (!props.chrome) return;
      const id = e.dataTransfer.getData(CAMERA_DRAG_TYPE);
      const from = e.dataTransfer.getData(TILE_DRAG_TYPE);
      if (id) {
        e.preventDefault();
        props.onDropCamera(index, id);
      } else if (/^\d+$/.test(from)) {
        e.preventDefault();
        props.onSwapTiles(Number(from), index);
      }
    },
  };
  // A tile with a camera drags onto another tile to swap the two.
  const dragSource =
    props.chrome && !maximized && camera !== undefined
      ? {
          draggable: true,
          onDragStart: (e: DragEvent) => {
            e.dataTransfer.setData(TILE_DRAG_TYPE, String(index));
            e.dataTransfer.effectAllowed = 'move';
          },
        }
      : {};

  const cls = [
    'tile',
    selected ? 'selected' : '',
    dropping ? 'drop-target' : '',
    camera ? '' : 'empty',
  ]
    .filter(Boolean)
    .join(' ');

  if (!camera) {
    return (
      <div
        className={cls}
        style={style}
        data-testid="tile"
        data-empty="true"
        {...dragProps}
        onClick={() => props.onSelect(index)}
      >
        <div className="tile-center">
          <IconCamera size={22} className="glyph" />
          {props.chrome && <div className="sub">Drag a camera here</div>}
          {index === 0 && props.chrome && props.onAddCamera && (
            <button className="btn small" onClick={props.onAddCamera}>
              <IconPlus size={12} /> Add camera
            </button>
          )}
        </div>
      </div>
    );
  }

  const camWords = describeStatus(status, camera.enabled);
  const streamName = maximized ? 'main' : 'sub';
  // Live needs a camera that is not known to be down (it starts before the first status arrives: the
  // offer is on the critical path of the first frame); playback works whatever its state now.
  const canLive = camera.enabled && camWords.tone !== 'bad';
  const showPlayer = mode === 'playback' || canLive;
  const stream = maximized
    ? (status?.streams.main ?? status?.streams.sub)
    : (status?.streams.sub ?? status?.streams.main);
  const codecName =
    stream?.codec === 'h265' ? 'H.265' : stream?.codec === 'h264' ? 'H.264' : undefined;
  const liveStale =
    mode === 'live' && staleSinceMs !== null && (player.state === 'live' || player.state === 'hls');
  const words = liveStale
    ? staleWords(staleSinceMs)
    : showPlayer && (mode === 'playback' || camWords.tone === 'ok')
      ? playerWords(player.state, mode, codecName)
      : camWords;
  const unsupported = showPlayer && player.state === 'unsupported';
  const facts = camWords.tone === 'ok' ? streamFacts(stream) : [];
  const playing = words.tone === 'ok';
  // A stream that plays but loses frames (or records nothing decodable) says so next to its state.
  const health = mode === 'live' && camWords.tone === 'ok' ? healthWords(status) : null;

  return (
    <div
      className={cls}
      style={style}
      data-testid="tile"
      data-camera-id={camera.id}
      data-state={status?.state ?? 'unknown'}
      data-player={showPlayer ? player.state : 'none'}
      aria-label={`${camera.name}: ${words.label}`}
      {...dragProps}
      {...dragSource}
      onClick={() => props.onSelect(index)}
      onDoubleClick={() => props.onToggleMaximize(index)}
    >
      <div className="tile-video">
        {showPlayer && mode === 'live' && (
          <LiveVideo
            key={`live:${camera.id}:${streamName}:${via}`}
            api={props.api}
            cameraId={camera.id}
            stream={streamName}
            via={via}
            onState={onPlayer}
            onStale={setStaleSinceMs}
            {...(stream?.fps && stream.fps < 1 ? { staleAfterMs: 2_500 / stream.fps } : {})}
          />
        )}
        {mode === 'playback' && (
          <PlaybackVideo
            key={`vod:${camera.id}:${streamName}`}
            api={props.api}
            cameraId={camera.id}
            stream={streamName}
            onState={onPlayer}
          />
        )}
      </div>
      <div className="tile-head">
        <span className="name">{camera.name}</span>
        {facts.length > 0 && (
          <span className="facts" data-testid="tile-facts">
            {facts.join(' · ')}
          </span>
        )}
        <span className="state" data-tone={words.tone} data-testid="tile-state">
          <StateDot tone={words.tone} label={words.label} />
          {mode === 'playback' && playing ? '▶ ' : ''}
          {words.label}
        </span>
        {health && (
          <span
            className="health"
            data-tone={health.tone}
            data-testid="tile-health"
            title={health.hint}
            aria-label={health.hint}
          >
            <IconWarning size={12} />
            {health.label}
          </span>
        )}
        {maximized && props.chrome && (
          <button
            className="tile-gear tile-close"
            aria-label="Close"
            title="Back to the grid (Esc)"
            data-testid="tile-close"
            onClick={(e) => {
              e.stopPropagation();
              props.onToggleMaximize(index);
            }}
            onDoubleClick={(e) => e.stopPropagation()}
          >
            ×
          </button>
        )}
        {props.chrome && props.onOpenSettings && (
          <button
            className="tile-gear"
            aria-label={`Settings of ${camera.name}`}
            title="Camera settings"
            onClick={(e) => {
              e.stopPropagation();
              props.onOpenSettings?.(camera.id);
            }}
            onDoubleClick={(e) => e.stopPropagation()}
          >
            <IconGear size={13} />
          </button>
        )}
      </div>
      {unsupported && (
        <UnsupportedCenter
          words={words}
          detail={player.detail}
          live={mode === 'live'}
          via={via}
          onVia={(v) => {
            setPlayer({ state: 'connecting' });
            setVia(v);
          }}
        />
      )}
      {!playing && !unsupported && (
        <TileCenter
          words={words}
          {...(props.chrome && props.onOpenSettings
            ? { onFix: () => props.onOpenSettings?.(camera.id) }
            : {})}
        />
      )}
      {maximized && props.chrome && mode === 'live' && (
        <PtzOverlay api={props.api} cameraId={camera.id} canSavePresets={admin} />
      )}
      <div className="tile-foot">
        <span>
          {[
            maximized ? 'main stream' : '',
            mode === 'live' && via === 'transcode' ? 'H.264 transcode' : '',
            mode === 'live' && via === 'hls' ? 'live HLS' : '',
            maximized ? 'Esc to return' : '',
          ]
            .filter(Boolean)
            .join(' · ')}
        </span>
        <span>{mode === 'playback' ? 'recorded' : ''}</span>
      </div>
    </div>
  );
});
