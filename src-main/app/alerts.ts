// Alerts: turns engine events into desktop notifications for a camera going offline and low disk space,
// once per episode (no repeat until the camera is back / the disk recovers). Pure; `notify` is injected.
import type { NvrEvent } from '../../src-preload/contract';

export interface Alert {
  title: string;
  body: string;
}

export interface AlertOptions {
  notify: (alert: Alert) => void;
  /** Free space below this fraction of the disk is "low" (default 5 %). */
  diskLowFraction?: number;
  cameraName?: (id: string) => string | undefined;
}

export function createAlertMonitor(options: AlertOptions): (event: NvrEvent) => void {
  const lowFraction = options.diskLowFraction ?? 0.05;
  const offline = new Set<string>();
  let diskLow = false;
  return (event) => {
    if (event.type === 'camera.state') {
      const { id, status } = event.payload;
      if (status.state === 'failed' || status.state === 'reconnecting') {
        if (offline.has(id)) return;
        offline.add(id);
        const name = options.cameraName?.(id) ?? id;
        options.notify({
          title: `Camera offline: ${name}`,
          body: status.error?.message ?? 'The camera stopped sending video; reconnecting.',
        });
      } else if (status.state === 'streaming') {
        offline.delete(id);
      }
    } else if (event.type === 'camera.removed') {
      offline.delete(event.payload.id);
    } else if (event.type === 'system.stats') {
      const { totalBytes, freeBytes } = event.payload.disk;
      if (totalBytes <= 0) return;
      const low = freeBytes / totalBytes < lowFraction;
      if (low && !diskLow) {
        const freeGb = (freeBytes / 1e9).toFixed(1);
        options.notify({
          title: 'Disk space low',
          body: `${freeGb} GB free: the oldest recordings will be deleted early.`,
        });
      }
      diskLow = low;
    }
  };
}
