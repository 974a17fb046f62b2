// Plain-text table of benchmark rows (with the value/reference ratio) for the terminal.
import type { BenchRow } from './types';

/** value / reference, or null when there is no usable reference. */
export function ratioOf(row: BenchRow): number | null {
  return typeof row.reference === 'number' && row.reference !== 0
    ? row.value / row.reference
    : null;
}

function fmt(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  const abs = Math.abs(n);
  if (abs >= 1000) return n.toFixed(0);
  if (abs >= 100) return n.toFixed(1);
  if (abs >= 1) return n.toFixed(2);
  return n.toPrecision(3);
}

export function formatTable(rows: readonly BenchRow[]): string {
  const header = ['case', 'metric', 'value', 'unit', 'reference', 'ratio'];
  const body = rows.map((r) => {
    const ratio = ratioOf(r);
    return [
      r.case,
      r.metric,
      fmt(r.value),
      r.unit,
      fmt(r.reference),
      ratio === null ? '—' : `${ratio.toFixed(2)}×`,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const numeric = new Set([2, 4, 5]);
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (numeric.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
