// The `ui` bench's timeline page: the app's real TimelinePanel, alone, over the HTTP transport against
// the engine (proxied on the page's origin), with every camera as a row (64 × 30 days). Bundled by
// esbuild at bench time (with src-renderer/styles.css as a second entry: lint keeps imports to indexes);
// not part of the app.
import { createRoot } from 'react-dom/client';
import { createHttpTransport } from '../../src-renderer/api';
import { TimelinePanel } from '../../src-renderer/features/timeline';
import { MAX_SPAN_MS, camerasStore, timeStore } from '../../src-renderer/stores';

const api = createHttpTransport();
void api.listCameras().then((cameras) => {
  camerasStore.getState().setCameras(cameras);
  // Widest window (7 days) ending now, away from live, so a drag in the ruler scrubs across days.
  const s = timeStore.getState();
  s.seek(Date.now() - 3 * 86_400_000);
  s.setView(Date.now() - MAX_SPAN_MS, MAX_SPAN_MS);
  setInterval(() => timeStore.getState().tick(), 100);
  const root = document.getElementById('root')!;
  createRoot(root).render(
    <div className="app" style={{ display: 'block', height: 'auto' }}>
      <TimelinePanel api={api} />
    </div>,
  );
  (window as unknown as { nvrReady: number }).nvrReady = cameras.length;
});
