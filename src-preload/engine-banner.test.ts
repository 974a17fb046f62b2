// Engine banner: shown while the engine restarts, updated in place, removed when it runs again.
import { describe, expect, it } from 'vitest';
import { applyEngineBanner, engineBannerText, type BannerDocument } from './engine-banner';

function fakeDocument() {
  const nodes = new Map<
    string,
    { id: string; textContent: string | null; attrs: Record<string, string> }
  >();
  const doc = {
    getElementById: (id: string) => {
      const n = nodes.get(id);
      return n
        ? {
            ...n,
            remove: () => nodes.delete(id),
            set textContent(t: string | null) {
              n.textContent = t;
            },
            get textContent() {
              return n.textContent;
            },
          }
        : null;
    },
    createElement: () => {
      const el = {
        id: '',
        textContent: null as string | null,
        attrs: {} as Record<string, string>,
        style: {},
        setAttribute: (k: string, v: string) => void (el.attrs[k] = v),
      };
      return el as unknown as HTMLDivElement;
    },
    body: { append: (el: HTMLDivElement) => void nodes.set(el.id, el as never) },
  };
  return { doc: doc as unknown as BannerDocument, nodes };
}

describe('engine banner', () => {
  it('has no banner on the first start or while running', () => {
    expect(engineBannerText({ state: 'starting', restarts: 0 })).toBeNull();
    expect(engineBannerText({ state: 'running', restarts: 3 })).toBeNull();
    expect(engineBannerText({ state: 'restarting', restarts: 1 })).toMatch(/restarting/);
  });

  it('appears on a crash, stays through the restart, goes when the engine runs', () => {
    const { doc, nodes } = fakeDocument();
    applyEngineBanner(doc, { state: 'restarting', restarts: 1 });
    expect(nodes.get('nvr-engine-banner')?.attrs).toEqual({
      role: 'alert',
      'data-testid': 'engine-banner',
    });
    applyEngineBanner(doc, { state: 'starting', restarts: 1 });
    expect(nodes.size).toBe(1);
    applyEngineBanner(doc, { state: 'stopped', restarts: 1 });
    expect(nodes.get('nvr-engine-banner')?.textContent).toMatch(/stopped/);
    applyEngineBanner(doc, { state: 'running', restarts: 1 });
    expect(nodes.size).toBe(0);
  });
});
