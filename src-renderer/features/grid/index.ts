// Camera grid feature: the centre pane of tiles. Public API of features/grid.
export { CameraGrid } from './camera-grid';
export type { CameraGridProps } from './camera-grid';
export { CAMERA_DRAG_TYPE, TILE_DRAG_TYPE } from './camera-tile';
export { fitGrid } from './fit-grid';
export type { FitInput, FitResult } from './fit-grid';
export { LayoutPicker } from './layout-picker';
