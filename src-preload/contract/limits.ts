// Caps on every range and count an API caller may ask for (DESIGN §7, issue 22 finding 1): a request
// beyond them gets a 400 naming the field, so no single call can make the engine allocate or scan in
// proportion to a window instead of to what is recorded. Shared by IPC and HTTP through the schemas.
// Only zod here.
import type { z } from 'zod';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Latest time accepted anywhere (2200-01-01T00:00:00Z): later values are typos or attacks. */
export const MAX_TIME_MS = Date.UTC(2200, 0, 1);

/**
 * Longest window of a recordings or timeline query: any window of valid times (a script may ask for
 * everything, `from=0`). Their work grows with the recorded runs, not the window: ranges and gaps
 * come from the index and coverage lists only buckets holding recordings; buckets are capped below.
 */
export const MAX_QUERY_WINDOW_MS = MAX_TIME_MS;

/** Longest window of a VOD playlist or a direct clip download (the UI asks for 1 h). */
export const MAX_PLAYBACK_WINDOW_MS = DAY_MS;

/** Longest window an export request may name (the engine's export cap, 24 h by default, applies too). */
export const MAX_EXPORT_WINDOW_MS = 7 * DAY_MS;

/** Most coverage buckets one timeline stream may span (hour buckets: 416 days; day buckets: 27 years). */
export const MAX_TIMELINE_BUCKETS = 10_000;

/** Thumbnail widths the engine renders and caches; a requested width snaps up to the next of these. */
export const THUMBNAIL_WIDTHS_PX = [160, 320, 640, 1280] as const;

/** The smallest cached thumbnail width at or above `widthPx` (the largest one beyond). */
export function snapThumbnailWidth(widthPx: number): number {
  for (const w of THUMBNAIL_WIDTHS_PX) if (widthPx <= w) return w;
  return THUMBNAIL_WIDTHS_PX[THUMBNAIL_WIDTHS_PX.length - 1]!;
}

const days = (ms: number) => `${Math.round(ms / DAY_MS)} days`;

/**
 * Refines an object with `from`/`to` (ms): `to` after `from`, and the window at most `maxMs` long;
 * both errors name `to`.
 */
export function windowRefinement(maxMs: number) {
  return (v: { from: number; to: number }, ctx: z.RefinementCtx): void => {
    if (v.from >= v.to)
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
    else if (v.to - v.from > maxMs)
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `the window from..to must be at most ${maxMs >= DAY_MS ? days(maxMs) : `${maxMs} ms`} long`,
      });
  };
}

/** Coverage buckets of a window: at most MAX_TIMELINE_BUCKETS per stream (the error names `bucket`). */
export function bucketRefinement(
  v: { from: number; to: number; bucket?: 'hour' | 'day' | undefined },
  ctx: z.RefinementCtx,
): void {
  if (!v.bucket || v.from >= v.to) return;
  const bucketMs = v.bucket === 'hour' ? HOUR_MS : DAY_MS;
  const n = Math.ceil((v.to - v.from) / bucketMs) + 1;
  if (n > MAX_TIMELINE_BUCKETS)
    ctx.addIssue({
      code: 'custom',
      path: ['bucket'],
      message: `at most ${MAX_TIMELINE_BUCKETS} ${v.bucket} buckets per query (this window spans ${n}): use a shorter window or day buckets`,
    });
}
