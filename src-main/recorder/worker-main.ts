// Entry of a recording worker thread: wires RecordingWorkerCore to the parent port.
import { parentPort, workerData } from 'node:worker_threads';
import { systemClock } from '../base';
import { RecordingWorkerCore } from './worker-core';
import type { WorkerCommand } from './protocol';

const port = parentPort;
if (!port) throw new Error('worker-main must run in a worker thread');
const data = workerData as { dataDir: string; segmentDurationMs?: number };
const core = new RecordingWorkerCore({
  dataDir: data.dataDir,
  clock: systemClock,
  post: (message, transfer) => port.postMessage(message, transfer),
  ...(data.segmentDurationMs !== undefined ? { segmentDurationMs: data.segmentDurationMs } : {}),
});
port.on('message', (cmd: WorkerCommand) => core.handle(cmd));
