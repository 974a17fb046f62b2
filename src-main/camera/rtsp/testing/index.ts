// Test harnesses of the RTSP module (fake cameras, GStreamer's server, ffprobe facts,
// access unit collection). Imported by tests only; nothing in the product uses them.
export { startGstServer, gstAvailable } from './gst-server';
export type { GstServer, GstServerOptions } from './gst-server';
export { startGstFileServers } from './gst-file-server';
export type { GstFileMount, GstFileServerSpec, GstFileServers } from './gst-file-server';
export { startFakeCamera, cameraScript, H264_SDP } from './fake-camera';
export type { FakeCamera, FakeCameraHandlers, FakeConnection } from './fake-camera';
export { probeClip } from './probe';
export type { ClipFacts } from './probe';
export { collectAccessUnits, keyframeIndexes, ptsSteps } from './collect';
export type { Collected } from './collect';
export { startSdpProxy } from './sdp-proxy';
export type { SdpProxy } from './sdp-proxy';
