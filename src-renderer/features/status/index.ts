// Status panel: system info, disk forecast. Public API of features/status.
export { StatusDialog } from './status-dialog';
export { daysAtRate, formatDays } from './system-math';
