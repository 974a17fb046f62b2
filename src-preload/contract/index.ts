// src-preload/contract: the shared kernel of every process (DESIGN §2, §7): NvrApi, its method table,
// DTO schemas, the event map and error kinds. Imports only zod: no node:, no DOM, no electron.
export * from './errors';
export * from './schemas';
export * from './limits';
export * from './view-schemas';
export * from './health-schemas';
export * from './auth-schemas';
export * from './stream-test-schemas';
export * from './events';
export * from './api';
export * from './validation';
export * from './http-client';
export * from './ipc';
