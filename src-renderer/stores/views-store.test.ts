import { describe, expect, it } from 'vitest';
import type { View } from '../../src-preload/contract';
import { testView } from './testing';
import { createViewsStore, sortedViews } from './views-store';

const view = (id: string, name: string): View => testView(id, { name });

describe('views store', () => {
  it('loads, upserts, removes and follows views.changed', () => {
    const store = createViewsStore();
    expect(store.getState().loadState).toBe('idle');
    store.getState().setViews([view('a', 'Lobby')]);
    store.getState().upsert(view('b', 'Yard'));
    store.getState().upsert({ ...view('a', 'Front'), layout: '5x5' });
    expect(store.getState().views.map((v) => [v.id, v.name, v.layout])).toEqual([
      ['a', 'Front', '5x5'],
      ['b', 'Yard', '2x2'],
    ]);
    store.getState().remove('a');
    expect(store.getState().views.map((v) => v.id)).toEqual(['b']);
    expect(
      store.getState().applyEvent({ type: 'views.changed', payload: { views: [view('c', 'C')] } }),
    ).toBe(true);
    expect(store.getState().views.map((v) => v.id)).toEqual(['c']);
    expect(store.getState().applyEvent({ type: 'camera.removed', payload: { id: 'x' } })).toBe(
      false,
    );
    store.getState().setLoadError('offline');
    expect(store.getState()).toMatchObject({ loadState: 'error', loadError: 'offline' });
  });

  it('sorts by name, numbers in order', () => {
    expect(
      sortedViews([view('1', 'Floor 10'), view('2', 'floor 2'), view('3', 'Attic')]).map(
        (v) => v.name,
      ),
    ).toEqual(['Attic', 'floor 2', 'Floor 10']);
  });
});
