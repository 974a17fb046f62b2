// Pure PTZ pad logic: the eight directions and zoom as velocities, arrow keys as moves, and the refresh
// rule of a held button. No API, no DOM.

export type PtzDirection =
  'up' | 'down' | 'left' | 'right' | 'up-left' | 'up-right' | 'down-left' | 'down-right';
export type PtzZoom = 'in' | 'out';
export type PtzAction = PtzDirection | PtzZoom;

export interface PtzVelocity {
  pan: number;
  tilt: number;
  zoom: number;
}

const VECTORS: Record<PtzAction, [pan: number, tilt: number, zoom: number]> = {
  up: [0, 1, 0],
  down: [0, -1, 0],
  left: [-1, 0, 0],
  right: [1, 0, 0],
  'up-left': [-1, 1, 0],
  'up-right': [1, 1, 0],
  'down-left': [-1, -1, 0],
  'down-right': [1, -1, 0],
  in: [0, 0, 1],
  out: [0, 0, -1],
};

/** The pad's 3×3 grid, row by row; `home` in the middle. */
export const PAD_GRID: readonly (PtzDirection | 'home')[] = [
  'up-left',
  'up',
  'up-right',
  'left',
  'home',
  'right',
  'down-left',
  'down',
  'down-right',
];

export const ARROWS: Record<PtzDirection, string> = {
  up: '↑',
  down: '↓',
  left: '←',
  right: '→',
  'up-left': '↖',
  'up-right': '↗',
  'down-left': '↙',
  'down-right': '↘',
};

/** Velocity of an action at `speed` (0..1], rounded so the request stays short. */
export function velocityOf(action: PtzAction, speed: number): PtzVelocity {
  const s = Math.min(1, Math.max(0.05, speed));
  const [pan, tilt, zoom] = VECTORS[action];
  const r = (v: number) => Math.round(v * s * 100) / 100 || 0;
  return { pan: r(pan), tilt: r(tilt), zoom: r(zoom) };
}

/** The move a key starts while the pad has focus (arrows pan/tilt, +/- zoom); undefined for other keys. */
export function keyAction(key: string): PtzAction | undefined {
  switch (key) {
    case 'ArrowUp':
      return 'up';
    case 'ArrowDown':
      return 'down';
    case 'ArrowLeft':
      return 'left';
    case 'ArrowRight':
      return 'right';
    case '+':
    case '=':
      return 'in';
    case '-':
    case '_':
      return 'out';
    default:
      return undefined;
  }
}

/**
 * Every move carries this timeout, so a camera stops by itself when the stop is lost (tab closed,
 * network gone); a held button repeats the move every REFRESH_MS to keep going.
 */
export const MOVE_TIMEOUT_MS = 2_000;
export const MOVE_REFRESH_MS = 1_200;
