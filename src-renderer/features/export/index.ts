// Export: the dialog and its pure range/job helpers. Public API of features/export.
export { ExportDialog } from './export-dialog';
export {
  DEFAULT_EXPORT_MS,
  EXPORT_PRESETS_MS,
  defaultExportRange,
  formatBytes,
  fromLocalInput,
  rangeProblem,
  toLocalInput,
  upsertJob,
} from './export-range';
export type { ExportRange } from './export-range';
