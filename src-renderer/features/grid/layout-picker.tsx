// The top bar's layout picker: one button per layout (keys 1–8) and, for the custom layout, a popover to
// pick columns × rows (1–8 each). Dispatches to the app's layout store.
import { useState } from 'react';
import { LAYOUTS, MAX_CUSTOM_SIDE, currentSpec, layoutStore, useLayout } from '../../stores';
import { IconLayout } from '../../components';
import { usePopover } from '../views';

const SIDES = Array.from({ length: MAX_CUSTOM_SIDE }, (_, i) => i + 1);

export function LayoutPicker() {
  const layoutId = useLayout((s) => s.layoutId);
  const custom = useLayout((s) => s.custom);
  const { open, setOpen, ref } = usePopover<HTMLDivElement>();
  const [hover, setHover] = useState<{ cols: number; rows: number } | null>(null);
  const customSpec = currentSpec({ layoutId: 'custom', custom });

  return (
    <div className="layout-picker hide-narrow" ref={ref}>
      <div className="seg" role="group" aria-label="Layout">
        {LAYOUTS.map((l, i) =>
          l.id === 'custom' ? (
            <button
              key={l.id}
              aria-pressed={layoutId === 'custom'}
              aria-expanded={open}
              title={`Custom layout ${customSpec.label}: pick columns × rows (${i + 1})`}
              aria-label={`Layout custom ${customSpec.label}`}
              data-testid="layout-custom"
              onClick={() => {
                layoutStore.getState().setLayout('custom');
                setOpen(!open);
              }}
            >
              <IconLayout cols={customSpec.cols} rows={customSpec.rows} />
              <span className="seg-text">{customSpec.label}</span>
            </button>
          ) : (
            <button
              key={l.id}
              aria-pressed={l.id === layoutId}
              title={`${l.label} (${i + 1})`}
              aria-label={`Layout ${l.label}`}
              onClick={() => layoutStore.getState().setLayout(l.id)}
            >
              <IconLayout cols={l.cols} rows={l.rows} lead={l.leadSpan} />
            </button>
          ),
        )}
      </div>
      {open && (
        <div
          className="popover custom-pop"
          role="dialog"
          aria-label="Custom layout"
          onMouseLeave={() => setHover(null)}
        >
          <div className="custom-head">
            Columns × rows: <b>{hover ? `${hover.cols}×${hover.rows}` : customSpec.label}</b>
          </div>
          <div
            className="custom-cells"
            style={{ gridTemplateColumns: `repeat(${MAX_CUSTOM_SIDE}, 18px)` }}
          >
            {SIDES.map((rows) =>
              SIDES.map((cols) => {
                const on = hover
                  ? cols <= hover.cols && rows <= hover.rows
                  : cols <= customSpec.cols && rows <= customSpec.rows;
                return (
                  <button
                    key={`${cols}x${rows}`}
                    className={on ? 'on' : ''}
                    aria-label={`${cols} columns × ${rows} rows`}
                    onMouseEnter={() => setHover({ cols, rows })}
                    onClick={() => {
                      layoutStore.getState().setCustom(cols, rows);
                      setOpen(false);
                    }}
                  />
                );
              }),
            )}
          </div>
        </div>
      )}
    </div>
  );
}
