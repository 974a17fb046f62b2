// Prepares an export of one or several cameras over one window: holds the segments (retention keeps
// them until release), plans every track, lays the MP4 out and names it. The bytes flow later.
import type { Readable } from 'node:stream';
import type { Logger } from '../base';
import { NvrError } from '../base';
import type { RecordingIndex } from '../storage';
import { exportStream, layoutExport } from './export-output';
import type { ExportLayout } from './export-output';
import { planExportTrack } from './export-plan';
import type { ExportTrackPlan, GapMode } from './export-plan';

export interface PrepareExportInput {
  index: RecordingIndex;
  dataDir: string;
  logger: Logger;
  cameraIds: readonly string[];
  stream: string;
  fromMs: number;
  toMs: number;
  gaps: GapMode;
  signal?: AbortSignal;
}

export interface PreparedExport {
  /** `<camera>-<start ISO 8601 basic>.mp4`, cameras joined with '+'. */
  fileName: string;
  /** Exact size of the file. */
  sizeBytes: number;
  durationMs: number;
  startWallMs: number;
  endWallMs: number;
  layout: ExportLayout;
  tracks: readonly ExportTrackPlan[];
  /** The bytes (once); the hold is released when the stream ends, fails or is destroyed. */
  open(hooks?: { onBytes?: (bytes: number) => void }): Readable;
  /** Releases the hold on the segments (idempotent; open() streams release on their end). */
  release(): void;
}

/** 2026-11-21T12:36:07.250Z → 20261121T123607Z (safe in file names on every OS). */
export function isoBasic(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace('.000', '');
}

export async function prepareExport(input: PrepareExportInput): Promise<PreparedExport> {
  const { index } = input;
  // Query and hold in one synchronous step: retention runs on this thread, so nothing can go between.
  const rowsByCamera = input.cameraIds.map((cameraId) =>
    index.querySegments({ cameraId, stream: input.stream, fromMs: input.fromMs, toMs: input.toMs }),
  );
  let released = false;
  const releaseHold = index.hold(rowsByCamera.flat().map((r) => r.id));
  const release = () => {
    if (released) return;
    released = true;
    releaseHold();
  };
  try {
    const plans: ExportTrackPlan[] = [];
    for (let i = 0; i < input.cameraIds.length; i++) {
      const plan = await planExportTrack({
        dataDir: input.dataDir,
        cameraId: input.cameraIds[i]!,
        stream: input.stream,
        fromMs: input.fromMs,
        toMs: input.toMs,
        gaps: input.gaps,
        rows: rowsByCamera[i]!,
        logger: input.logger,
        ...(input.signal ? { signal: input.signal } : {}),
      });
      if (plan) plans.push(plan);
    }
    if (input.signal?.aborted) throw new NvrError('cancelled', 'export cancelled');
    if (plans.length === 0)
      throw new NvrError(
        'not_found',
        `nothing recorded for ${input.cameraIds.join(', ')} (${input.stream}) between ${new Date(input.fromMs).toISOString()} and ${new Date(input.toMs).toISOString()}`,
        { field: 'from', fromMs: input.fromMs, toMs: input.toMs },
      );
    const comment = `NVR export: ${plans.map((p) => `${p.cameraId}/${p.stream}`).join(', ')} from ${new Date(input.fromMs).toISOString()} to ${new Date(input.toMs).toISOString()}`;
    const layout = layoutExport(plans, comment);
    const fileName = `${plans.map((p) => p.cameraId).join('+')}-${isoBasic(layout.startWallMs)}.mp4`;
    let opened = false;
    return {
      fileName,
      sizeBytes: layout.layout.totalSizeBytes,
      durationMs: layout.durationMs,
      startWallMs: layout.startWallMs,
      endWallMs: layout.endWallMs,
      layout,
      tracks: plans,
      release,
      open(hooks = {}) {
        if (opened) throw new NvrError('internal', 'an export can be streamed once');
        opened = true;
        return exportStream(input.dataDir, layout, {
          ...(hooks.onBytes ? { onBytes: hooks.onBytes } : {}),
          onEnd: (error) => {
            release();
            if (error)
              input.logger.info({ fileName, err: String(error) }, 'export stream ended early');
          },
        });
      },
    };
  } catch (e) {
    release();
    throw e;
  }
}
