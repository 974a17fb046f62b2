// Paints the timeline canvas: header with tick labels, the visible rows (one per camera) with recorded
// ranges, gaps hatched, the future dimmed, the export selection with its handles, the now line and the
// playhead. Pure drawing on a 2D context; no state, no DOM queries.
import { formatDate, formatSpan, formatTick } from '../../components';
import { computeTicks, xOf, type TimeScale } from './ticks';

export const HEADER_PX = 22;
export const ROW_PX = 22;

export interface TimelineRow {
  id: string;
  /** Recorded ranges in ms (may be empty: nothing known yet). */
  ranges: readonly { startMs: number; endMs: number }[];
  tone: 'ok' | 'busy' | 'warn' | 'bad' | 'idle';
}

export interface DrawInput {
  scale: TimeScale;
  heightPx: number;
  rows: readonly TimelineRow[];
  nowMs: number;
  playheadMs: number | null;
  hoverX: number | null;
  /** Vertical scroll of the rows (px): only rows inside the canvas are drawn. */
  rowOffsetPx?: number;
  /** Export range with handles, or null. */
  selection?: { from: number; to: number } | null;
}

/** Index range [first, end) of the rows visible in a canvas of `heightPx` scrolled by `offsetPx`. */
export function visibleRows(count: number, heightPx: number, offsetPx: number): [number, number] {
  const first = Math.max(0, Math.floor(offsetPx / ROW_PX));
  const end = Math.min(count, Math.ceil((offsetPx + heightPx - HEADER_PX) / ROW_PX));
  return [first, Math.max(first, end)];
}

/** First index of sorted ranges whose end is after `ms` (binary search). */
export function firstRangeEndingAfter(
  ranges: readonly { startMs: number; endMs: number }[],
  ms: number,
): number {
  let lo = 0;
  let hi = ranges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ranges[mid]!.endMs <= ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const C = {
  bg: '#0d1014',
  header: '#111419',
  rowAlt: 'rgba(255,255,255,0.018)',
  grid: 'rgba(255,255,255,0.05)',
  gridMajor: 'rgba(255,255,255,0.09)',
  label: '#8a94a3',
  labelDay: '#c2cad6',
  rec: '#2c7a56',
  recEdge: '#3ca271',
  gap: 'rgba(255,255,255,0.035)',
  future: 'rgba(255,255,255,0.025)',
  now: '#e5484d',
  playhead: '#f5a524',
  hover: 'rgba(220,230,245,0.35)',
  sel: 'rgba(79,140,255,0.16)',
  selEdge: '#4f8cff',
  selText: '#dbe6ff',
};

export function drawTimeline(ctx: CanvasRenderingContext2D, d: DrawInput): void {
  const { scale, heightPx, rows, nowMs } = d;
  const w = scale.widthPx;
  ctx.clearRect(0, 0, w, heightPx);
  ctx.fillStyle = C.bg;
  ctx.fillRect(0, 0, w, heightPx);
  ctx.fillStyle = C.header;
  ctx.fillRect(0, 0, w, HEADER_PX);

  // Visible rows only: alternating bands, gaps hatched, recorded ranges filled. Ranges are sorted: a
  // binary search skips those left of the window and sub-pixel neighbours merge into one rectangle.
  const nowX = xOf(scale, nowMs);
  const offset = d.rowOffsetPx ?? 0;
  const [first, end] = visibleRows(rows.length, heightPx, offset);
  const endMs = Math.min(nowMs, scale.startMs + scale.spanMs);
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, HEADER_PX, w, heightPx - HEADER_PX);
  ctx.clip();
  for (let i = first; i < end; i++) {
    const row = rows[i]!;
    const y = HEADER_PX + i * ROW_PX - offset;
    if (i % 2 === 1) {
      ctx.fillStyle = C.rowAlt;
      ctx.fillRect(0, y, w, ROW_PX);
    }
    hatch(ctx, 0, y + 5, Math.min(w, Math.max(0, nowX)), ROW_PX - 10);
    let runX0 = -1;
    let runX1 = -1;
    const flush = () => {
      if (runX1 <= runX0) return;
      ctx.fillStyle = C.rec;
      ctx.fillRect(runX0, y + 5, Math.max(1, runX1 - runX0), ROW_PX - 10);
      ctx.fillStyle = C.recEdge;
      ctx.fillRect(runX0, y + 5, Math.max(1, runX1 - runX0), 1);
    };
    for (let k = firstRangeEndingAfter(row.ranges, scale.startMs); k < row.ranges.length; k++) {
      const r = row.ranges[k]!;
      if (r.startMs >= endMs) break;
      const x0 = Math.max(0, xOf(scale, r.startMs));
      const x1 = Math.min(w, xOf(scale, Math.min(r.endMs, nowMs)));
      if (x1 <= x0) continue;
      if (runX1 >= 0 && x0 <= runX1 + 1) runX1 = Math.max(runX1, x1);
      else {
        flush();
        runX0 = x0;
        runX1 = x1;
      }
    }
    flush();
  }
  ctx.restore();

  // Future: dimmed band after now.
  if (nowX < w) {
    ctx.fillStyle = C.future;
    ctx.fillRect(Math.max(0, nowX), HEADER_PX, w - Math.max(0, nowX), heightPx - HEADER_PX);
  }

  // Ticks and labels.
  ctx.font = '11px ui-monospace, Menlo, Consolas, monospace';
  ctx.textBaseline = 'middle';
  const ticks = computeTicks(scale);
  const withSeconds = scale.spanMs < 10 * 60_000;
  for (const t of ticks) {
    const x = Math.round(t.xPx) + 0.5;
    ctx.fillStyle = t.major ? C.gridMajor : C.grid;
    ctx.fillRect(x, t.major ? 12 : 17, 1, t.major ? heightPx - 12 : 5);
    if (t.major) {
      const date = new Date(t.ms);
      const midnight = date.getHours() === 0 && date.getMinutes() === 0 && date.getSeconds() === 0;
      // Midnight ticks carry the date (MM-DD) so a multi-day window reads as days.
      const text = midnight ? formatDate(t.ms).slice(5) : formatTick(t.ms, withSeconds);
      if (x + 4 + ctx.measureText(text).width > w) continue;
      ctx.fillStyle = midnight ? C.labelDay : C.label;
      ctx.fillText(text, x + 4, 8);
    }
  }

  if (d.selection) drawSelection(ctx, scale, heightPx, d.selection);

  // Hover line.
  if (d.hoverX !== null) {
    ctx.fillStyle = C.hover;
    ctx.fillRect(Math.round(d.hoverX), HEADER_PX, 1, heightPx - HEADER_PX);
  }

  // Playhead (playback) and now line.
  if (d.playheadMs !== null) line(ctx, xOf(scale, d.playheadMs), w, heightPx, C.playhead);
  line(ctx, nowX, w, heightPx, C.now);
}

