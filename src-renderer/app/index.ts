// The app shell of the renderer: the window's panes, the API provider and the engine→stores sync.
export { AppShell } from './app-shell';
export { ApiProvider, useApi } from './api-context';
export { startEngineSync } from './engine-sync';
export type { EngineSyncStores } from './engine-sync';
export { warmStartGrid } from './grid-warm-start';
export type { GridWarmStartStores } from './grid-warm-start';
export { handleHotkey } from './use-hotkeys';
