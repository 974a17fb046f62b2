// The left sidebar: camera list with state dots and search (`/`), [+] to add a camera, saved views.
// Rows drag onto grid tiles. Reads the camera store; a drawer on small screens.
import { useMemo, type Ref } from 'react';
import { CAMERA_DRAG_TYPE } from '../features/grid';
import { ViewsList } from '../features/views';
import {
  camerasStore,
  countLive,
  describeStatus,
  filterCameras,
  layoutStore,
  streamFacts,
  useCameras,
  useConnection,
  useFrames,
  useLayout,
} from '../stores';
import { IconChevronDown, IconPlus, IconSearch, IconWarning, StateDot } from '../components';

/** The small-screen layout (styles.css / grid.css: sidebar as a drawer, one column). */
const PHONE_QUERY = '(max-width: 760px)';

export interface SidebarProps {
  open: boolean;
  /** Absent for viewers: no [+] (adding cameras is admin-only). */
  onAddCamera?(): void;
  onPicked(): void;
  searchRef: Ref<HTMLInputElement>;
}

export function Sidebar({ open, onAddCamera, onPicked, searchRef }: SidebarProps) {
  const cameras = useCameras((s) => s.cameras);
  const statuses = useCameras((s) => s.statuses);
  const query = useCameras((s) => s.query);
  const selectedId = useCameras((s) => s.selectedId);
  const loadState = useCameras((s) => s.loadState);
  const loadError = useCameras((s) => s.loadError);
  const tiles = useLayout((s) => s.tiles);
  const shown = useMemo(() => filterCameras(cameras, query), [cameras, query]);

  const staleSinceMs = useFrames((s) => s.staleSinceMs);
  const link = useConnection((s) => s.link);
  const counts = useMemo(
    () => countLive(cameras, statuses, staleSinceMs, link),
    [cameras, statuses, staleSinceMs, link],
  );

  // Picking a camera always shows it: its tile is selected; a camera off the grid goes into the
  // selected tile, or the grid goes to the page (automatic grid) that shows it. On a phone (the
  // drawer) the camera then opens maximized: one tap, one camera.
  const pick = (id: string) => {
    camerasStore.getState().select(id);
    const layout = layoutStore.getState();
    if (!layout.tiles.includes(id)) {
      if (layout.selectedTile !== null) layout.placeCamera(layout.selectedTile, id);
      else
        layout.revealCamera(
          camerasStore.getState().cameras.map((c) => c.id),
          id,
        );
    }
    const now = layoutStore.getState();
    const at = now.tiles.indexOf(id);
    if (at >= 0) {
      now.selectTile(at);
      const phone = typeof matchMedia === 'function' && matchMedia(PHONE_QUERY).matches;
      if (phone && now.maximizedTile !== at) now.toggleMaximize(at);
    }
    onPicked();
  };

  return (
    <nav className={`sidebar${open ? ' open' : ''}`} aria-label="Cameras">
      <div className="side-head">
        <span className="side-title">Cameras</span>
        {onAddCamera && (
          <button
            className="btn small icon"
            aria-label="Add camera"
            title="Add camera"
            onClick={onAddCamera}
            data-testid="add-camera"
          >
            <IconPlus size={14} />
          </button>
        )}
      </div>
      <div className="side-search">
        <IconSearch size={14} />
        <input
          ref={searchRef}
          type="search"
          placeholder="Search cameras"
          aria-label="Search cameras"
          value={query}
          onChange={(e) => camerasStore.getState().setQuery(e.target.value)}
        />
        {query === '' && <kbd>/</kbd>}
      </div>
      <div className="side-scroll">
        <div className="side-group">
          <IconChevronDown size={12} /> All cameras <span className="count">{cameras.length}</span>
        </div>
        {loadState === 'loading' && cameras.length === 0 && (
          <div className="side-empty">Loading cameras…</div>
        )}
        {loadState === 'error' && cameras.length === 0 && (
          <div className="side-empty">Could not load cameras: {loadError}</div>
        )}
        {loadState === 'ready' && cameras.length === 0 && (
          <div className="side-empty">
            No cameras yet. <br />
            {onAddCamera ? (
              <>
                Press <b>+</b> to scan the network or enter an RTSP URL.
              </>
            ) : (
              'An admin adds cameras.'
            )}
          </div>
        )}
        {cameras.length > 0 && shown.length === 0 && (
          <div className="side-empty">No camera matches “{query}”.</div>
        )}
        <ul
          role="list"
          style={{ listStyle: 'none', margin: 0, padding: 0 }}
          data-testid="camera-list"
        >
          {shown.map((c) => {
            const st = statuses[c.id];
            const status = describeStatus(st, c.enabled);
            const words =
              status.tone === 'ok' && c.id in staleSinceMs
                ? { ...status, tone: 'warn' as const, label: 'stale: picture frozen' }
                : status;
            const facts = words.tone === 'ok' ? streamFacts(st?.streams.main) : [];
            return (
              <li key={c.id}>
                <button
                  className="cam-row"
                  aria-current={selectedId === c.id}
                  draggable
                  data-testid="camera-row"
                  data-camera-id={c.id}
                  title={`${c.name} — ${words.label}${tiles.includes(c.id) ? '' : ' (not in the grid: drag onto a tile)'}`}
                  onDragStart={(e) => {
                    e.dataTransfer.setData(CAMERA_DRAG_TYPE, c.id);
                    e.dataTransfer.effectAllowed = 'move';
                  }}
                  onClick={() => pick(c.id)}
                >
                  <StateDot tone={words.tone} label={words.label} />
                  <span className="name">{c.name}</span>
                  {(words.tone === 'bad' || words.tone === 'warn') && (
                    <span className="warn" title={words.label}>
                      <IconWarning size={13} />
                    </span>
                  )}
                  {facts[0] && <span className="meta">{facts[0]}</span>}
                </button>
              </li>
            );
          })}
        </ul>
        <div className="side-head" style={{ marginTop: 14 }}>
          <span className="side-title">Views</span>
        </div>
        <ViewsList onPicked={onPicked} />
      </div>
      <div className="side-foot">
        <span>
          <b data-testid="live-count">{counts.live}</b> live
        </span>
        <span>
          <b>{counts.problem}</b> with problems
        </span>
        <span>
          <b>{cameras.length}</b> total
        </span>
      </div>
    </nav>
  );
}
