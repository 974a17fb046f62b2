// Runs RecordingWorkerCore on a worker thread's parent port; an entry module calls it, with the
// extension its engine hosts next to the recorder (the same factory RecordingService uses in-thread).
import { parentPort, workerData } from 'node:worker_threads';
import { systemClock } from '../base';
import { RecordingWorkerCore } from './worker-core';
import type { WorkerExtensionFactory } from './worker-core';
import type { WorkerCommand } from './protocol';

/** What RecordingService passes to each worker. */
export interface RecordingWorkerData {
  dataDir: string;
  segmentDurationMs?: number;
  logLevel: string;
}

export function runRecordingWorker(extension?: WorkerExtensionFactory): void {
  const port = parentPort;
  if (!port) throw new Error('a recording worker must run in a worker thread');
  const data = workerData as RecordingWorkerData;
  const core = new RecordingWorkerCore({
    dataDir: data.dataDir,
    clock: systemClock,
    post: (message, transfer) => port.postMessage(message, transfer),
    ...(data.segmentDurationMs !== undefined ? { segmentDurationMs: data.segmentDurationMs } : {}),
    ...(extension ? { extension } : {}),
    logLevel: data.logLevel,
  });
  port.on('message', (cmd: WorkerCommand) => core.handle(cmd));
}
