// The views sync against a fake transport: loads on start, follows `views.changed`, re-applies the active
// view when another client edits it, and lets go of a view another client deleted (keeping the grid).
import { describe, expect, it } from 'vitest';
import type { NvrEvent, View } from '../../../src-preload/contract';
import type { Transport } from '../../api';
import { layoutStore, viewsStore } from '../../stores';
import { testView } from '../../stores/testing';
import { startViewsSync } from './views-sync';

const view = (id: string, tiles: (string | null)[]): View => testView(id, { tiles });

function fakeApi(initial: View[]) {
  const listeners = new Set<(e: NvrEvent) => void>();
  const api = {
    listViews: async () => initial,
    subscribe: (l: (e: NvrEvent) => void) => (listeners.add(l), () => listeners.delete(l)),
    onLink: () => () => undefined,
  } as unknown as Transport;
  const emit = (views: View[]) => {
    for (const l of listeners) l({ type: 'views.changed', payload: { views } });
  };
  return { api, emit, listeners };
}

describe('views sync', () => {
  it('loads views, follows views.changed, re-applies the active view unless edited here', async () => {
    const { api, emit, listeners } = fakeApi([view('a', ['x', null])]);
    const stop = startViewsSync(api, { restore: false });
    await expect.poll(() => viewsStore.getState().views.map((v) => v.id)).toEqual(['a']);

    layoutStore.getState().applyView(view('a', ['x', null]));
    emit([view('a', ['y', 'x'])]);
    expect(layoutStore.getState().tiles).toEqual(['y', 'x', null, null]);

    // Edited here: another client's change does not overwrite the local arrangement.
    layoutStore.getState().swapTiles(0, 3);
    emit([view('a', ['z', null])]);
    expect(layoutStore.getState().tiles).toEqual([null, 'x', null, 'y']);

    // Deleted elsewhere: the grid stays, the view is let go.
    emit([]);
    expect(layoutStore.getState().activeViewId).toBeNull();
    expect(layoutStore.getState().tiles).toEqual([null, 'x', null, 'y']);

    stop();
    expect(listeners.size).toBe(0);
  });
});
