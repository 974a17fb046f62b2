// One grid tile: camera name, state in words, stream facts; what is wrong and a button to fix it.
// Live video arrives in a later issue (the tile-video layer is where the <video> goes).
import { memo, useState, type CSSProperties, type DragEvent } from 'react';
import type { Camera, CameraStatus } from '../../../src-preload/contract';
import { describeStatus, streamFacts } from '../../stores';
import { IconCamera, IconPlus, IconWarning, StateDot } from '../../components';

export const CAMERA_DRAG_TYPE = 'application/x-nvr-camera';

export interface CameraTileProps {
  index: number;
  camera: Camera | undefined;
  status: CameraStatus | undefined;
  selected: boolean;
  maximized: boolean;
  style: CSSProperties;
  onSelect(index: number): void;
  onToggleMaximize(index: number): void;
  onDropCamera(index: number, cameraId: string): void;
  onOpenSettings(cameraId: string): void;
  onAddCamera(): void;
}

export const CameraTile = memo(function CameraTile(props: CameraTileProps) {
  const { index, camera, status, selected, maximized, style } = props;
  const [dropping, setDropping] = useState(false);

  const dragProps = {
    onDragOver: (e: DragEvent) => {
      if (!e.dataTransfer.types.includes(CAMERA_DRAG_TYPE)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'move';
      setDropping(true);
    },
    onDragLeave: () => setDropping(false),
    onDrop: (e: DragEvent) => {
      setDropping(false);
      const id = e.dataTransfer.getData(CAMERA_DRAG_TYPE);
      if (id) {
        e.preventDefault();
        props.onDropCamera(index, id);
      }
    },
  };

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
          <div className="sub">Drag a camera here</div>
          {index === 0 && (
            <button className="btn small" onClick={props.onAddCamera}>
              <IconPlus size={12} /> Add camera
            </button>
          )}
        </div>
      </div>
    );
  }

  const words = describeStatus(status, camera.enabled);
  const stream = status?.streams.sub ?? status?.streams.main;
  const facts = words.tone === 'ok' ? streamFacts(stream) : [];

  return (
    <div
      className={cls}
      style={style}
      data-testid="tile"
      data-camera-id={camera.id}
      data-state={status?.state ?? 'unknown'}
      aria-label={`${camera.name}: ${words.label}`}
      {...dragProps}
      onClick={() => props.onSelect(index)}
      onDoubleClick={() => props.onToggleMaximize(index)}
    >
      <div className="tile-video" />
      <div className="tile-head">
        <span className="name">{camera.name}</span>
        <span className="state" data-tone={words.tone} data-testid="tile-state">
          <StateDot tone={words.tone} label={words.label} />
          {facts.length > 0 ? facts.slice(0, 2).join(' · ') : words.label}
        </span>
      </div>
      <TileCenter words={words} onFix={() => props.onOpenSettings(camera.id)} />
      <div className="tile-foot">
        <span>{facts.length > 2 ? facts.slice(2).join(' · ') : ''}</span>
        <span>{maximized ? 'main stream · Esc to return' : ''}</span>
      </div>
    </div>
  );
});

function TileCenter({ words, onFix }: { words: ReturnType<typeof describeStatus>; onFix(): void }) {
  if (words.tone === 'ok') {
    return (
      <div className="tile-center">
        <IconCamera size={22} className="glyph" />
        <div className="sub">No video player in this build</div>
      </div>
    );
  }
  if (words.tone === 'busy' || words.tone === 'warn') {
    return (
      <div className="tile-center">
        <div className="spinner" />
        <div className="big">{capitalize(words.label)}…</div>
        {words.hint && <div className="sub">{words.hint}</div>}
      </div>
    );
  }
  if (words.tone === 'bad') {
    return (
      <div className="tile-center bad">
        <IconWarning size={22} />
        <div className="big">{capitalize(words.label)}</div>
        {words.hint && <div className="sub">{words.hint}</div>}
        {words.fixInSettings && (
          <button
            className="btn small"
            onClick={(e) => {
              e.stopPropagation();
              onFix();
            }}
          >
            Open settings
          </button>
        )}
      </div>
    );
  }
  return (
    <div className="tile-center">
      <IconCamera size={22} className="glyph" />
      <div className="big">{capitalize(words.label)}</div>
      {words.hint && <div className="sub">{words.hint}</div>}
    </div>
  );
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
