// src-main/camera: talking to cameras. RTSP client and server (rtsp/), the camera session that
// reconnects, and the StreamHub that fans one stream out to the recorder, live viewers and snapshots.
export * from './stream-hub';
export { toStreamTrack } from './stream-track';
export * from './rtsp';
