// The sidebar's "Views" section: All cameras plus every saved view; a click shows it in the grid.
import { useMemo } from 'react';
import { sortedViews, useLayout, useViews } from '../../stores';
import { applyView, showAllCameras } from './view-actions';
import { layoutLabel } from './views-menu';

export function ViewsList({ onPicked }: { onPicked(): void }) {
  const views = useViews((s) => s.views);
  const activeViewId = useLayout((s) => s.activeViewId);
  const tiles = useLayout((s) => s.tiles.length);
  const sorted = useMemo(() => sortedViews(views), [views]);
  return (
    <ul role="list" className="side-views" data-testid="sidebar-views">
      <li>
        <button
          className="cam-row"
          aria-current={activeViewId === null}
          onClick={() => {
            showAllCameras();
            onPicked();
          }}
        >
          <span className="name">All cameras</span>
          <span className="meta">{activeViewId === null ? `${tiles} tiles` : ''}</span>
        </button>
      </li>
      {sorted.map((v) => (
        <li key={v.id}>
          <button
            className="cam-row"
            aria-current={v.id === activeViewId}
            data-testid="sidebar-view"
            onClick={() => {
              applyView(v);
              onPicked();
            }}
          >
            <span className="name">{v.name}</span>
            <span className="meta">{layoutLabel(v)}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
