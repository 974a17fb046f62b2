// Wall mode's pure logic: the `#/wall?view=…&rotate=…&layout=…` route (parse and build), the pages to
// show (views, or all cameras split over the layout's tiles), and which page is up after some time.
import type { CameraStatus } from '../../../src-preload/contract';
import {
  LAYOUTS,
  MAX_CUSTOM_SIDE,
  layoutSpec,
  reasonOf,
  type GridSize,
  type LayoutId,
} from '../../stores';

export const WALL_ROUTE = '#/wall';

export interface WallParams {
  /** Saved views to show (one page each); empty: all cameras. */
  viewIds: string[];
  /** Seconds per page; null: no rotation. */
  rotateS: number | null;
  /** Layout for the all-cameras pages; null: chosen from the camera count. */
  layout: { id: LayoutId; custom?: GridSize } | null;
}

/** Shortest and longest page time (a typo like `rotate=0` must not spin the wall). */
export const MIN_ROTATE_S = 2;
export const MAX_ROTATE_S = 3600;

export function isWallHash(hash: string): boolean {
  return (
    hash === WALL_ROUTE || hash.startsWith(`${WALL_ROUTE}?`) || hash.startsWith(`${WALL_ROUTE}/`)
  );
}

/** `3x3`, `1+7`, `5x5` or any `<cols>x<rows>` (a custom grid); anything else: null. */
export function parseLayout(text: string | null): WallParams['layout'] {
  if (!text) return null;
  const t = text.trim().toLowerCase().replace('×', 'x');
  const known = LAYOUTS.find((l) => l.id === t && l.id !== 'custom');
  if (known) return { id: known.id };
  const m = /^(\d{1,2})x(\d{1,2})$/.exec(t);
  if (!m) return null;
  const cols = Number(m[1]);
  const rows = Number(m[2]);
  if (cols < 1 || rows < 1 || cols > MAX_CUSTOM_SIDE || rows > MAX_CUSTOM_SIDE) return null;
  return { id: 'custom', custom: { cols, rows } };
}

export function parseWallHash(hash: string): WallParams {
  const q = hash.indexOf('?');
  const params = new URLSearchParams(q >= 0 ? hash.slice(q + 1) : '');
  const viewIds = (params.get('view') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => /^[A-Za-z0-9_-]{1,64}$/.test(s));
  const rotate = Number(params.get('rotate'));
  const rotateS =
    Number.isFinite(rotate) && rotate > 0
      ? Math.min(MAX_ROTATE_S, Math.max(MIN_ROTATE_S, Math.round(rotate)))
      : null;
  return { viewIds, rotateS, layout: parseLayout(params.get('layout')) };
}

export function buildWallHash(p: Partial<WallParams>): string {
  const params = new URLSearchParams();
  if (p.viewIds?.length) params.set('view', p.viewIds.join(','));
  if (p.rotateS) params.set('rotate', String(p.rotateS));
  if (p.layout)
    params.set(
      'layout',
      p.layout.id === 'custom' && p.layout.custom
        ? `${p.layout.custom.cols}x${p.layout.custom.rows}`
        : p.layout.id,
    );
  const q = params.toString().replace(/%2C/g, ',');
  return q ? `${WALL_ROUTE}?${q}` : WALL_ROUTE;
}

/** One wall page: what the wall's layout store shows. */
export interface WallPage {
  id: string;
  layout: LayoutId;
  cols?: number;
  rows?: number;
  tiles: (string | null)[];
}

/** The smallest square layout that holds `n` cameras, at most 4 × 4 (more cameras: more pages). */
export function autoLayout(n: number): LayoutId {
  if (n <= 1) return '1x1';
  if (n <= 4) return '2x2';
  if (n <= 9) return '3x3';
  return '4x4';
}

export interface SavedViewLike {
  id: string;
  layout: LayoutId;
  cols?: number | undefined;
  rows?: number | undefined;
  tiles: (string | null)[];
}

/**
 * Pages of the wall: the named views that exist (in the given order), or else every camera split over
 * pages of the layout's tile count. Always at least one page.
 */
export function wallPages(
  params: Pick<WallParams, 'viewIds' | 'layout'>,
  cameraIds: readonly string[],
  views: readonly SavedViewLike[],
): WallPage[] {
  const byId = new Map(views.map((v) => [v.id, v]));
  const fromViews = params.viewIds
    .map((id) => byId.get(id))
    .filter((v): v is SavedViewLike => v !== undefined)
    .map((v) => ({
      id: v.id,
      layout: v.layout,
      ...(v.layout === 'custom' ? { cols: v.cols ?? 3, rows: v.rows ?? 2 } : {}),
      tiles: v.tiles,
    }));
  if (fromViews.length > 0) return fromViews;
  const layout = params.layout ?? { id: autoLayout(cameraIds.length) };
  const spec = layoutSpec(layout.id, layout.custom);
  const size = layout.id === 'custom' ? { cols: spec.cols, rows: spec.rows } : {};
  const pages: WallPage[] = [];
  for (let at = 0; at < cameraIds.length || pages.length === 0; at += spec.tiles) {
    const tiles: (string | null)[] = cameraIds.slice(at, at + spec.tiles);
    while (tiles.length < spec.tiles) tiles.push(null);
    pages.push({ id: `page-${pages.length + 1}`, layout: layout.id, ...size, tiles });
  }
  return pages;
}

/** The page shown `elapsedMs` after the wall started: one page per `rotateS`, wrapping around. */
export function pageIndexAt(elapsedMs: number, rotateS: number | null, pageCount: number): number {
  if (!rotateS || pageCount <= 1 || elapsedMs < 0) return 0;
  return Math.floor(elapsedMs / (rotateS * 1000)) % pageCount;
}

export interface OfflineWords {
  id: string;
  name: string;
  reason: string;
  retrying: boolean;
}

/** A camera that is down (failed, or reconnecting after a loss) in words; null when it is fine. */
export function offlineWords(
  id: string,
  name: string,
  status: CameraStatus | undefined,
): OfflineWords | null {
  if (!status || (status.state !== 'failed' && status.state !== 'reconnecting')) return null;
  const reason = status.error ? reasonOf(status.error.kind) : 'connection lost';
  return { id, name, reason, retrying: status.state === 'reconnecting' };
}
