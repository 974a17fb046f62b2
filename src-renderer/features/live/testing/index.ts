// Test doubles of features/live (imported by tests only).
export { FakePeerConnection } from './fake-peer-connection';
