// Timeline feature: the bottom pane (rows per camera, ticks, now line, playhead). Public API of features/timeline.
export { TimelinePanel } from './timeline-panel';
export { computeTicks, pickStep, xOf, msAt, TICK_STEPS_MS } from './ticks';
export type { Tick, TimeScale } from './ticks';
export { drawTimeline, HEADER_PX, ROW_PX } from './draw-timeline';
export type { DrawInput, TimelineRow } from './draw-timeline';
