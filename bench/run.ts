// Benchmark runner: `npm run bench -- <name> [--source] [scenario options]`. Runs one scenario from the
// registry, prints a table (value, reference, ratio) and writes bench/results/<name>.json with machine info.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import {
  ENGINE_ENTRY,
  startEngine,
  type EngineHandle,
  type StartEngineOptions,
} from '../e2e/fixtures/engine-process';
import { machineInfo } from './lib/machine';
import { formatTable, ratioOf } from './lib/table';
import type { BenchContext } from './lib/types';
import { SCENARIOS, findScenario } from './scenarios';

const REPO_ROOT = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

function usage(): string {
  const names = SCENARIOS.map((s) => `  ${s.name.padEnd(10)} ${s.description}`).join('\n');
  return `usage: npm run bench -- <name> [--source] [--runs N] [...]\n\nscenarios:\n${names}\n\n--source  run the engine from TypeScript with tsx instead of the build (dist/engine/serve.js)\n--profile DIR  write V8 CPU profiles of the engine's threads to DIR (open in Chrome DevTools)\n--node-arg X  pass a Node/V8 flag to the built engine (repeatable), e.g. --node-arg --trace-gc`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'list' || name === '--help' || name === '-h') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const scenario = findScenario(name);
  if (!scenario) {
    console.error(`unknown scenario '${name}'\n\n${usage()}`);
    return 2;
  }

  const fromSource = args.includes('--source');
  // --profile DIR: V8 CPU profiles of the engine's threads (built engine only), for `node --cpu-prof`.
  const profileAt = args.indexOf('--profile');
  const profileDir = profileAt >= 0 ? args[profileAt + 1] : undefined;
  // --node-arg X (repeatable): a V8/Node flag for the built engine, e.g. --trace-gc.
  const nodeArgs = args.flatMap((a, i) => (args[i - 1] === '--node-arg' ? [a] : []));
  if (profileDir) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${path.resolve(profileDir)}`);
  const engineCommand = fromSource
    ? [
        path.join(REPO_ROOT, 'node_modules/.bin/tsx'),
        path.join(REPO_ROOT, 'src-main/engine/serve.ts'),
      ]
    : nodeArgs.length > 0
      ? [process.execPath, ...nodeArgs, ENGINE_ENTRY]
      : undefined;
  const engines = new Set<EngineHandle>();
  const temps: string[] = [];
  const ctx: BenchContext = {
    repoRoot: REPO_ROOT,
    args,
    option: (key, fallback) => {
      const i = args.indexOf(`--${key}`);
      return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
    },
    log: (message) => console.error(`[${scenario.name}] ${message}`),
    startEngine: async (options: StartEngineOptions = {}) => {
      const engine = await startEngine({
        ...(engineCommand ? { command: engineCommand } : {}),
        ...options,
      });
      engines.add(engine);
      const stop = engine.stop;
      return Object.assign(engine, {
        stop: async () => {
          engines.delete(engine);
          await stop();
        },
      });
    },
    tempDir: () => {
      const dir = mkdtempSync(path.join(tmpdir(), `nvr-bench-${scenario.name}-`));
      temps.push(dir);
      return dir;
    },
  };

  const machine = machineInfo(REPO_ROOT);
  const started = performance.now();
  try {
    const result = await scenario.run(ctx);
    const durationMs = performance.now() - started;
    const rows = result.rows.map((r) => ({ ...r, ratio: ratioOf(r) }));
    const outDir = path.join(REPO_ROOT, 'bench/results');
    mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, `${scenario.name}.json`);
    const record = {
      name: scenario.name,
      description: scenario.description,
      args,
      engine: fromSource ? 'tsx src-main/engine/serve.ts' : path.relative(REPO_ROOT, ENGINE_ENTRY),
      machine,
      durationMs: Math.round(durationMs),
      rows,
      summary: result.summary,
    };
    writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
    console.log(
      `\n${scenario.name} — ${machine.cpus}× ${machine.cpuModel}, node ${machine.node}, ${machine.gitCommit?.slice(0, 10) ?? 'no commit'}\n`,
    );
    console.log(formatTable(result.rows));
    console.log(
      `\nwrote ${path.relative(process.cwd(), file)} (${(durationMs / 1000).toFixed(1)} s)`,
    );
    return 0;
  } finally {
    await Promise.allSettled([...engines].map((e) => e.stop()));
    for (const dir of temps) rmSync(dir, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
