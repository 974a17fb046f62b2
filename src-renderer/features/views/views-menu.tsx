// The top bar's Views picker: the active view's name; a popover that lists the saved views (pick one),
// saves the grid as a new view, and renames, overwrites or deletes a view.
import { useMemo, useState, type FormEvent } from 'react';
import type { View } from '../../../src-preload/contract';
import type { Transport } from '../../api';
import { sortedViews, useIsAdmin, useLayout, useViews } from '../../stores';
import { IconChevronDown } from '../../components';
import {
  applyView,
  deleteView,
  overwriteView,
  renameView,
  saveGridAsView,
  showAllCameras,
} from './view-actions';
import { usePopover } from './use-popover';
import './views.css';

export function ViewsMenu({ api }: { api: Transport }) {
  const { open, setOpen, ref } = usePopover<HTMLDivElement>();
  const views = useViews((s) => s.views);
  const loadError = useViews((s) => s.loadError);
  const activeViewId = useLayout((s) => s.activeViewId);
  const edited = useLayout((s) => s.viewEdited);
  const sorted = useMemo(() => sortedViews(views), [views]);
  const active = views.find((v) => v.id === activeViewId);
  const [newName, setNewName] = useState('');
  const [editing, setEditing] = useState<{ id: string; name: string } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The engine refuses a viewer's writes: offer them to a known admin only (as every admin control).
  const canEdit = useIsAdmin();

  const run = async (action: () => Promise<string | null>, after?: () => void) => {
    setBusy(true);
    const err = await action();
    setBusy(false);
    setError(err);
    if (!err) after?.();
  };

  const onSaveNew = (e: FormEvent) => {
    e.preventDefault();
    if (!newName.trim()) return;
    void run(
      () => saveGridAsView(api, newName),
      () => setNewName(''),
    );
  };
  const onRename = (e: FormEvent, view: View) => {
    e.preventDefault();
    if (!editing?.name.trim()) return;
    void run(
      () => renameView(api, view, editing.name),
      () => setEditing(null),
    );
  };

  return (
    <div className="views-menu hide-medium" ref={ref}>
      <button
        className="btn ghost view-picker"
        title="Views (saved layouts)"
        aria-haspopup="true"
        aria-expanded={open}
        data-testid="views-button"
        onClick={() => {
          setOpen(!open);
          setError(null);
        }}
      >
        View <b data-testid="active-view">{active?.name ?? 'All cameras'}</b>
        {active && edited && (
          <span className="edited" title="Changed since the view was applied: save to keep">
            ●
          </span>
        )}
        <IconChevronDown size={12} />
      </button>
      {open && (
        <div className="popover views-pop" role="dialog" aria-label="Views">
          <ul className="views-list" role="list">
            <li>
              <button
                className="view-row"
                aria-current={activeViewId === null}
                onClick={() => {
                  showAllCameras();
                  setOpen(false);
                }}
              >
                <span className="name">All cameras</span>
                <span className="meta">automatic</span>
              </button>
            </li>
            {sorted.map((v) => (
              <li key={v.id} className="view-item" data-testid="view-item" data-view-id={v.id}>
                {editing?.id === v.id ? (
                  <form className="view-edit" onSubmit={(e) => onRename(e, v)}>
                    <input
                      autoFocus
                      aria-label="New name"
                      value={editing.name}
                      maxLength={64}
                      onChange={(e) => setEditing({ id: v.id, name: e.target.value })}
                    />
                    <button className="btn small primary" disabled={busy}>
                      Rename
                    </button>
                    <button type="button" className="btn small" onClick={() => setEditing(null)}>
                      Cancel
                    </button>
                  </form>
                ) : confirmDelete === v.id ? (
                  <div className="view-edit">
                    <span className="confirm">Delete “{v.name}”?</span>
                    <button
                      className="btn small danger"
                      disabled={busy}
                      onClick={() =>
                        void run(
                          () => deleteView(api, v),
                          () => setConfirmDelete(null),
                        )
                      }
                    >
                      Delete
                    </button>
                    <button className="btn small" onClick={() => setConfirmDelete(null)}>
                      Keep
                    </button>
                  </div>
                ) : (
                  <>
                    <button
                      className="view-row"
                      aria-current={v.id === activeViewId}
                      onClick={() => {
                        applyView(v);
                        setOpen(false);
                      }}
                    >
                      <span className="name">{v.name}</span>
                      <span className="meta">{layoutLabel(v)}</span>
                    </button>
                    {canEdit && (
                      <span className="view-actions">
                        <button
                          className="btn small ghost"
                          title="Save the current grid into this view"
                          aria-label={`Overwrite ${v.name}`}
                          disabled={busy}
                          onClick={() => void run(() => overwriteView(api, v))}
                        >
                          Save here
                        </button>
                        <button
                          className="btn small ghost"
                          aria-label={`Rename ${v.name}`}
                          onClick={() => setEditing({ id: v.id, name: v.name })}
                        >
                          Rename
                        </button>
                        <button
                          className="btn small ghost"
                          aria-label={`Delete ${v.name}`}
                          onClick={() => setConfirmDelete(v.id)}
                        >
                          ×
                        </button>
                      </span>
                    )}
                  </>
                )}
              </li>
            ))}
          </ul>
          {views.length === 0 && (
            <div className="views-empty">
              {loadError
                ? `Could not load views: ${loadError}`
                : 'No saved views yet. Arrange the grid, then save it here.'}
            </div>
          )}
          {!canEdit && (
            <div className="views-empty">Only an administrator can save or change views.</div>
          )}
          {canEdit && (
            <form className="view-save" onSubmit={onSaveNew}>
              <input
                aria-label="New view name"
                placeholder="Save the grid as…"
                value={newName}
                maxLength={64}
                onChange={(e) => setNewName(e.target.value)}
              />
              <button className="btn small primary" disabled={busy || !newName.trim()}>
                Save view
              </button>
            </form>
          )}
          {error && (
            <div className="views-error" role="alert">
              {error}
            </div>
          )}
        </div>
      )}
    </div>
  );
}

export function layoutLabel(v: Pick<View, 'layout' | 'cols' | 'rows'>): string {
  if (v.layout === 'custom') return `${v.cols ?? '?'}×${v.rows ?? '?'}`;
  return v.layout.replace('x', '×');
}
