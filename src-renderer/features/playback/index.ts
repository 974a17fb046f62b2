// Playback: the tile's recorded-video player and the wall-clock mapping it uses. Public API of features/playback.
export { PlaybackVideo } from './playback-video';
export type { PlaybackState, PlaybackVideoProps } from './playback-video';
export {
  VOD_HALF_WINDOW_MS,
  nextFragmentStart,
  positionOf,
  timeOf,
  vodWindow,
  windowHolds,
} from './vod-time';
export type { FragmentTime, VodWindow } from './vod-time';
export { groupHoldMs } from './sync-group';
