// Entry of a recording worker thread without extensions (the engine's entry adds its live viewers).
import { runRecordingWorker } from './worker-thread';

runRecordingWorker();
