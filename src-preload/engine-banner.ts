// Engine banner: while the engine restarts, the preload puts a small fixed banner over the page (it shares
// the DOM, not the page's JS world). Exposes nothing to the page; the text comes from a fixed table.
import type { EngineStatusMessage } from './contract';

export const ENGINE_BANNER_ID = 'nvr-engine-banner';

/** The banner text for a status, or null when none is shown (engine running or first start). */
export function engineBannerText(status: EngineStatusMessage): string | null {
  if (status.state === 'running') return null;
  if (status.state === 'starting' && status.restarts === 0) return null;
  if (status.state === 'stopped') return 'The recording engine has stopped.';
  return 'The recording engine is restarting: cameras reconnect and recording resumes in a moment.';
}

export interface BannerDocument {
  getElementById(id: string): { remove(): void; textContent: string | null } | null;
  createElement(tag: 'div'): HTMLDivElement;
  readonly body: { append(node: HTMLDivElement): void } | null;
}

/** Shows, updates or removes the banner. */
export function applyEngineBanner(doc: BannerDocument, status: EngineStatusMessage): void {
  const text = engineBannerText(status);
  const existing = doc.getElementById(ENGINE_BANNER_ID);
  if (!text) {
    existing?.remove();
    return;
  }
  if (existing) {
    existing.textContent = text;
    return;
  }
  const div = doc.createElement('div');
  div.id = ENGINE_BANNER_ID;
  div.setAttribute('role', 'alert');
  div.setAttribute('data-testid', 'engine-banner');
  div.textContent = text;
  Object.assign(div.style, {
    position: 'fixed',
    top: '0',
    left: '0',
    right: '0',
    zIndex: '2147483647',
    padding: '6px 12px',
    background: '#b45309',
    color: '#fff',
    font: '13px system-ui, sans-serif',
    textAlign: 'center',
  });
  doc.body?.append(div);
}
