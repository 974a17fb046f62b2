// Keeps the views store in step with the engine (listViews on every (re)connect, `views.changed` events),
// restores the view this browser showed last, and re-applies the active view when another client edits it.
import type { View } from '../../../src-preload/contract';
import type { Transport } from '../../api';
import { toApiCallError } from '../../api';
import { layoutStore, viewsStore } from '../../stores';
import { applyView, rememberedViewId } from './view-actions';

/** Starts syncing; returns a function that stops it. */
export function startViewsSync(api: Transport, opts: { restore?: boolean } = {}): () => void {
  let stopped = false;
  let restored = !(opts.restore ?? true);

  const follow = (views: View[]) => {
    const layout = layoutStore.getState();
    if (!restored) {
      restored = true;
      const last = rememberedViewId();
      const view = last ? views.find((v) => v.id === last) : undefined;
      if (view && layout.activeViewId === null) return applyView(view);
    }
    if (layout.activeViewId === null) return;
    const active = views.find((v) => v.id === layout.activeViewId);
    if (!active) layoutStore.setState({ activeViewId: null, viewEdited: false });
    else if (!layout.viewEdited) applyView(active);
  };

  async function load() {
    try {
      const views = await api.listViews();
      if (stopped) return;
      viewsStore.getState().setViews(views);
      follow(views);
    } catch (err) {
      if (!stopped) viewsStore.getState().setLoadError(toApiCallError(err).message);
    }
  }

  const unsubscribe = api.subscribe((event) => {
    if (viewsStore.getState().applyEvent(event)) follow(viewsStore.getState().views);
  });
  const unLink = api.onLink((link) => {
    if (link === 'online') void load();
  });
  void load();
  return () => {
    stopped = true;
    unsubscribe();
    unLink();
  };
}