function drawSelection(
  ctx: CanvasRenderingContext2D,
  scale: TimeScale,
  h: number,
  sel: { from: number; to: number },
) {
  const w = scale.widthPx;
  const x0 = Math.round(xOf(scale, sel.from));
  const x1 = Math.round(xOf(scale, sel.to));
  if (x1 < -8 || x0 > w + 8) return;
  ctx.fillStyle = C.sel;
  ctx.fillRect(x0, 0, Math.max(1, x1 - x0), h);
  ctx.fillStyle = C.selEdge;
  for (const x of [x0, x1]) {
    ctx.fillRect(x - 1, 0, 2, h);
    // Grip: a tab in the header.
    ctx.fillRect(x - 4, 2, 8, HEADER_PX - 4);
  }
  ctx.fillStyle = '#0d1014';
  for (const x of [x0, x1]) ctx.fillRect(x - 1, 6, 2, HEADER_PX - 12);
  const text = formatSpan(sel.to - sel.from);
  const tw = ctx.measureText(text).width;
  if (x1 - x0 > tw + 20) {
    ctx.fillStyle = C.selText;
    ctx.fillText(text, (x0 + x1) / 2 - tw / 2, HEADER_PX / 2);
  }
}

function line(ctx: CanvasRenderingContext2D, xRaw: number, w: number, h: number, color: string) {
  const x = Math.round(xRaw);
  if (x < -6 || x > w + 6) return;
  ctx.fillStyle = color;
  ctx.fillRect(x - 1, 0, 2, h);
  ctx.beginPath();
  ctx.moveTo(x - 5, 0);
  ctx.lineTo(x + 5, 0);
  ctx.lineTo(x, 6);
  ctx.closePath();
  ctx.fill();
}

const patterns = new WeakMap<CanvasRenderingContext2D, CanvasPattern | null>();

/** Diagonal hatching as a cached 6 px pattern (one fill per row instead of a path of strokes). */
function hatchPattern(ctx: CanvasRenderingContext2D): CanvasPattern | null {
  if (patterns.has(ctx)) return patterns.get(ctx)!;
  let p: CanvasPattern | null = null;
  if (typeof document !== 'undefined') {
    const tile = document.createElement('canvas');
    tile.width = tile.height = 6;
    const t = tile.getContext('2d');
    if (t) {
      t.strokeStyle = 'rgba(255,255,255,0.045)';
      t.lineWidth = 1;
      t.beginPath();
      t.moveTo(0, 6);
      t.lineTo(6, 0);
      t.stroke();
      p = ctx.createPattern(tile, 'repeat');
    }
  }
  patterns.set(ctx, p);
  return p;
}

function hatch(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number) {
  if (w <= 0) return;
  ctx.fillStyle = C.gap;
  ctx.fillRect(x, y, w, h);
  const p = hatchPattern(ctx);
  if (!p) return;
  ctx.fillStyle = p;
  ctx.fillRect(x, y, w, h);
}
