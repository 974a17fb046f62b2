// The top bar's Wall button: a popover to pick what the wall shows (the current view or all cameras in the
// current layout) and the page rotation, then enters wall mode (`#/wall?…`) in fullscreen.
import { useState } from 'react';
import { currentSpec, layoutStore, useLayout, useViews } from '../../stores';
import { IconLayout } from '../../components';
import { usePopover } from '../views';
import { enterFullscreen } from './fullscreen';
import { buildWallHash, type WallParams } from './wall-pages';

const ROTATIONS = [0, 10, 20, 30, 60] as const;

/** The wall route for the app's current grid: its view, or all cameras in its layout. */
export function currentWallHash(rotateS: number | null = null): string {
  const s = layoutStore.getState();
  const spec = currentSpec(s);
  const params: Partial<WallParams> = s.activeViewId
    ? { viewIds: [s.activeViewId], rotateS }
    : {
        rotateS,
        layout:
          s.layoutId === 'custom'
            ? { id: 'custom', custom: { cols: spec.cols, rows: spec.rows } }
            : { id: s.layoutId },
      };
  return buildWallHash(params);
}

/** Enters wall mode (the caller's click is the gesture fullscreen needs). */
export function enterWall(hash: string): void {
  enterFullscreen();
  location.hash = hash;
}

export function WallMenu() {
  const { open, setOpen, ref } = usePopover<HTMLDivElement>();
  const activeViewId = useLayout((s) => s.activeViewId);
  const views = useViews((s) => s.views);
  const active = views.find((v) => v.id === activeViewId);
  const [rotateS, setRotateS] = useState<number>(0);
  const [allViews, setAllViews] = useState(false);

  const start = () => {
    setOpen(false);
    const rotate = rotateS > 0 ? rotateS : null;
    enterWall(
      allViews && views.length > 0
        ? buildWallHash({ viewIds: views.map((v) => v.id), rotateS: rotate })
        : currentWallHash(rotate),
    );
  };

  return (
    <div className="views-menu hide-narrow" ref={ref}>
      <button
        className="btn"
        title="Wall mode: the grid alone, fullscreen (W)"
        aria-expanded={open}
        data-testid="wall-button"
        onClick={() => setOpen(!open)}
      >
        <IconLayout cols={2} rows={2} size={14} /> Wall
      </button>
      {open && (
        <div className="popover wall-pop" role="dialog" aria-label="Wall mode">
          <label className="wall-opt">
            <input
              type="radio"
              name="wall-what"
              checked={!allViews}
              onChange={() => setAllViews(false)}
            />
            {active ? `View “${active.name}”` : 'All cameras, page by page'}
          </label>
          <label className="wall-opt">
            <input
              type="radio"
              name="wall-what"
              checked={allViews}
              disabled={views.length === 0}
              onChange={() => setAllViews(true)}
            />
            Every saved view, one page each
          </label>
          <label className="wall-opt">
            Next page every
            <select
              aria-label="Rotate pages"
              value={rotateS}
              onChange={(e) => setRotateS(Number(e.target.value))}
            >
              {ROTATIONS.map((r) => (
                <option key={r} value={r}>
                  {r === 0 ? 'never' : `${r} s`}
                </option>
              ))}
            </select>
          </label>
          <div className="wall-hint">Esc leaves wall mode. The link works on any display.</div>
          <button className="btn primary" data-testid="wall-start" onClick={start}>
            Start wall mode
          </button>
        </div>
      )}
    </div>
  );
}
