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
export { bindApi, createHandlers } from './api-handlers';
export { findProjectRoot, readVersion, resolveRendererDir, resolveResourcesDir } from './paths';
