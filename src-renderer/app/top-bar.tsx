// The top bar: product name, view and layout pickers, LIVE indicator, playhead clock, engine link,
// Export and settings. Dispatches to the stores; opens panels through callbacks.
import { LAYOUTS, layoutStore, timeStore, useConnection, useLayout, useTime } from '../stores';
import {
  IconChevronDown,
  IconExport,
  IconGear,
  IconLayout,
  IconLogo,
  IconMenu,
} from '../components';
import { PlayheadClock } from './playhead-clock';

export interface TopBarProps {
  onToggleSidebar(): void;
  onExport(): void;
  onSettings(): void;
}

export function TopBar({ onToggleSidebar, onExport, onSettings }: TopBarProps) {
  const layoutId = useLayout((s) => s.layoutId);
  const mode = useTime((s) => s.mode);
  const link = useConnection((s) => s.link);
  const version = useConnection((s) => s.version);
  const live = mode === 'live';
  const linkText =
    link === 'online' ? 'Engine online' : link === 'offline' ? 'Engine offline' : 'Connecting';
  const linkColor =
    link === 'online' ? 'var(--ok)' : link === 'offline' ? 'var(--bad)' : 'var(--warn)';

  return (
    <header className="topbar">
      <button className="btn icon ghost menu-toggle" aria-label="Cameras" onClick={onToggleSidebar}>
        <IconMenu />
      </button>
      <div className="brand" data-testid="product-name">
        <IconLogo size={18} />
        NVR
      </div>
      <button className="btn ghost view-picker hide-medium" title="Views (saved layouts)">
        View <b>All cameras</b> <IconChevronDown size={12} />
      </button>
      <div className="seg hide-narrow" role="group" aria-label="Layout">
        {LAYOUTS.map((l, i) => (
          <button
            key={l.id}
            aria-pressed={l.id === layoutId}
            title={`${l.label} (${i + 1})`}
            aria-label={`Layout ${l.label}`}
            onClick={() => layoutStore.getState().setLayout(l.id)}
          >
            <IconLayout cols={l.cols} rows={l.rows} lead={l.leadSpan} />
          </button>
        ))}
      </div>
      <span className="sep hide-narrow" />
      <button
        className="live-pill"
        data-live={live}
        data-testid="live-indicator"
        title={live ? 'Showing live video' : 'Playback: return to live (L)'}
        onClick={() => timeStore.getState().goLive()}
      >
        <span className="dot" />
        {live ? 'LIVE' : 'GO LIVE'}
      </button>
      <PlayheadClock />
      <span className="spacer" />
      <span className="engine-state hide-medium" title={version ? `Engine ${version}` : undefined}>
        <span className="dot" style={{ background: linkColor }} />
        {linkText}
      </span>
      <button className="btn hide-narrow" onClick={onExport} title="Export a clip (E)">
        <IconExport size={14} /> Export
      </button>
      <button
        className="btn icon"
        onClick={onSettings}
        aria-label="Settings"
        title="Settings and status"
      >
        <IconGear />
      </button>
    </header>
  );
}
