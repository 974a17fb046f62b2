// Pure arithmetic of the status panel: how many days the disk holds at the current recording rates.

/** Days of recordings the disk holds (recordings so far + free space) at `totalKbps`; undefined at 0 kb/s. */
export function daysAtRate(
  disk: { freeBytes: number; recordingsBytes: number },
  totalKbps: number,
): number | undefined {
  if (!(totalKbps > 0)) return undefined;
  const bytesPerDay = (totalKbps * 1000 * 86_400) / 8;
  return (disk.freeBytes + disk.recordingsBytes) / bytesPerDay;
}

/** "about 12 days", "about 5 hours", "more than a year". */
export function formatDays(days: number | undefined): string {
  if (days === undefined) return 'nothing is recording';
  if (days > 365) return 'more than a year';
  if (days < 1) return `about ${Math.max(1, Math.round(days * 24))} hours`;
  return `about ${Math.round(days)} days`;
}
