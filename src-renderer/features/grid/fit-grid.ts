// Geometry of the camera grid: the largest 16:9 cell that lets cols×rows cells fit the pane.
// Pure function (tested); the grid component measures the pane and applies the result.
export interface FitInput {
  widthPx: number;
  heightPx: number;
  cols: number;
  rows: number;
  gapPx: number;
  paddingPx: number;
  aspect?: number;
}

export interface FitResult {
  cellWidthPx: number;
  cellHeightPx: number;
}

export function fitGrid({
  widthPx,
  heightPx,
  cols,
  rows,
  gapPx,
  paddingPx,
  aspect = 16 / 9,
}: FitInput): FitResult {
  const availW = Math.max(0, widthPx - 2 * paddingPx - gapPx * (cols - 1));
  const availH = Math.max(0, heightPx - 2 * paddingPx - gapPx * (rows - 1));
  const byWidth = availW / cols;
  const byHeight = (availH / rows) * aspect;
  const cellWidthPx = Math.floor(Math.min(byWidth, byHeight));
  return { cellWidthPx, cellHeightPx: Math.floor(cellWidthPx / aspect) };
}
