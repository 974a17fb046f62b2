// Test support for the live module (a camera hub on the project's RTSP server, a werift WHEP client).
export { DEMO_DIR, startCameraHub } from './camera-hub';
export type { CameraHub } from './camera-hub';
export { connectViewer, createWhepClient, h264PayloadNalTypes } from './whep-client';
export type { ReceivedPacket, WhepTestClient, WhepTestClientOptions } from './whep-client';
