// src-main/recorder: recording pipeline (a StreamHub consumer writing fMP4 segments) and the recording
// workers; the engine-thread RecordingService applies their events to the SQLite index.
export { RecordingService } from './recording-service';
export type { RecordingServiceOptions, WorkerCrashListener } from './recording-service';
export type { RestartPolicy, WorkerCrash } from './worker-supervisor';
export { StreamRecorder } from './stream-recorder';
export type { StreamRecorderOptions } from './stream-recorder';
export type { StreamJob, StreamName, StreamReport, RecorderEvent } from './protocol';
export { runRecordingWorker } from './worker-thread';
export type {
  WorkerExtension,
  WorkerExtensionContext,
  WorkerExtensionFactory,
} from './worker-core';
