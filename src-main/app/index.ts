// src-main/app public API: the testable parts of the Electron main process (main.ts is the entry point
// and wires real electron into these). Nothing outside src-main/app imports this folder.
export * from './alerts';
export * from './app-protocol';
export * from './engine-client';
export * from './engine-supervisor';
export * from './ipc-bridge';
export * from './menus';
export * from './navigation-guard';
export * from './recording-pause';
export * from './settings-store';
export * from './updater';
export * from './window-options';
export * from './window-state';
