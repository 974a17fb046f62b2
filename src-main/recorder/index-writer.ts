// IndexWriter: applies the recorders' events (runs, segments, fragments) to the SQLite index on the
// engine thread. Fragment rows are queued by the index and written by flush(), which the owner calls
// once a second for every stream at once (DESIGN §4). Owns the token → row id maps; does no file I/O.
import { LogLimiter } from '../base';
import type { Logger } from '../base';
import { discardSegment, type RecordingIndex } from '../storage';
import type { RecorderEvent } from './protocol';

/** SQLite's own failures (SQLITE_FULL, SQLITE_IOERR, ...): worth retrying once the disk recovers. */
function isDatabaseError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_');
}

export class IndexWriter {
  private readonly runs = new Map<string, { id: number; streamKey: string }>();
  private readonly segments = new Map<
    string,
    { id: number; streamKey: string; path: string; fragments: number }
  >();
  private readonly backlog: RecorderEvent[] = [];
  /** Latest recorded end per `cameraId/stream`, for progress events. */
  readonly recordedEndMs = new Map<string, number>();
  /** Repeated warnings of one camera stream (a camera with broken timestamps) are rate-limited. */
  private readonly log: LogLimiter;

  constructor(
    private readonly index: RecordingIndex,
    logger: Logger,
    nowMs: () => number = () => performance.now(),
  ) {
    this.log = new LogLimiter(logger, { perWindow: 5, windowMs: 60_000, nowMs });
  }

  apply(events: readonly RecorderEvent[]): void {
    for (const e of events) {
      if (this.backlog.length > 0) {
        this.backlog.push(e); // keep the order behind events the database could not take yet
        continue;
      }
      this.applyOrQueue(e);
    }
  }

  /** Writes all queued fragment updates in one transaction, after retrying the backlog. */
  flush(): void {
    this.retryBacklog();
    this.index.flush();
  }

  /** Re-applies, in order, the events the database could not take; what fails again waits again. */
  private retryBacklog(): void {
    this.apply(this.backlog.splice(0));
  }

  private applyOrQueue(e: RecorderEvent): void {
    try {
      this.applyOne(e);
    } catch (err) {
      if (isDatabaseError(err)) {
        // Full disk or I/O error: keep the event and retry at the next flush, in order.
        this.backlog.push(e);
        return;
      }
      // A bad event must not stop the others (the file is still on disk; recovery re-indexes it).
      const key = 'cameraId' in e ? `${e.cameraId}/${e.stream}/index` : `index/${e.type}`;
      this.log.log('error', key, { err: String(err), event: e.type }, 'index update failed');
    }
  }

  /** Closes whatever is still open (engine shutdown, a worker that died). */
  closeAll(endMs?: number): void {
    this.retryBacklog();
    for (const { id } of this.segments.values()) this.index.closeSegment(id, endMs);
    this.segments.clear();
    for (const { id } of this.runs.values()) {
      this.index.closeRun(id, endMs ?? Date.now());
    }
    this.runs.clear();
  }

  /**
   * Forgets the open runs and segments of streams whose worker died (their rows are closed from the
   * files by storage's recoverStreams); events the database could not take yet are retried first.
   */
  abandonStreams(streamKeys: ReadonlySet<string>): void {
    this.retryBacklog();
    for (const [token, seg] of this.segments)
      if (streamKeys.has(seg.streamKey)) this.segments.delete(token);
    for (const [token, run] of this.runs)
      if (streamKeys.has(run.streamKey)) this.runs.delete(token);
  }

  private applyOne(e: RecorderEvent): void {
    switch (e.type) {
      case 'run.start':
        this.runs.set(e.runToken, {
          id: this.index.createRun({ cameraId: e.cameraId, stream: e.stream, startMs: e.startMs }),
          streamKey: `${e.cameraId}/${e.stream}`,
        });
        return;
      case 'segment.open': {
        let runId = this.runs.get(e.runToken)?.id;
        if (runId === undefined) {
          // Its run.start failed (a full disk fails SQLite too): open the run here instead.
          runId = this.index.createRun({
            cameraId: e.cameraId,
            stream: e.stream,
            startMs: e.startMs,
          });
          this.runs.set(e.runToken, { id: runId, streamKey: `${e.cameraId}/${e.stream}` });
        }
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
        this.segments.set(e.segToken, { id, streamKey, path: e.path, fragments: 0 });
        this.recordedEndMs.set(streamKey, e.startMs);
        return;
      }
      case 'fragment': {
        const seg = this.segments.get(e.segToken);
        if (seg === undefined) throw new Error(`unknown segment ${e.segToken}`);
        this.index.appendFragments(seg.id, [e.fragment]);
        seg.fragments++;
        this.recordedEndMs.set(seg.streamKey, e.endMs);
        return;
      }
      case 'segment.close': {
        const seg = this.segments.get(e.segToken);
        if (seg === undefined) return;
        // A segment whose first fragment never made it (disk full) holds no video: drop it.
        if (seg.fragments === 0) discardSegment(this.index, { id: seg.id, path: seg.path });
        else this.index.closeSegment(seg.id, e.endMs);
        this.segments.delete(e.segToken);
        return;
      }
      case 'run.end': {
        const run = this.runs.get(e.runToken);
        if (run === undefined) return;
        this.runs.delete(e.runToken);
        this.index.closeRun(run.id, e.endMs);
        return;
      }
      case 'recorder.error':
        this.log.log(
          'warn',
          `${e.cameraId}/${e.stream}/${e.kind}`,
          { cameraId: e.cameraId, stream: e.stream, kind: e.kind },
          e.message,
        );
        return;
    }
  }
}
