// Entry of the engine's recording workers: the recorder plus the live viewers of its streams.
import { runRecordingWorker } from '../recorder';
import { streamWorkerExtension } from './stream-worker';

runRecordingWorker(streamWorkerExtension);
