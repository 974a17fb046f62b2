// Feeds the stores from the engine: loads cameras and their status, applies events, refetches after the
// event link comes back (events were missed). The only place that moves API data into the stores.
import type { Transport } from '../api';
import { toApiCallError } from '../api';
import { camerasStore, connectionStore, layoutStore } from '../stores';

export interface EngineSyncStores {
  cameras: typeof camerasStore;
  layout: typeof layoutStore;
  connection: typeof connectionStore;
}

/** Starts syncing; returns a function that stops it (unsubscribes, closes nothing it did not open). */
export function startEngineSync(
  api: Transport,
  stores: EngineSyncStores = {
    cameras: camerasStore,
    layout: layoutStore,
    connection: connectionStore,
  },
): () => void {
  let stopped = false;
  let generation = 0;
  /** Newest reload whose results reached the stores: an older one finishing later must not undo it. */
  let applied = 0;
  stores.connection.getState().setTransport(api.kind);

  const syncGrid = () =>
    stores.layout.getState().syncCameras(stores.cameras.getState().cameras.map((c) => c.id));

  async function reload() {
    const gen = ++generation;
    const cams = stores.cameras.getState();
    if (cams.loadState !== 'ready') cams.setLoading();
    try {
      const [health, cameras] = await Promise.all([api.health(), api.listCameras()]);
      // The first load and the one when the event link opens overlap: show whichever lands first (the
      // grid starts its live sessions from it), never an older one after a newer.
      if (stopped || gen < applied) return;
      applied = gen;
      stores.cameras.getState().setCameras(cameras);
      stores.connection.getState().setOnline(health.version);
      syncGrid();
      const statuses = await Promise.allSettled(
        cameras.map((c) => api.getCameraStatus({ id: c.id })),
      );
      if (stopped || gen < applied) return;
      statuses.forEach((r, i) => {
        const cam = cameras[i];
        if (cam && r.status === 'fulfilled') stores.cameras.getState().setStatus(cam.id, r.value);
      });
    } catch (err) {
      if (stopped || gen !== generation) return;
      const e = toApiCallError(err);
      stores.cameras.getState().setLoadError(e.message);
      stores.connection.getState().setOffline(e.message);
    }
  }

  const unsubscribe = api.subscribe((event) => {
    const changed = stores.cameras.getState().applyEvent(event);
    if (changed && (event.type === 'camera.added' || event.type === 'camera.removed')) syncGrid();
  });
  const unLink = api.onLink((link, reason) => {
    if (link === 'online') void reload();
    else if (link === 'offline')
      stores.connection.getState().setOffline(reason ?? 'connection lost');
    else stores.connection.getState().setConnecting();
  });
  void reload();

  return () => {
    stopped = true;
    unsubscribe();
    unLink();
  };
}
