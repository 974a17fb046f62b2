// src-main/camera/onvif: ONVIF for the NVR: WS-Discovery (multicast and unicast), probing a device with
// credentials (profiles → stream URIs), a camera from a probe, PTZ, and the NvrApi handlers for them.
// The fake ONVIF device for tests and the demo is in ./testing.
export { OnvifService } from './onvif-service';
export type {
  OnvifServiceOptions,
  DiscoverRequest as OnvifDiscoverRequest,
  ProbeRequest as OnvifProbeRequest,
} from './onvif-service';
export { createOnvifHandlers, isDeviceAdded, ONVIF_METHODS } from './onvif-handlers';
export type { OnvifHandlerDeps, OnvifMethodName } from './onvif-handlers';
export { discoverOnvifDevices, defaultDiscoveryInterfaces } from './discovery';
export type { DiscoveryOptions, DiscoveryReport, IgnoredAnswer } from './discovery';
export { probeOnvifDevice, correctUriHost, chooseMainAndSub } from './probe';
export type { ProbeOptions } from './probe';
export { cameraFromProbe, defaultCameraName } from './camera-from-probe';
export type { CameraFromProbeOptions } from './camera-from-probe';
export { PtzSession } from './ptz';
export type { PtzTarget, PtzVelocity, PtzPreset, PtzCapabilities } from './ptz';
export { OnvifClient, classifyOnvifError } from './onvif-client';
export type { OnvifClientOptions, AuthMode } from './onvif-client';
export { expandUnicastTargets, DEFAULT_MAX_UNICAST_TARGETS } from './unicast-targets';
export type { UnicastTarget } from './unicast-targets';
export {
  WS_DISCOVERY_MULTICAST_ADDRESS,
  WS_DISCOVERY_PORT,
  parseProbeMatches,
  parseScopes,
  buildProbe,
} from './ws-discovery';
export type { ProbeMatch, ScopeInfo } from './ws-discovery';
