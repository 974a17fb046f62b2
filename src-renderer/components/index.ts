// Shared presentational pieces of the renderer: icons, the state dot, time formatting.
// No stores, no API: features and the app shell compose these.
export * from './icons';
export { StateDot } from './state-dot';
export { Dialog } from './dialog';
export type { DialogProps } from './dialog';
export { formatDate, formatTimeTenths, formatTick, formatSpan } from './format';
