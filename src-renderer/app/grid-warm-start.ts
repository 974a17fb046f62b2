// Starts the first grid's live sessions ahead of its first render (features/live warm start): the offers
// are made now, and sent the moment the camera list has filled the grid (and the saved view the app was
// left on, if any, has been applied), from inside that store update, before React renders it. Once, at
// start; from then on each tile starts its own session.
import type { Transport } from '../api';
import { LiveWarmStart, type LiveStreamRef, type WarmStartOptions } from '../features/live';
import { rememberedViewId } from '../features/views';
import { camerasStore, currentSpec, layoutStore, viewsStore } from '../stores';

export interface GridWarmStartStores {
  cameras: typeof camerasStore;
  layout: typeof layoutStore;
  views: typeof viewsStore;
}

/** More tiles than this start when they mount (a 5×5 grid would make 25 offers before knowing why). */
const MAX_WARM_TILES = 16;

/** Returns a function that stops waiting and closes what nobody claimed. */
export function warmStartGrid(
  api: Transport,
  stores: GridWarmStartStores = { cameras: camerasStore, layout: layoutStore, views: viewsStore },
  options: WarmStartOptions & { viewId?: string | null } = {},
): () => void {
  const { viewId = rememberedViewId(), ...warmOptions } = options;
  const warm = new LiveWarmStart(api, warmOptions);
  warm.prepare(Math.min(currentSpec(stores.layout.getState()).tiles, MAX_WARM_TILES));
  let done = false;
  const finish = (refs: LiveStreamRef[]) => {
    done = true;
    for (const u of unsubscribe) u();
    warm.start(refs);
  };
  const check = () => {
    if (done) return;
    const cams = stores.cameras.getState();
    if (cams.loadState === 'error') return finish([]);
    if (cams.loadState !== 'ready') return;
    const layout = stores.layout.getState();
    // The grid has taken in this camera list (engine-sync's syncCameras follows setCameras).
    const ids = cams.cameras.map((c) => c.id);
    if (layout.knownIds.length !== ids.length || ids.some((id, i) => layout.knownIds[i] !== id))
      return;
    // The view the app was left on is applied when the views arrive: wait for it.
    const views = stores.views.getState();
    if (viewId && (views.loadState === 'idle' || views.loadState === 'loading')) return;
    if (viewId && views.views.some((v) => v.id === viewId) && layout.activeViewId !== viewId)
      return;
    const enabled = new Set(cams.cameras.filter((c) => c.enabled).map((c) => c.id));
    // Tiles show the sub stream; a maximized tile the main stream (camera-tile's rule).
    const maximized = layout.maximizedTile;
    const shown = maximized === null ? layout.tiles : [layout.tiles[maximized] ?? null];
    const stream = maximized === null ? 'sub' : 'main';
    finish(
      shown
        .filter((id): id is string => id !== null && enabled.has(id))
        .map((cameraId) => ({ cameraId, stream })),
    );
  };
  const unsubscribe = [
    stores.cameras.subscribe(check),
    stores.layout.subscribe(check),
    stores.views.subscribe(check),
  ];
  check();
  return () => {
    if (!done) for (const u of unsubscribe) u();
    done = true;
    warm.close();
  };
}
