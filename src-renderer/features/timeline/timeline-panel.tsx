// The bottom pane: transport controls (zoom, speed, previous/next recording, step, play, live) and a
// canvas strip with one row per camera of the view (only visible rows drawn, the
// rest scroll), ticks, recorded ranges, the export range's handles, the now line and the playhead.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { MutableRefObject } from 'react';
import type { Camera } from '../../../src-preload/contract';
import type { Transport } from '../../api';
import {
  PLAYBACK_RATES,
  describeStatus,
  playheadAt,
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
import { gapSkipTarget, resolveRecordingJump, type JumpDirection } from './recording-jump';
import { fromLocalInput, toLocalInput } from '../export';
import { useTimelineGestures } from './use-timeline-gestures';
import './timeline.css';

/** How often playing playback checks whether it entered a gap. */
const GAP_CHECK_MS = 250;

/** Rows visible without scrolling; more cameras scroll (and only visible rows are drawn). */
const VISIBLE_ROWS = 8;

export interface TimelinePanelProps {
  api: Transport;
  /** Filled with the previous/next recording action, for the keyboard shortcuts. */
  jumpRef?: MutableRefObject<((dir: JumpDirection) => void) | null>;
}

export function TimelinePanel({ api, jumpRef }: TimelinePanelProps) {
  const cameras = useCameras((s) => s.cameras);
  const statuses = useCameras((s) => s.statuses);
  const tiles = useLayout((s) => s.tiles);
  const mode = useTime((s) => s.mode);
  const playheadMs = useTime((s) => s.playheadMs);
  const viewStartMs = useTime((s) => s.viewStartMs);
  const viewSpanMs = useTime((s) => s.viewSpanMs);
  const playing = useTime((s) => s.playing);
  const rate = useTime((s) => s.rate);
  const selection = useTime((s) => s.selection);

  // Rows: the cameras of the current view (grid order), else every camera.
  const rowsCams = useMemo<Camera[]>(() => {
    const byId = new Map(cameras.map((c) => [c.id, c]));
    const inView = tiles
      .map((id) => (id ? byId.get(id) : undefined))
      .filter((c): c is Camera => c !== undefined);
    return inView.length > 0 ? inView : cameras;
  }, [cameras, tiles]);
  const rowIds = useMemo(() => rowsCams.map((c) => c.id), [rowsCams]);
  const loaded = useRecordings(api, rowIds, viewStartMs, viewSpanMs, mode === 'live');
  const ranges = loaded.ranges;

  const sectionRef = useRef<HTMLElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);
  const wrapRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [widthPx, setWidthPx] = useState(0);
  const [scrollPx, setScrollPx] = useState(0);
  const [hover, setHover] = useState<{ x: number; y: number; dragging: boolean } | null>(null);
  const totalPx = HEADER_PX + Math.max(1, rowsCams.length) * ROW_PX;
  const heightPx = Math.min(totalPx, HEADER_PX + VISIBLE_ROWS * ROW_PX);

  useLayoutEffect(() => {
    const el = wrapRef.current;
    if (!el) return;
    const ro = new ResizeObserver(([e]) => e && setWidthPx(Math.floor(e.contentRect.width)));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Repaint on every state change, at most once per animation frame.
  const frame = useRef(0);
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || widthPx === 0) return;
    cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(() => {
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
        hoverX: hover?.x ?? null,
        rowOffsetPx: scrollPx,
        selection,
      });
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
    hover,
    scrollPx,
    selection,
  ]);
  useEffect(() => () => cancelAnimationFrame(frame.current), []);

  const gestures = useMemo(
    () => ({
      onHover: (x: number | null, y: number | null, dragging: boolean) =>
        setHover(x === null || y === null ? null : { x, y, dragging }),
    }),
    [],
  );
  useTimelineGestures(canvasRef, gestures);

  // Previous / next recording: the loaded ranges, else the engine over a wider window.
  const loadedRef = useRef(loaded);
  loadedRef.current = loaded;
  const [jumpNote, setJumpNote] = useState<string | null>(null);
  const jump = useCallback(
    (dir: JumpDirection) => {
      const s = timeStore.getState();
      const nowMs = Date.now();
      const l = loadedRef.current;
      const known =
        l.fromMs < l.toMs
          ? { fromMs: l.fromMs, toMs: l.toMs, ranges: rowIds.map((id) => l.ranges[id] ?? []) }
          : null;
      void resolveRecordingJump(api, dir, rowIds, known, playheadAt(s, nowMs), nowMs).then(
        (ms) => {
          if (ms === null)
            setJumpNote(dir === 'next' ? 'No later recording' : 'No earlier recording');
          else {
            setJumpNote(null);
            timeStore.getState().seek(ms);
          }
        },
        () => setJumpNote('Recordings unavailable'),
      );
    },
    [api, rowIds],
  );
  useEffect(() => {
    if (!jumpRef) return;
    jumpRef.current = jump;
    return () => {
      jumpRef.current = null;
    };
  }, [jumpRef, jump]);
  // Playback skips gaps: playing into a time no row recorded goes on at the next recording.
  useEffect(() => {
    if (mode !== 'playback' || !playing) return;
    const timer = setInterval(() => {
      const l = loadedRef.current;
      if (!(l.fromMs < l.toMs)) return;
      const s = timeStore.getState();
      const nowMs = Date.now();
      const known = {
        fromMs: l.fromMs,
        toMs: l.toMs,
        ranges: rowIds.map((id) => l.ranges[id] ?? []),
      };
      const target = gapSkipTarget(known, playheadAt(s, nowMs), nowMs);
      if (target !== null) s.seek(target);
    }, GAP_CHECK_MS);
    return () => clearInterval(timer);
  }, [mode, playing, rowIds]);
  useEffect(() => {
    if (!jumpNote) return;
    const t = setTimeout(() => setJumpNote(null), 2_500);
    return () => clearTimeout(t);
  }, [jumpNote]);

  const scale = { startMs: viewStartMs, spanMs: viewSpanMs, widthPx: Math.max(1, widthPx) };
  const t = timeStore.getState();
  const zoomAroundPlayhead = (factor: number) =>
    t.zoom(factor, mode === 'live' ? Date.now() : playheadMs);
  const hoverRowIndex =
    hover && hover.y >= HEADER_PX ? Math.floor((hover.y - HEADER_PX + scrollPx) / ROW_PX) : -1;
  const hoverCam = hover && !hover.dragging ? rowsCams[hoverRowIndex] : undefined;
  const hoverMs = hover ? msAt(scale, hover.x) : 0;
  // Read only while hovering: a layout read during render forces a synchronous layout of the page
  // (this panel re-renders with the 10 Hz clock).
  const canvasLeft = hover
    ? (canvasRef.current?.getBoundingClientRect().left ?? 0) -
      (sectionRef.current?.getBoundingClientRect().left ?? 0)
    : 0;

  return (
    <section className="timeline" aria-label="Timeline" ref={sectionRef}>
      <div className="tl-bar">
        <span className="title">Timeline</span>
        <span className="range" data-testid="timeline-range" data-span-ms={Math.round(viewSpanMs)}>
          {formatSpan(viewSpanMs)} · {formatDate(viewStartMs + viewSpanMs / 2)}
        </span>
        <input
          className="tl-goto"
          type="datetime-local"
          step={1}
          aria-label="Go to date and time"
          title="Go to a date and time"
          data-testid="timeline-goto"
          key={mode === 'live' ? 'live' : 'playback'}
          defaultValue={toLocalInput(mode === 'live' ? Date.now() : playheadMs)}
          onKeyDown={(e) => e.stopPropagation()}
          onChange={(e) => {
            const ms = fromLocalInput(e.target.value);
            if (Number.isFinite(ms) && ms <= Date.now()) t.seek(ms);
          }}
        />
        {jumpNote && (
          <span className="tl-note" role="status">
            {jumpNote}
          </span>
        )}
        <span className="spacer" />
        <button
          className="btn small icon ghost"
          title="Zoom out (wheel, pinch)"
          aria-label="Zoom out"
          onClick={() => zoomAroundPlayhead(1.5)}
        >
          <IconZoomOut size={14} />
        </button>
        <button
          className="btn small icon ghost"
          title="Zoom in (wheel, pinch)"
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
            title="Previous recording (,)"
            aria-label="Previous recording"
            onClick={() => jump('prev')}
          >
            <IconSkipBack size={13} />
          </button>
          <button
            title="Back 10 s (←, Shift: 1 min)"
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
            title="Forward 10 s (→, Shift: 1 min)"
            aria-label="Forward 10 seconds"
            onClick={() => t.step(10_000)}
          >
            <IconForward size={13} />
          </button>
          <button
            title="Next recording (.)"
            aria-label="Next recording"
            onClick={() => jump('next')}
          >
            <IconSkipForward size={13} />
          </button>
        </div>
        <button
          className={`btn small tl-live ${mode === 'live' ? 'on' : ''}`}
          title="Live (L)"
          aria-label="Go live"
          onClick={() => t.goLive()}
        >
          LIVE
        </button>
      </div>
      <div
        className="tl-body"
        ref={bodyRef}
        style={{ maxHeight: heightPx + 6 }}
        onScroll={(e) => setScrollPx(e.currentTarget.scrollTop)}
      >
        <div className="tl-labels">
          {rowsCams.length === 0 && <div className="tl-label">No cameras</div>}
          {rowsCams.map((c) => {
            const w = describeStatus(statuses[c.id], c.enabled);
            const recordedMs = (ranges[c.id] ?? []).reduce((a, r) => a + r.endMs - r.startMs, 0);
            return (
              <div
                className="tl-label"
                key={c.id}
                data-testid="timeline-row"
                data-camera-id={c.id}
                data-recorded-ms={recordedMs}
              >
                <StateDot tone={w.tone} label={w.label} />
                {c.name}
              </div>
            );
          })}
        </div>
        <div className="tl-canvas-wrap" ref={wrapRef} style={{ height: totalPx }}>
          <canvas
            ref={canvasRef}
            style={{ height: heightPx }}
            data-testid="timeline-canvas"
            data-rows={rowsCams.length}
            data-view-start-ms={Math.round(viewStartMs)}
            data-view-span-ms={Math.round(viewSpanMs)}
            data-playhead-ms={mode === 'playback' ? Math.round(playheadMs) : undefined}
            data-selection={selection ? `${selection.from}-${selection.to}` : undefined}
            aria-label="Timeline: click to play from a time, drag to scrub, Shift+drag or middle-drag to pan, wheel or pinch to zoom"
          />
        </div>
      </div>
      {hoverCam && hover && (
        <HoverThumb
          api={api}
          cameraId={hoverCam.id}
          cameraName={hoverCam.name}
          timeMs={hoverMs}
          recorded={(ranges[hoverCam.id] ?? []).some(
            (r) => r.startMs <= hoverMs && hoverMs < r.endMs,
          )}
          leftPx={canvasLeft + Math.min(Math.max(hover.x, 100), scale.widthPx - 100)}
        />
      )}
    </section>
  );
}
