// The benchmark registry: every scenario `npm run bench -- <name>` can run. Add new ones here.
import type { Scenario } from '../lib/types';
import { smoke } from './smoke';

export const SCENARIOS: readonly Scenario[] = [smoke];

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
