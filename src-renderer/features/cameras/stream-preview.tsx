// A stream's picture in the add-camera wizard and camera settings: runs the engine's testStream (or
// testCameraStream for a stored camera) once per request and shows the JPEG with codec and size, or the
// failure in words. Holds no camera state; the engine does the work.
import { useEffect, useState } from 'react';
import type {
  CameraStreamTestRequest,
  StreamTestRequest,
  StreamTestResult,
} from '../../../src-preload/contract';
import type { Transport } from '../../api';
import { streamFormat } from './camera-forms';

type Phase =
  | { kind: 'idle' }
  | { kind: 'testing' }
  | { kind: 'done'; result: StreamTestResult; forRequest?: string };

const signature = (r: unknown) => (r ? JSON.stringify(r) : '');

const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

type TestCall<R> = (api: Transport, request: R) => Promise<StreamTestResult>;
const byUrl: TestCall<StreamTestRequest> = (api, r) => api.testStream(r);
const byCamera: TestCall<CameraStreamTestRequest> = (api, r) => api.testCameraStream(r);

/**
 * Runs testStream for `request` whenever `runKey` changes (undefined: not yet). A result is shown only
 * for the request it answered: editing the URL or the login clears it (no old picture or error next
 * to a new URL), and a new run clears it at once.
 */
export function useStreamTest(
  api: Transport,
  request: StreamTestRequest | undefined,
  runKey: string | number | undefined,
): Phase {
  return useTestRun(api, byUrl, request, runKey);
}

/** The same for a stored camera (camera settings): the engine adds the stored password. */
export function useCameraStreamTest(
  api: Transport,
  request: CameraStreamTestRequest | undefined,
  runKey: string | number | undefined,
): Phase {
  return useTestRun(api, byCamera, request, runKey);
}

function useTestRun<R>(
  api: Transport,
  call: TestCall<R>,
  request: R | undefined,
  runKey: string | number | undefined,
): Phase {
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  useEffect(() => {
    if (!request || runKey === undefined) return;
    let live = true;
    const forRequest = signature(request);
    setPhase({ kind: 'testing' });
    call(api, request).then(
      (result) => live && setPhase({ kind: 'done', result, forRequest }),
      (e: unknown) =>
        live &&
        setPhase({
          kind: 'done',
          result: { ok: false, error: { kind: 'internal', message: errText(e) }, elapsedMs: 0 },
          forRequest,
        }),
    );
    return () => {
      live = false;
    };
    // The request is read when the key changes; a new object with the same key does not rerun it.
  }, [api, call, runKey]);
  if (phase.kind === 'done' && phase.forRequest !== signature(request)) return { kind: 'idle' };
  return phase;
}

/** The picture (or the error) of one test; `compact` for a profile row's thumbnail. */
export function StreamPreview({ phase, compact }: { phase: Phase; compact?: boolean }) {
  const cls = compact ? 'preview compact' : 'preview';
  if (phase.kind === 'idle') return null;
  if (phase.kind === 'testing')
    return (
      <div className={cls} aria-busy="true">
        <div className="preview-frame loading">{compact ? '…' : 'Connecting to the stream…'}</div>
      </div>
    );
  const r = phase.result;
  if (!r.ok)
    return (
      <div className={cls} data-state="error">
        <div className="preview-frame failed" role={compact ? undefined : 'alert'}>
          {r.error.message}
        </div>
      </div>
    );
  return (
    <div className={cls} data-state="ok">
      <img
        className="preview-frame"
        alt="Stream snapshot"
        src={`data:image/jpeg;base64,${r.snapshotJpegBase64}`}
      />
      {!compact && <div className="preview-info">{streamFormat(r)}</div>}
    </div>
  );
}
