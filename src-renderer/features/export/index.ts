// Export: the docked dialog and its pure range/handle/job helpers. Public API of features/export.
export { ExportDialog } from './export-dialog';
export {
  DEFAULT_EXPORT_MS,
  EXPORT_PRESETS_MS,
  MAX_EXPORT_MS,
  MIN_EXPORT_MS,
  defaultExportRange,
  dragRange,
  estimateSizes,
  hitRange,
  presetRange,
  formatBytes,
  fromLocalInput,
  rangeProblem,
  toLocalInput,
  upsertJob,
} from './export-range';
export type { ExportRange, RangePart } from './export-range';
