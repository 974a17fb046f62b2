// Paints the timeline canvas: header with tick labels, one row per camera with recorded ranges, the
// future hatched, the now line and the playhead. Pure drawing on a 2D context; no state, no DOM queries.
import { formatDate, formatTick } from '../../components';
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
};

export function drawTimeline(ctx: CanvasRenderingContext2D, d: DrawInput): void {
  const { scale, heightPx, rows, nowMs } = d;
  const w = scale.widthPx;
  ctx.clearRect(0, 0, w, heightPx);
  ctx.fillStyle = C.bg;
  ctx.fillRect(0, 0, w, heightPx);
  ctx.fillStyle = C.header;
  ctx.fillRect(0, 0, w, HEADER_PX);

  // Rows: alternating bands, gaps hatched, recorded ranges filled.
  const nowX = xOf(scale, nowMs);
  rows.forEach((row, i) => {
    const y = HEADER_PX + i * ROW_PX;
    if (i % 2 === 1) {
      ctx.fillStyle = C.rowAlt;
      ctx.fillRect(0, y, w, ROW_PX);
    }
    hatch(ctx, 0, y + 5, Math.min(w, Math.max(0, nowX)), ROW_PX - 10);
    for (const r of row.ranges) {
      const x0 = Math.max(0, xOf(scale, r.startMs));
      const x1 = Math.min(w, xOf(scale, Math.min(r.endMs, nowMs)));
      if (x1 <= x0) continue;
      ctx.fillStyle = C.rec;
      ctx.fillRect(x0, y + 5, Math.max(1, x1 - x0), ROW_PX - 10);
      ctx.fillStyle = C.recEdge;
      ctx.fillRect(x0, y + 5, Math.max(1, x1 - x0), 1);
    }
  });

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

  // Hover line.
  if (d.hoverX !== null) {
    ctx.fillStyle = C.hover;
    ctx.fillRect(Math.round(d.hoverX), HEADER_PX, 1, heightPx - HEADER_PX);
  }

  // Playhead (playback) and now line.
  if (d.playheadMs !== null) line(ctx, xOf(scale, d.playheadMs), w, heightPx, C.playhead);
  line(ctx, nowX, w, heightPx, C.now);
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

function hatch(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number) {
  if (w <= 0) return;
  ctx.save();
  ctx.beginPath();
  ctx.rect(x, y, w, h);
  ctx.clip();
  ctx.fillStyle = C.gap;
  ctx.fillRect(x, y, w, h);
  ctx.strokeStyle = 'rgba(255,255,255,0.045)';
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (let sx = x - h; sx < x + w; sx += 6) {
    ctx.moveTo(sx, y + h);
    ctx.lineTo(sx + h, y);
  }
  ctx.stroke();
  ctx.restore();
}
