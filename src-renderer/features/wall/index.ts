// Wall mode: the chrome-less, rotating grid for a wall display (`#/wall?view=…&rotate=…&layout=…`), its
// entry popover, and fullscreen helpers. Public API of features/wall.
export { WallScreen } from './wall-screen';
export type { WallScreenProps } from './wall-screen';
export { WallMenu, currentWallHash, enterWall } from './wall-menu';
export {
  WALL_ROUTE,
  isWallHash,
  parseWallHash,
  buildWallHash,
  wallPages,
  pageIndexAt,
  autoLayout,
} from './wall-pages';
export type { WallParams, WallPage } from './wall-pages';
export { toggleFullscreen, enterFullscreen, exitFullscreen, isFullscreen } from './fullscreen';
