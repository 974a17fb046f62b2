// The top bar: product name, view and layout pickers, LIVE indicator, playhead clock, engine link,
// Export and settings. Dispatches to the stores; opens panels through callbacks.
import { timeStore, useConnection, useTime } from '../stores';
import { IconExport, IconGear, IconLogo, IconMenu } from '../components';
import { LayoutPicker } from '../features/grid';
import { ViewsMenu } from '../features/views';
import { WallMenu } from '../features/wall';
import { UserMenu } from '../features/users';
import { useApi } from './api-context';
import { PlayheadClock } from './playhead-clock';

export interface TopBarProps {
  onToggleSidebar(): void;
  onExport(): void;
  onSettings(): void;
  /** Opens the users and API tokens dialog (admins; the menu hides it from viewers). */
  onUsers?(): void;
}

export function TopBar({ onToggleSidebar, onExport, onSettings, onUsers }: TopBarProps) {
  const api = useApi();
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
      <ViewsMenu api={api} />
      <LayoutPicker />
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
      <WallMenu />
      <button className="btn hide-narrow" onClick={onExport} title="Export a clip (E)">
        <IconExport size={14} /> Export
      </button>
      <UserMenu onUsers={() => onUsers?.()} onLogout={() => void api.logout()} />
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
