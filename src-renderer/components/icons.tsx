// Inline SVG icons (stroke style, 16 px grid) so the renderer ships no icon font and needs no network.
// Presentational only: no state, no API.
import type { SVGProps } from 'react';

type IconProps = SVGProps<SVGSVGElement> & { size?: number };

function Svg({ size = 16, children, ...rest }: IconProps) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.5}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      {...rest}
    >
      {children}
    </svg>
  );
}

export const IconPlus = (p: IconProps) => (
  <Svg {...p}>
    <path d="M8 3v10M3 8h10" />
  </Svg>
);
export const IconGear = (p: IconProps) => (
  <Svg {...p}>
    <circle cx="8" cy="8" r="2.2" />
    <path d="M8 1.5v2M8 12.5v2M1.5 8h2M12.5 8h2M3.4 3.4l1.4 1.4M11.2 11.2l1.4 1.4M3.4 12.6l1.4-1.4M11.2 4.8l1.4-1.4" />
  </Svg>
);
export const IconExport = (p: IconProps) => (
  <Svg {...p}>
    <path d="M8 2v8M4.5 6.5 8 10l3.5-3.5M2.5 11v2.5h11V11" />
  </Svg>
);
export const IconSearch = (p: IconProps) => (
  <Svg {...p}>
    <circle cx="7" cy="7" r="4.5" />
    <path d="m10.5 10.5 3 3" />
  </Svg>
);
export const IconCamera = (p: IconProps) => (
  <Svg {...p}>
    <rect x="1.5" y="4" width="9.5" height="8" rx="1.5" />
    <path d="m11 7 3.5-2v6L11 9" />
  </Svg>
);
export const IconWarning = (p: IconProps) => (
  <Svg {...p}>
    <path d="M8 2 14.5 13.5h-13z" />
    <path d="M8 6.5v3M8 11.5v.01" />
  </Svg>
);
export const IconChevronLeft = (p: IconProps) => (
  <Svg {...p}>
    <path d="M10 3.5 5.5 8l4.5 4.5" />
  </Svg>
);
export const IconChevronRight = (p: IconProps) => (
  <Svg {...p}>
    <path d="M6 3.5 10.5 8 6 12.5" />
  </Svg>
);
export const IconChevronDown = (p: IconProps) => (
  <Svg {...p}>
    <path d="M4 6l4 4 4-4" />
  </Svg>
);
export const IconMenu = (p: IconProps) => (
  <Svg {...p}>
    <path d="M2.5 4h11M2.5 8h11M2.5 12h11" />
  </Svg>
);
export const IconPlay = (p: IconProps) => (
  <Svg {...p}>
    <path d="M5 3.5v9l7-4.5z" fill="currentColor" />
  </Svg>
);
export const IconPause = (p: IconProps) => (
  <Svg {...p}>
    <path d="M5.5 3.5v9M10.5 3.5v9" strokeWidth={2} />
  </Svg>
);
export const IconSkipBack = (p: IconProps) => (
  <Svg {...p}>
    <path d="M3.5 3.5v9M12.5 3.5 6 8l6.5 4.5z" />
  </Svg>
);
export const IconSkipForward = (p: IconProps) => (
  <Svg {...p}>
    <path d="M12.5 3.5v9M3.5 3.5 10 8l-6.5 4.5z" />
  </Svg>
);
export const IconRewind = (p: IconProps) => (
  <Svg {...p}>
    <path d="M8 4 3 8l5 4zM14 4 9 8l5 4z" />
  </Svg>
);
export const IconForward = (p: IconProps) => (
  <Svg {...p}>
    <path d="M2 4l5 4-5 4zM8 4l5 4-5 4z" />
  </Svg>
);
export const IconZoomIn = (p: IconProps) => (
  <Svg {...p}>
    <path d="M8 4v8M4 8h8" />
  </Svg>
);
export const IconZoomOut = (p: IconProps) => (
  <Svg {...p}>
    <path d="M4 8h8" />
  </Svg>
);
export const IconMaximize = (p: IconProps) => (
  <Svg {...p}>
    <path d="M2.5 6V2.5H6M10 2.5h3.5V6M13.5 10v3.5H10M6 13.5H2.5V10" />
  </Svg>
);
export const IconLogo = (p: IconProps) => (
  <Svg {...p} viewBox="0 0 24 24" strokeWidth={2}>
    <circle cx="12" cy="12" r="9" />
    <circle cx="12" cy="12" r="4" fill="currentColor" />
  </Svg>
);

/** Layout glyph: a cols×rows grid, the first cell spanning `lead` cells. */
export function IconLayout({
  cols,
  rows,
  lead = 1,
  size = 16,
}: {
  cols: number;
  rows: number;
  lead?: number;
  size?: number;
}) {
  const gap = 1;
  const w = (14 - gap * (cols - 1)) / cols;
  const h = (12 - gap * (rows - 1)) / rows;
  const cells: { x: number; y: number; w: number; h: number }[] = [];
  const taken = new Set<string>();
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) {
      if (taken.has(`${r},${c}`)) continue;
      const span = cells.length === 0 ? lead : 1;
      for (let dr = 0; dr < span; dr++)
        for (let dc = 0; dc < span; dc++) taken.add(`${r + dr},${c + dc}`);
      cells.push({
        x: 1 + c * (w + gap),
        y: 2 + r * (h + gap),
        w: w * span + gap * (span - 1),
        h: h * span + gap * (span - 1),
      });
    }
  return (
    <svg width={size} height={size} viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      {cells.map((c, i) => (
        <rect
          key={i}
          x={c.x}
          y={c.y}
          width={c.w}
          height={c.h}
          rx={0.6}
          fill="currentColor"
          opacity={i === 0 ? 0.95 : 0.7}
        />
      ))}
    </svg>
  );
}
