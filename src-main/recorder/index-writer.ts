// IndexWriter: applies the recorders' events (runs, segments, fragments) to the SQLite index on the
// engine thread. Fragment rows are queued by the index and written by flush(), which the owner calls
// once a second for every stream at once (DESIGN §4). Owns the token → row id maps; does no file I/O.
import type { Logger } from '../base';
import type { RecordingIndex } from '../storage';
import type { RecorderEvent } from './protocol';

export class IndexWriter {
  private readonly runs = new Map<string, number>();
  private readonly segments = new Map<string, { id: number; streamKey: string }>();
  /** Latest recorded end per `cameraId/stream`, for progress events. */
  readonly recordedEndMs = new Map<string, number>();

  constructor(
    private readonly index: RecordingIndex,
    private readonly logger: Logger,
  ) {}

  apply(events: readonly RecorderEvent[]): void {
    for (const e of events) {
      try {
        this.applyOne(e);
      } catch (err) {
        // A bad event must not stop the others (the file is still on disk; recovery re-indexes it).
        this.logger.error({ err: String(err), event: e.type }, 'index update failed');
      }
    }
  }

  /** Writes all queued fragment updates in one transaction. */
  flush(): void {
    this.index.flush();
  }

  /** Closes whatever is still open (engine shutdown, a worker that died). */
  closeAll(endMs?: number): void {
    for (const { id } of this.segments.values()) this.index.closeSegment(id, endMs);
    this.segments.clear();
    for (const runId of this.runs.values()) {
      this.index.closeRun(runId, endMs ?? Date.now());
    }
    this.runs.clear();
  }

  private applyOne(e: RecorderEvent): void {
    switch (e.type) {
      case 'run.start':
        this.runs.set(
          e.runToken,
          this.index.createRun({ cameraId: e.cameraId, stream: e.stream, startMs: e.startMs }),
        );
        return;
      case 'segment.open': {
        const runId = this.runs.get(e.runToken);
        if (runId === undefined) throw new Error(`unknown run ${e.runToken}`);
        const id = this.index.openSegment({
          runId,
          cameraId: e.cameraId,
          stream: e.stream,
          startMs: e.startMs,
          path: e.path,
          initSize: e.initSize,
          codec: e.codec,
        });
        const streamKey = `${e.cameraId}/${e.stream}`;
        this.segments.set(e.segToken, { id, streamKey });
        this.recordedEndMs.set(streamKey, e.startMs);
        return;
      }
      case 'fragment': {
        const seg = this.segments.get(e.segToken);
        if (seg === undefined) throw new Error(`unknown segment ${e.segToken}`);
        this.index.appendFragments(seg.id, [e.fragment]);
        this.recordedEndMs.set(seg.streamKey, e.endMs);
        return;
      }
      case 'segment.close': {
        const seg = this.segments.get(e.segToken);
        if (seg === undefined) return;
        this.segments.delete(e.segToken);
        this.index.closeSegment(seg.id, e.endMs);
        return;
      }
      case 'run.end': {
        const id = this.runs.get(e.runToken);
        if (id === undefined) return;
        this.runs.delete(e.runToken);
        this.index.closeRun(id, e.endMs);
        return;
      }
      case 'recorder.error':
        this.logger.warn({ cameraId: e.cameraId, stream: e.stream, kind: e.kind }, e.message);
        return;
    }
  }
}
