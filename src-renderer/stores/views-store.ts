// Saved views as the engine has them (listViews + `views.changed`): a list and its load state.
// State only: features/views loads and writes through the API and feeds this store.
import { createStore } from 'zustand/vanilla';
import type { NvrEvent, View } from '../../src-preload/contract';
import { naturalCompare } from './natural-compare';

export interface ViewsState {
  views: View[];
  loadState: 'idle' | 'loading' | 'ready' | 'error';
  loadError: string | null;
  setViews(views: View[]): void;
  /** A view the engine saved (new or replaced). */
  upsert(view: View): void;
  remove(id: string): void;
  setLoadError(message: string): void;
  /** Applies `views.changed`; returns true when the event was about views. */
  applyEvent(event: NvrEvent): boolean;
}

/** Views by name, the way pickers list them. */
export function sortedViews(views: readonly View[]): View[] {
  return [...views].sort((a, b) => naturalCompare(a.name, b.name));
}

export function createViewsStore() {
  return createStore<ViewsState>()((set) => ({
    views: [],
    loadState: 'idle',
    loadError: null,
    setViews: (views) => set({ views, loadState: 'ready', loadError: null }),
    upsert: (view) =>
      set((s) => {
        const at = s.views.findIndex((v) => v.id === view.id);
        if (at < 0) return { views: [...s.views, view] };
        const views = s.views.slice();
        views[at] = view;
        return { views };
      }),
    remove: (id) => set((s) => ({ views: s.views.filter((v) => v.id !== id) })),
    setLoadError: (message) => set({ loadState: 'error', loadError: message }),
    applyEvent: (event) => {
      if (event.type !== 'views.changed') return false;
      set({ views: event.payload.views, loadState: 'ready', loadError: null });
      return true;
    },
  }));
}

export type ViewsStore = ReturnType<typeof createViewsStore>;
