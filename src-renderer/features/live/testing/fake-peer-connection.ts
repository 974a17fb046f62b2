// A fake RTCPeerConnection for the WHEP client's tests: records what the client does, lets the test
// emit connection states and hold the local description until it says so.
import type { PeerConnectionLike } from '../whep-client';

export class FakePeerConnection implements PeerConnectionLike {
  connectionState = 'new';
  localDescription: { sdp: string } | null = null;
  onconnectionstatechange: ((ev: unknown) => void) | null = null;
  ontrack: PeerConnectionLike['ontrack'] = null;
  remote: string | undefined;
  closed = false;
  transceivers: string[] = [];
  private held: (() => void) | undefined;

  /** `holdLocal`: setLocalDescription waits for releaseLocal(). */
  constructor(private readonly opts: { holdLocal?: boolean } = {}) {}

  addTransceiver(kind: 'video' | 'audio', init: { direction: string }) {
    this.transceivers.push(`${kind}:${init.direction}`);
  }
  createOffer() {
    return Promise.resolve({ type: 'offer', sdp: 'v=0 offer' });
  }
  setLocalDescription(d: { sdp?: string }) {
    const apply = () => void (this.localDescription = { sdp: d.sdp ?? '' });
    if (!this.opts.holdLocal) return Promise.resolve(apply());
    return new Promise<void>((resolve) => (this.held = () => resolve(apply())));
  }
  releaseLocal() {
    this.held?.();
  }
  setRemoteDescription(d: { sdp: string }) {
    if (!this.localDescription) return Promise.reject(new Error('no local description yet'));
    this.remote = d.sdp;
    return Promise.resolve();
  }
  close() {
    this.closed = true;
  }
  emit(state: string) {
    this.connectionState = state;
    this.onconnectionstatechange?.({});
  }
  /** The browser's `track` event. */
  addTrack(track: MediaStreamTrack) {
    this.ontrack?.({ track, streams: [] });
  }
}
