// The bottom pane: transport controls and a canvas strip with one row per camera of the view, hour ticks,
// recorded ranges, the now line and the playhead. Click seeks, wheel zooms around the cursor, drag pans.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { Camera } from '../../../src-preload/contract';
import type { Transport } from '../../api';
import {
  PLAYBACK_RATES,
  describeStatus,
  timeStore,
  useCameras,
  useLayout,
  useTime,
} from '../../stores';
import {
  IconForward,
  IconPause,
  IconPlay,
  IconRewind,
  IconSkipBack,
  IconSkipForward,
  IconZoomIn,
  IconZoomOut,
  StateDot,
  formatDate,
  formatSpan,
} from '../../components';
import { HEADER_PX, ROW_PX, drawTimeline, type TimelineRow } from './draw-timeline';
import { msAt } from './ticks';
import { useRecordings } from './use-recordings';
import { HoverThumb } from './hover-thumb';
import './timeline.css';

const MAX_ROWS = 8;

export function TimelinePanel({ api }: { api: Transport }) {
  const cameras = useCameras((s) => s.cameras);
  const statuses = useCameras((s) => s.statuses);
  const tiles = useLayout((s) => s.tiles);
  const mode = useTime((s) => s.mode);
  const playheadMs = useTime((s) => s.playheadMs);
  const viewStartMs = useTime((s) => s.viewStartMs);
  const viewSpanMs = useTime((s) => s.viewSpanMs);
  const playing = useTime((s) => s.playing);
  const rate = useTime((s) => s.rate);

  // Rows: the cameras of the current view (grid order), else every camera.
  const rowsCams = useMemo<Camera[]>(() => {
    const byId = new Map(cameras.map((c) => [c.id, c]));
    const inView = tiles
      .map((id) => (id ? byId.get(id) : undefined))
      .filter((c): c is Camera => c !== undefined);
    return (inView.length > 0 ? inView : cameras).slice(0, MAX_ROWS);
  }, [cameras, tiles]);
  const ranges = useRecordings(
    api,
    rowsCams.map((c) => c.id),
    viewStartMs,
    viewSpanMs,
    mode === 'live',
  );

  const wrapRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [widthPx, setWidthPx] = useState(0);
  const [hoverX, setHoverX] = useState<number | null>(null);
  const [hoverRow, setHoverRow] = useState<number | null>(null);
  const heightPx = HEADER_PX + Math.max(1, rowsCams.length) * ROW_PX;

  useLayoutEffect(() => {
    const el = wrapRef.current;
    if (!el) return;
    const ro = new ResizeObserver(([e]) => e && setWidthPx(Math.floor(e.contentRect.width)));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || widthPx === 0) return;
    const dpr = window.devicePixelRatio || 1;
    if (canvas.width !== widthPx * dpr || canvas.height !== heightPx * dpr) {
      canvas.width = widthPx * dpr;
      canvas.height = heightPx * dpr;
    }
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const rows: TimelineRow[] = rowsCams.map((c) => ({
      id: c.id,
      ranges: ranges[c.id] ?? [],
      tone: describeStatus(statuses[c.id], c.enabled).tone,
    }));
    drawTimeline(ctx, {
      scale: { startMs: viewStartMs, spanMs: viewSpanMs, widthPx },
      heightPx,
      rows,
      nowMs: Date.now(),
      playheadMs: mode === 'playback' ? playheadMs : null,
      hoverX,
    });
  }, [
    widthPx,
    heightPx,
    rowsCams,
    ranges,
    statuses,
    viewStartMs,
    viewSpanMs,
    mode,
    playheadMs,
    hoverX,
  ]);

  // Pointer: click seeks, drag pans, wheel zooms around the cursor.
  const drag = useRef<{ x: number; moved: boolean } | null>(null);
  const scale = { startMs: viewStartMs, spanMs: viewSpanMs, widthPx: Math.max(1, widthPx) };
  const localX = (e: { clientX: number }) =>
    e.clientX - (canvasRef.current?.getBoundingClientRect().left ?? 0);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const s = timeStore.getState();
      const x = e.clientX - canvas.getBoundingClientRect().left;
      const anchor = msAt(
        { startMs: s.viewStartMs, spanMs: s.viewSpanMs, widthPx: canvas.clientWidth || 1 },
        x,
      );
      s.zoom(e.deltaY > 0 ? 1.25 : 0.8, anchor);
    };
    canvas.addEventListener('wheel', onWheel, { passive: false });
    return () => canvas.removeEventListener('wheel', onWheel);
  }, []);

  const t = timeStore.getState();
  const zoomAroundPlayhead = (factor: number) =>
    t.zoom(factor, mode === 'live' ? Date.now() : playheadMs);

  return (
    <section className="timeline" aria-label="Timeline">
      <div className="tl-bar">
        <span className="title">Timeline</span>
        <span className="range" data-testid="timeline-range">
          {formatSpan(viewSpanMs)} · {formatDate(viewStartMs + viewSpanMs / 2)}
        </span>
        <span className="spacer" />
        <button
          className="btn small icon ghost"
          title="Zoom out (wheel)"
          aria-label="Zoom out"
          onClick={() => zoomAroundPlayhead(1.5)}
        >
          <IconZoomOut size={14} />
        </button>
        <button
          className="btn small icon ghost"
          title="Zoom in (wheel)"
          aria-label="Zoom in"
          onClick={() => zoomAroundPlayhead(1 / 1.5)}
        >
          <IconZoomIn size={14} />
        </button>
        <select
          className="tl-speed"
          aria-label="Playback speed"
          value={String(rate)}
          disabled={mode === 'live'}
          onChange={(e) => t.setRate(Number(e.target.value))}
        >
          {PLAYBACK_RATES.map((v) => (
            <option key={v} value={String(v)}>
              {v}×
            </option>
          ))}
        </select>
        <div className="seg" role="group" aria-label="Transport">
          <button
            title="Back 1 min (Shift+←)"
            aria-label="Back 1 minute"
            onClick={() => t.step(-60_000)}
          >
            <IconSkipBack size={13} />
          </button>
          <button
            title="Back 10 s (←)"
            aria-label="Back 10 seconds"
            onClick={() => t.step(-10_000)}
          >
            <IconRewind size={13} />
          </button>
          <button
            title={mode === 'live' || playing ? 'Pause (Space)' : 'Play (Space)'}
            aria-label={mode === 'live' || playing ? 'Pause' : 'Play'}
            data-testid="play-pause"
            onClick={() => t.togglePlay()}
          >
            {mode === 'live' || playing ? <IconPause size={13} /> : <IconPlay size={13} />}
          </button>
          <button
            title="Forward 10 s (→)"
            aria-label="Forward 10 seconds"
            onClick={() => t.step(10_000)}
          >
            <IconForward size={13} />
          </button>
          <button title="Live (L)" aria-label="Go live" onClick={() => t.goLive()}>
            <IconSkipForward size={13} />
          </button>
        </div>
      </div>
      <div className="tl-body">
        <div className="tl-labels">
          {rowsCams.length === 0 && <div className="tl-label">No cameras</div>}
          {rowsCams.map((c) => {
            const w = describeStatus(statuses[c.id], c.enabled);
            return (
              <div className="tl-label" key={c.id}>
                <StateDot tone={w.tone} label={w.label} />
                {c.name}
              </div>
            );
          })}
        </div>
        <div className="tl-canvas-wrap" ref={wrapRef}>
          <canvas
            ref={canvasRef}
            style={{ height: heightPx }}
            data-testid="timeline-canvas"
            aria-label="Timeline: click to play back from a time, drag to pan, wheel to zoom"
            onPointerDown={(e) => {
              drag.current = { x: e.clientX, moved: false };
              e.currentTarget.setPointerCapture(e.pointerId);
            }}
            onPointerMove={(e) => {
              setHoverX(localX(e));
              const y = e.clientY - e.currentTarget.getBoundingClientRect().top;
              const row = Math.floor((y - HEADER_PX) / ROW_PX);
              setHoverRow(row >= 0 && row < rowsCams.length ? row : null);
              const d = drag.current;
              if (!d) return;
              const dx = e.clientX - d.x;
              if (!d.moved && Math.abs(dx) < 4) return;
              d.moved = true;
              d.x = e.clientX;
              timeStore.getState().pan((-dx / scale.widthPx) * scale.spanMs);
            }}
            onPointerUp={(e) => {
              const d = drag.current;
              drag.current = null;
              if (d && !d.moved) timeStore.getState().seek(Math.round(msAt(scale, localX(e))));
            }}
            onPointerLeave={() => {
              setHoverX(null);
              setHoverRow(null);
            }}
          />
          {hoverX !== null && hoverRow !== null && !drag.current?.moved && rowsCams[hoverRow] && (
            <HoverThumb
              api={api}
              cameraId={rowsCams[hoverRow].id}
              cameraName={rowsCams[hoverRow].name}
              timeMs={msAt(scale, hoverX)}
              recorded={(ranges[rowsCams[hoverRow].id] ?? []).some(
                (r) => r.startMs <= msAt(scale, hoverX) && msAt(scale, hoverX) < r.endMs,
              )}
              leftPx={Math.min(Math.max(hoverX, 100), scale.widthPx - 100)}
            />
          )}
        </div>
      </div>
    </section>
  );
}
