// Saved views feature: the top bar's Views picker, the sidebar's list, the engine→store sync, and the
// actions (apply, save, rename, overwrite, delete). Public API of features/views.
export { ViewsMenu, layoutLabel } from './views-menu';
export { ViewsList } from './views-list';
export { startViewsSync } from './views-sync';
export {
  applyView,
  showAllCameras,
  saveGridAsView,
  overwriteView,
  renameView,
  deleteView,
  viewInputOf,
  rememberedViewId,
} from './view-actions';
export { usePopover } from './use-popover';
