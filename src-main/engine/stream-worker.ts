// What the engine's recording workers host next to the recorder: the WebRTC viewers of their
// streams (live/whep-remote), so a stream's packets are sealed and sent by the thread that receives
// them. The in-thread slot (workers: 0) uses the same factory.
import { threadId } from 'node:worker_threads';
import { createLogger, isLogLevel } from '../base';
import { isWhepWorkerCommand, nativeSrtpLoader, serveWhep } from '../live';
import type { WorkerExtensionFactory } from '../recorder';

export const streamWorkerExtension: WorkerExtensionFactory = (ctx) => {
  const logger = createLogger({
    level: isLogLevel(ctx.logLevel) ? ctx.logLevel : 'info',
    bindings: { pid: process.pid, thread: threadId, module: 'live' },
  });
  const whep = serveWhep({
    openHub: ctx.openHub,
    post: ctx.post,
    nativeSrtp: nativeSrtpLoader(true, logger),
    logger,
    // No prewarm: werift is loaded on the worker's first viewer. Loaded, its ~35 MB heap is marked by
    // every major GC of a thread that churns camera bytes: a third more CPU recording 16 streams
    // (0.62 → 0.41 s per stream-minute, all in V8's GC threads), paid by cameras nobody watches.
  });
  return {
    handle: (body) => {
      if (isWhepWorkerCommand(body)) whep.handle(body);
    },
    streamStopped: (cameraId, stream) => whep.streamStopped(cameraId, stream),
    close: () => whep.close(),
  };
};

/** The module the engine's recording workers run: the bundle's sibling file, or the source. */
export const STREAM_WORKER_ENTRY = new URL(
  import.meta.url.endsWith('.ts') ? './stream-worker-main.ts' : './stream-worker.js',
  import.meta.url,
);
