// The benchmark scenario contract: a scenario measures, returns rows (one number each, optionally with a
// reference measured in the same run) and a summary. The runner adds machine info, ratios and the table.
import type { EngineHandle, StartEngineOptions } from '../../e2e/fixtures/engine-process';

export interface BenchRow {
  /** What was measured under which condition, e.g. 'demo (4 cameras)'. */
  case: string;
  /** e.g. 'time to /api/health' */
  metric: string;
  value: number;
  unit: string;
  /** The same metric for the reference (e.g. ffmpeg -c copy, a bare node server) in this run. */
  reference?: number | null;
  /** What the reference is, e.g. 'bare node http server'. */
  referenceName?: string;
}

export interface ScenarioResult {
  rows: BenchRow[];
  summary: Record<string, number | string | boolean | null>;
}

export interface BenchContext {
  repoRoot: string;
  /** Arguments after the scenario name (`npm run bench -- smoke --runs 5` → ['--runs', '5']). */
  args: readonly string[];
  /** `--name value` from args, or the fallback. */
  option(name: string, fallback: string): string;
  log(message: string): void;
  /** Starts the engine (built one unless `--source`), tracked so the runner stops it on failure. */
  startEngine(options?: StartEngineOptions): Promise<EngineHandle>;
  /** A temp dir removed after the run. */
  tempDir(): string;
}

export interface Scenario {
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<ScenarioResult>;
}
