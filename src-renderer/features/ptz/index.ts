// PTZ: the pad (directions, zoom, home, presets) and its tile overlay. Public API of features/ptz.
export { PtzPad, usePtzInfo } from './ptz-pad';
export type { PtzPadProps } from './ptz-pad';
export { PtzOverlay } from './ptz-overlay';
export { keyAction, velocityOf, PAD_GRID, MOVE_TIMEOUT_MS, MOVE_REFRESH_MS } from './ptz-moves';
export type { PtzAction, PtzDirection, PtzVelocity } from './ptz-moves';
