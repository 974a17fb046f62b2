// Public API of the renderer's state: the store factories (for tests), the app-wide store instances and
// React hooks over them. State only: no API calls, no DOM.
import { useStore } from 'zustand';
import { createCamerasStore, type CamerasState } from './cameras-store';
import { createLayoutStore, type LayoutState } from './layout-store';
import { createTimeStore, type TimeState } from './time-store';
import { createConnectionStore, type ConnectionState } from './connection-store';
import { canAdminister, createSessionStore, type SessionState } from './session-store';
import { createViewsStore, type ViewsState } from './views-store';
import { createFramesStore, type FramesState } from './frames-store';

export { createCamerasStore, filterCameras } from './cameras-store';
export type { CamerasState, CamerasStore, LoadState } from './cameras-store';
export {
  createLayoutStore,
  currentSpec,
  LAYOUTS,
  layoutSpec,
  MAX_CUSTOM_SIDE,
  pageCount,
} from './layout-store';
export type {
  GridSize,
  LayoutId,
  LayoutSpec,
  LayoutState,
  LayoutStore,
  ViewArrangement,
} from './layout-store';
export { createViewsStore, sortedViews } from './views-store';
export type { ViewsState, ViewsStore } from './views-store';
export {
  createTimeStore,
  clockAt,
  playheadAt,
  clampSpan,
  MIN_SPAN_MS,
  MAX_SPAN_MS,
  LIVE_EDGE,
  PLAYBACK_RATES,
} from './time-store';
export type { TimeMode, TimeSelection, TimeState, TimeStore } from './time-store';
export { createConnectionStore } from './connection-store';
export type { ConnectionState, ConnectionStore, EngineLink } from './connection-store';
export {
  createSessionStore,
  canAdminister,
  canLogOut,
  loadSession,
  userLabel,
} from './session-store';
export type { SessionIdentity, SessionState, SessionStore } from './session-store';
export { countLive, createFramesStore } from './frames-store';
export type { FramesState, FramesStore, LiveCounts } from './frames-store';
export { describeStatus, healthWords, streamFacts, formatBitrate, reasonOf } from './status-words';
export type { HealthWords } from './status-words';
export type { StatusTone, StatusWords } from './status-words';

/** The app's store instances (one window = one set). Tests create their own with the factories. */
export const camerasStore = createCamerasStore();
export const layoutStore = createLayoutStore();
export const timeStore = createTimeStore();
export const connectionStore = createConnectionStore();
export const sessionStore = createSessionStore();
export const viewsStore = createViewsStore();
export const framesStore = createFramesStore();

export const useCameras = <T>(select: (s: CamerasState) => T): T => useStore(camerasStore, select);
export const useLayout = <T>(select: (s: LayoutState) => T): T => useStore(layoutStore, select);
export const useTime = <T>(select: (s: TimeState) => T): T => useStore(timeStore, select);
export const useConnection = <T>(select: (s: ConnectionState) => T): T =>
  useStore(connectionStore, select);
export const useSession = <T>(select: (s: SessionState) => T): T => useStore(sessionStore, select);
/** True when the window's user may change settings (admin). */
export const useIsAdmin = (): boolean => useStore(sessionStore, canAdminister);
export const useViews = <T>(select: (s: ViewsState) => T): T => useStore(viewsStore, select);
export const useFrames = <T>(select: (s: FramesState) => T): T => useStore(framesStore, select);
export { naturalCompare } from './natural-compare';
