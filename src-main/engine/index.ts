// src-main/engine: composition root, NvrApi implementation, config and the `serve` CLI (serve.ts).
export { createEngine } from './engine';
export type { Engine, EngineDeps } from './engine';
export {
  parseCommandLine,
  defaultDataDir,
  isLoopbackHost,
  DEFAULT_HOST,
  DEFAULT_PORT,
  USAGE,
} from './config';
export type { EngineConfig, Env, ParsedCommand } from './config';
export { MemoryCameraStore, toApiCamera, applyCameraPatch, cameraIdFromName } from './camera-store';
export type { CameraStore, StoredCamera } from './camera-store';
export { EventBus } from './event-bus';
export { MemoryViewStore, createViewHandlers, toApiView } from './views';
export type { StoredView, ViewBody, ViewStore } from './views';
export { bindApi, createHandlers } from './api-handlers';
export { findProjectRoot, readVersion, resolveRendererDir, resolveResourcesDir } from './paths';
export {
  SECRET_KEY_ENV,
  SECRET_KEY_FILE,
  keyFileCipher,
  loadOrCreateKey,
  takeKeyFromEnv,
} from './secret-key';
export type { SecretCipher } from './secret-key';
