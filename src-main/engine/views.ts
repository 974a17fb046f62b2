// Saved views: the listViews/saveView/deleteView handlers over a ViewStore (SQLite in the index, memory
// without recording), emitting `views.changed` with the whole list. Validation of shapes is the contract's.
import { randomBytes } from 'node:crypto';
import { NvrError } from '../base';
import type { Clock } from '../base';
import type { NvrHandlers, View, ViewInput } from '../../src-preload/contract';
import { viewNameKey } from '../storage';
import type { StoredViewRecord } from '../storage';
import type { EventBus } from './event-bus';

/** What a view stores besides its id and name (the SQLite store keeps it as opaque JSON). */
export type ViewBody = Pick<View, 'layout' | 'cols' | 'rows' | 'tiles'>;

export type StoredView = StoredViewRecord<ViewBody>;

/** The storage shape (`RecordingIndex.views` implements it): names unique case-insensitively ('conflict'). */
export interface ViewStore {
  list(): StoredView[];
  get(id: string): StoredView | undefined;
  insert(view: StoredView): void;
  update(view: StoredView): void;
  delete(id: string): boolean;
}

/** Views in memory (engine without recording, tests); the same rules as the SQLite store. */
export class MemoryViewStore implements ViewStore {
  private readonly views = new Map<string, StoredView>();

  list(): StoredView[] {
    return [...this.views.values()].map((v) => structuredClone(v));
  }
  get(id: string): StoredView | undefined {
    const v = this.views.get(id);
    return v && structuredClone(v);
  }
  insert(view: StoredView): void {
    if (this.views.has(view.id))
      throw new NvrError('conflict', 'a view with this id exists', { viewId: view.id });
    this.checkName(view);
    this.views.set(view.id, structuredClone(view));
  }
  update(view: StoredView): void {
    if (!this.views.has(view.id))
      throw new NvrError('not_found', 'no such view', { viewId: view.id });
    this.checkName(view);
    this.views.set(view.id, structuredClone(view));
  }
  delete(id: string): boolean {
    return this.views.delete(id);
  }
  private checkName(view: StoredView): void {
    const key = viewNameKey(view.name);
    for (const v of this.views.values())
      if (v.id !== view.id && viewNameKey(v.name) === key)
        throw new NvrError('conflict', `a view named "${view.name}" exists`, {
          field: 'name',
          viewId: view.id,
        });
  }
}

export function toApiView(v: StoredView): View {
  const { layout, tiles } = v.body;
  return {
    id: v.id,
    name: v.name,
    layout,
    ...(layout === 'custom' ? { cols: v.body.cols, rows: v.body.rows } : {}),
    tiles,
    createdMs: v.createdMs,
    updatedMs: v.updatedMs,
  };
}

function bodyOf(input: ViewInput): ViewBody {
  return input.layout === 'custom'
    ? { layout: input.layout, cols: input.cols, rows: input.rows, tiles: input.tiles }
    : { layout: input.layout, tiles: input.tiles };
}

export interface ViewHandlerDeps {
  store: ViewStore;
  bus: EventBus;
  clock: Clock;
  /** New view ids; random by default. */
  newId?: () => string;
}

export function createViewHandlers(
  deps: ViewHandlerDeps,
): Pick<NvrHandlers, 'listViews' | 'saveView' | 'deleteView'> {
  const { store, bus, clock } = deps;
  const newId = deps.newId ?? (() => `view-${randomBytes(6).toString('hex')}`);
  const list = () => store.list().map(toApiView);
  const changed = () => bus.emit('views.changed', { views: list() });

  return {
    listViews: async () => list(),
    saveView: async (input) => {
      const nowMs = clock.nowMs();
      let saved: StoredView;
      if (input.id === undefined) {
        saved = {
          id: newId(),
          name: input.name,
          body: bodyOf(input),
          createdMs: nowMs,
          updatedMs: nowMs,
        };
        store.insert(saved);
      } else {
        const current = store.get(input.id);
        if (!current)
          throw new NvrError('not_found', `no view ${input.id}`, { field: 'id', viewId: input.id });
        saved = { ...current, name: input.name, body: bodyOf(input), updatedMs: nowMs };
        store.update(saved);
      }
      changed();
      return toApiView(saved);
    },
    deleteView: async ({ id }) => {
      if (!store.delete(id))
        throw new NvrError('not_found', `no view ${id}`, { field: 'id', viewId: id });
      changed();
      return { ok: true };
    },
  };
}
