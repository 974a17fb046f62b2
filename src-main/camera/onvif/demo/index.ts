// The simulated ONVIF device of `serve --demo` and of the tests (discovery, profiles, snapshots, PTZ).
// Not on any path a real camera takes: only the demo and the tests start one.
export { FakeOnvifDevice, startFakeOnvifDevices, DEFAULT_FAKE_PROFILES } from './fake-onvif-device';
export type { FakeOnvifDeviceOptions, BrokenMode, FakeCall } from './fake-onvif-device';
export type { FakePtzState } from './fake-ptz';
export type { FakeProfile, FakePreset } from './fake-soap';
export type { DiscoveryReplyMode } from './fake-discovery-responder';
export { SNAPSHOT_JPEG } from './snapshot-jpeg';
