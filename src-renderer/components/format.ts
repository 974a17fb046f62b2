// Time formatting for the UI: local wall-clock with tenths of a second, tick labels, durations.
// Pure functions; local time zone of the viewer (the engine speaks ms since epoch only).
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** "2026-11-21" in local time. */
export function formatDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** "14:03:27.4" in local time (tenths truncated, never rounded up into the next second). */
export function formatTimeTenths(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${Math.floor(d.getMilliseconds() / 100)}`;
}

/** "14:03" or "14:03:20" for tick labels. */
export function formatTick(ms: number, withSeconds: boolean): string {
  const d = new Date(ms);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return withSeconds ? `${hm}:${pad(d.getSeconds())}` : hm;
}

/** "4 h", "30 min", "45 s", "2 d" for a span. */
export function formatSpan(ms: number): string {
  if (ms >= 48 * 3_600_000) return `${Math.round(ms / 86_400_000)} d`;
  if (ms >= 2 * 3_600_000) return `${Math.round(ms / 3_600_000)} h`;
  if (ms >= 120_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 1000)} s`;
}
