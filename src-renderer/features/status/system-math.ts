// Pure arithmetic of the status panel: how many days the disk holds at the current recording rates,
// and a camera's uptime and reconnects from its stream statuses. No DOM, no API.
import type { CameraStatus } from '../../../src-preload/contract';

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

/** How long the camera has streamed without a break: its main stream's uptime (else the sub's). */
export function cameraUptimeMs(status: CameraStatus | undefined): number | undefined {
  return status?.streams.main?.uptimeMs ?? status?.streams.sub?.uptimeMs;
}

/** Reconnects of all the camera's streams since the engine started them. */
export function cameraReconnects(status: CameraStatus | undefined): number | undefined {
  const counts = [status?.streams.main?.reconnects, status?.streams.sub?.reconnects].filter(
    (n): n is number => n !== undefined,
  );
  return counts.length === 0 ? undefined : counts.reduce((a, b) => a + b, 0);
}
