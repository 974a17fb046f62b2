// Saved views (named grid arrangements shared by every client): DTO schemas and the layout tile table.
// Only zod here; the engine stores views, the renderer applies them to its grid.
import { z } from 'zod';
import { CameraIdSchema } from './schemas';

/** Grid layouts, in keyboard order (`1`…`8`). `custom` takes its columns and rows from the view. */
export const VIEW_LAYOUTS = ['1x1', '2x2', '3x3', '4x4', '5x5', '1+5', '1+7', 'custom'] as const;
export type ViewLayout = (typeof VIEW_LAYOUTS)[number];

/** Largest custom grid side (8 × 8 = 64 tiles). */
export const MAX_CUSTOM_SIDE = 8;

/** Tiles a layout holds; `custom` needs its columns and rows. */
export function layoutTileCount(layout: ViewLayout, cols = 1, rows = 1): number {
  switch (layout) {
    case '1x1':
      return 1;
    case '2x2':
      return 4;
    case '3x3':
      return 9;
    case '4x4':
      return 16;
    case '5x5':
      return 25;
    case '1+5':
      return 6;
    case '1+7':
      return 8;
    case 'custom':
      return cols * rows;
  }
}

export const ViewIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'must be a view id (letters, digits, _ or -)' });

const side = z
  .number()
  .int()
  .min(1)
  .max(MAX_CUSTOM_SIDE, { error: `must be at most ${MAX_CUSTOM_SIDE}` });

const viewShape = {
  name: z
    .string()
    .trim()
    .min(1, { error: 'is required' })
    .max(64, { error: 'must be at most 64 characters' }),
  layout: z.enum(VIEW_LAYOUTS, {
    error: `must be one of ${VIEW_LAYOUTS.map((l) => `'${l}'`).join(', ')}`,
  }),
  /** Columns and rows of a `custom` layout (ignored by the others). */
  cols: side.optional(),
  rows: side.optional(),
  /** Camera id per tile (index = tile), null for an empty tile; at most the layout's tile count. */
  tiles: z.array(CameraIdSchema.nullable()).max(64),
};

type ViewShape = { layout: ViewLayout; cols?: number; rows?: number; tiles: unknown[] };

/** A custom layout names its size; no layout holds more tiles than it has. */
function checkTiles<T extends ViewShape>(v: T, ctx: z.core.$RefinementCtx<T>): void {
  if (v.layout === 'custom' && (v.cols === undefined || v.rows === undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: [v.cols === undefined ? 'cols' : 'rows'],
      message: 'is required for a custom layout',
    });
    return;
  }
  const max = layoutTileCount(v.layout, v.cols, v.rows);
  if (v.tiles.length > max)
    ctx.addIssue({
      code: 'custom',
      path: ['tiles'],
      message: `must hold at most ${max} tiles for layout ${v.layout}`,
    });
}

/** saveView's input: without `id` a new view is created, with one that view is replaced. */
export const ViewInputSchema = z
  .object({ id: ViewIdSchema.optional(), ...viewShape })
  .superRefine(checkTiles);
export type ViewInput = z.infer<typeof ViewInputSchema>;

export const ViewSchema = z.object({
  id: ViewIdSchema,
  ...viewShape,
  createdMs: z.number().int(),
  updatedMs: z.number().int(),
});
export type View = z.infer<typeof ViewSchema>;

export const ViewRefSchema = z.object({ id: ViewIdSchema });
