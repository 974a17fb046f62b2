// PTZ on a grid tile: when the camera supports PTZ, a toggle button and the pad over the video.
// The tile (features/grid) places it only on the maximized tile; "save preset" shows to admins only.
import { useState } from 'react';
import type { Transport } from '../../api';
import { useIsAdmin } from '../../stores';
import { PtzPad, usePtzInfo } from './ptz-pad';

export function PtzOverlay({
  api,
  cameraId,
  canSavePresets,
}: {
  api: Transport;
  cameraId: string;
  canSavePresets?: boolean;
}) {
  const info = usePtzInfo(api, cameraId);
  // Viewers move the camera; saving presets is for administrators (the engine enforces it too).
  const isAdmin = useIsAdmin();
  const [open, setOpen] = useState(true);
  if (!info) return null;
  return (
    <div
      className="ptz-overlay"
      data-open={open}
      onClick={(e) => e.stopPropagation()}
      onDoubleClick={(e) => e.stopPropagation()}
    >
      <button
        className="ptz-toggle"
        aria-expanded={open}
        aria-label={open ? 'Hide PTZ controls' : 'Show PTZ controls'}
        title="Pan, tilt, zoom"
        onClick={() => setOpen((o) => !o)}
      >
        PTZ {open ? '▾' : '▸'}
      </button>
      {open && (
        <PtzPad
          api={api}
          cameraId={cameraId}
          info={info}
          canSavePresets={canSavePresets ?? isAdmin}
        />
      )}
    </div>
  );
}
