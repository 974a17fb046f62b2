// What the Views picker and the sidebar do with saved views: apply one to the grid, save the grid as a
// view (new, overwrite, rename), delete. Writes go through the API; the views store follows the answers.
import type { View, ViewInput } from '../../../src-preload/contract';
import type { Transport } from '../../api';
import { toApiCallError } from '../../api';
import { camerasStore, currentSpec, layoutStore, viewsStore, type LayoutState } from '../../stores';

const LAST_VIEW_KEY = 'nvr.view';

/** The grid as a saved view's input (pure): layout, custom size, camera per tile. */
export function viewInputOf(
  s: Pick<LayoutState, 'layoutId' | 'custom' | 'tiles'>,
  name: string,
  id?: string,
): ViewInput {
  const spec = currentSpec(s);
  return {
    ...(id !== undefined ? { id } : {}),
    name: name.trim(),
    layout: s.layoutId,
    ...(s.layoutId === 'custom' ? { cols: spec.cols, rows: spec.rows } : {}),
    tiles: s.tiles.slice(0, spec.tiles),
  };
}

function remember(id: string | null): void {
  try {
    if (id) localStorage.setItem(LAST_VIEW_KEY, id);
    else localStorage.removeItem(LAST_VIEW_KEY);
  } catch {
    // storage may be off (private mode): the view just is not restored on reload
  }
}

/** The view applied last in this browser (restored on load), if any. */
export function rememberedViewId(): string | null {
  try {
    return localStorage.getItem(LAST_VIEW_KEY);
  } catch {
    return null;
  }
}

/** Shows a view in the app's grid; missing cameras become empty tiles. */
export function applyView(view: View): void {
  const cams = camerasStore.getState();
  layoutStore
    .getState()
    .applyView(view, cams.loadState === 'ready' ? cams.cameras.map((c) => c.id) : undefined);
  remember(view.id);
}

/** Back to the automatic grid of every camera. */
export function showAllCameras(): void {
  layoutStore.getState().showAllCameras(camerasStore.getState().cameras.map((c) => c.id));
  remember(null);
}

/** Calls the API; resolves to an error message in words, or null when it worked. */
async function attempt(run: () => Promise<unknown>): Promise<string | null> {
  try {
    await run();
    return null;
  } catch (err) {
    const e = toApiCallError(err);
    if (e.kind === 'forbidden' || e.kind === 'unauthorized')
      return 'Only an administrator can change saved views.';
    if (e.kind === 'conflict') return 'A view with this name exists. Pick another name.';
    return e.message;
  }
}

/** Saves the current grid as a new view and makes it the active one. */
export function saveGridAsView(api: Transport, name: string): Promise<string | null> {
  return attempt(async () => {
    const view = await api.saveView(viewInputOf(layoutStore.getState(), name));
    viewsStore.getState().upsert(view);
    layoutStore.setState({ activeViewId: view.id, viewEdited: false });
    remember(view.id);
  });
}

/** Replaces a view's arrangement with the current grid (keeps its name). */
export function overwriteView(api: Transport, view: View): Promise<string | null> {
  return attempt(async () => {
    const saved = await api.saveView(viewInputOf(layoutStore.getState(), view.name, view.id));
    viewsStore.getState().upsert(saved);
    layoutStore.setState({ activeViewId: saved.id, viewEdited: false });
    remember(saved.id);
  });
}

export function renameView(api: Transport, view: View, name: string): Promise<string | null> {
  return attempt(async () => {
    const { id, layout, cols, rows, tiles } = view;
    const saved = await api.saveView({
      id,
      name: name.trim(),
      layout,
      ...(cols !== undefined ? { cols } : {}),
      ...(rows !== undefined ? { rows } : {}),
      tiles,
    });
    viewsStore.getState().upsert(saved);
  });
}

export function deleteView(api: Transport, view: View): Promise<string | null> {
  return attempt(async () => {
    await api.deleteView({ id: view.id });
    viewsStore.getState().remove(view.id);
    if (layoutStore.getState().activeViewId === view.id) {
      layoutStore.setState({ activeViewId: null, viewEdited: false });
      remember(null);
    }
  });
}
