// Test and demo helpers of camera/onvif: the fake ONVIF device. Never used by the product's own paths
// (only by tests and `serve --demo`).
export { FakeOnvifDevice, startFakeOnvifDevices, DEFAULT_FAKE_PROFILES } from './fake-onvif-device';
export type { FakeOnvifDeviceOptions, BrokenMode, FakeCall } from './fake-onvif-device';
export type { FakePtzState } from './fake-ptz';
export type { FakeProfile, FakePreset } from './fake-soap';
export type { DiscoveryReplyMode } from './fake-discovery-responder';
export { SNAPSHOT_JPEG } from './snapshot-jpeg';
