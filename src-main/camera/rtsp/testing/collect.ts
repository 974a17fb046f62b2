// Test harness: gathers access units from an RTSP client until a count is reached, plus the checks
// every stream test repeats (keyframe spacing, timestamp steps). Tests only.
import type { AccessUnit } from '../../../media';
import type { RtspClient } from '../client';
import type { TrackInfo } from '../client-types';

export interface Collected {
  aus: AccessUnit[];
  track: TrackInfo | undefined;
}

/** Resolves after `count` access units; rejects on timeout or when the client closes first. */
export function collectAccessUnits(
  client: RtspClient,
  count: number,
  timeoutMs = 15_000,
): Promise<Collected> {
  return new Promise((resolve, reject) => {
    const aus: AccessUnit[] = [];
    let track: TrackInfo | undefined;
    const timer = setTimeout(
      () => finish(new Error(`only ${aus.length} of ${count} access units in ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onAu = (au: AccessUnit, t: TrackInfo): void => {
      aus.push(au);
      track = t;
      if (aus.length >= count) finish();
    };
    const onClose = (err: unknown): void =>
      finish(err instanceof Error ? err : new Error('client closed'));
    function finish(err?: Error): void {
      clearTimeout(timer);
      client.off('accessUnit', onAu);
      client.off('close', onClose);
      if (err) reject(err);
      else resolve({ aus, track });
    }
    client.on('accessUnit', onAu);
    client.on('close', onClose);
  });
}

/** Indexes of keyframes. */
export function keyframeIndexes(aus: readonly AccessUnit[]): number[] {
  return aus.flatMap((au, i) => (au.isKeyframe ? [i] : []));
}

/** Differences between consecutive presentation times. */
export function ptsSteps(aus: readonly AccessUnit[]): number[] {
  return aus.slice(1).map((au, i) => au.pts90k - aus[i]!.pts90k);
}
