// Disk, CPU and memory figures for GET /api/system. Reads OS counters only; the size of the recordings
// comes from storage (passed in), never from scanning the recordings folder here.
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { statfsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Clock } from '../base';

export interface DiskUsage {
  totalBytes: number;
  freeBytes: number;
}

/** Disk of the folder (or of its nearest existing parent, before the folder is created). */
export function diskUsage(dir: string): DiskUsage {
  let current = path.resolve(dir);
  for (;;) {
    try {
      const s = statfsSync(current);
      return { totalBytes: s.blocks * s.bsize, freeBytes: s.bavail * s.bsize };
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return { totalBytes: 0, freeBytes: 0 };
      current = parent;
    }
  }
}

/** CPU use of this process in percent of one core, averaged since the previous call. */
export class CpuMeter {
  private lastUsage = process.cpuUsage();
  private lastMs: number;

  constructor(private readonly clock: Clock) {
    this.lastMs = clock.monotonicMs();
  }

  sample(): number {
    const usage = process.cpuUsage();
    const nowMs = this.clock.monotonicMs();
    const cpuMs = (usage.user - this.lastUsage.user + usage.system - this.lastUsage.system) / 1000;
    const wallMs = nowMs - this.lastMs;
    this.lastUsage = usage;
    this.lastMs = nowMs;
    if (wallMs <= 0) return 0;
    return Math.round((cpuMs / wallMs) * 1000) / 10;
  }
}

export function memoryFigures(): { totalBytes: number; freeBytes: number; rssBytes: number } {
  return {
    totalBytes: os.totalmem(),
    freeBytes: os.freemem(),
    rssBytes: process.memoryUsage.rss(),
  };
}

export function cpuFigures(meter: CpuMeter): { cores: number; percent: number; loadAvg: number[] } {
  return { cores: os.availableParallelism(), percent: meter.sample(), loadAvg: os.loadavg() };
}

/**
 * Event-loop delay of this thread, as percentiles since the previous read (then reset). Measured only
 * while someone reads it: Node's histogram wakes the loop every 5 ms, which alone costs ~1.4 % of a
 * core on the 2-core CI machine (most of an idle engine's CPU). So the first read starts it and has no
 * figures yet, and it stops when nobody has read it for two minutes. Node's histogram records the
 * interval between its timer's runs, so the resolution is taken off.
 */
export class EventLoopDelayMeter {
  private static readonly RESOLUTION_MS = 5;
  private static readonly OFF_AFTER_MS = 120_000;
  private histogram: IntervalHistogram | undefined;
  private offTimer: ReturnType<typeof setTimeout> | undefined;

  read(): { p50: number; p99: number; max: number } | undefined {
    clearTimeout(this.offTimer);
    this.offTimer = setTimeout(() => this.dispose(), EventLoopDelayMeter.OFF_AFTER_MS);
    this.offTimer.unref?.();
    const h = this.histogram;
    if (!h) {
      this.histogram = monitorEventLoopDelay({ resolution: EventLoopDelayMeter.RESOLUTION_MS });
      this.histogram.enable();
      return undefined;
    }
    const ms = (ns: number) =>
      Math.max(0, Math.round((ns / 1e6 - EventLoopDelayMeter.RESOLUTION_MS) * 100) / 100);
    const figures =
      h.count > 0
        ? { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max) }
        : { p50: 0, p99: 0, max: 0 };
    h.reset();
    return figures;
  }

  dispose(): void {
    clearTimeout(this.offTimer);
    this.histogram?.disable();
    this.histogram = undefined;
  }
}
