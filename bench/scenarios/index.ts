// The benchmark registry: every scenario `npm run bench -- <name>` can run. Add new ones here.
import type { Scenario } from '../lib/types';
import { record } from './record';
import { smoke } from './smoke';
import { indexQuery } from './index-query';
import { exportScenario } from './export';
import { seek } from './seek';
import { live } from './live';
import { ui } from './ui';

export const SCENARIOS: readonly Scenario[] = [
  smoke,
  record,
  indexQuery,
  exportScenario,
  seek,
  live,
  ui,
];

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
