// smoke: engine start-up. Time to the listening line and to the first /api/health answer, CPU spent
// starting, RSS of the engine's process tree after start and after settling, shutdown time; without
// cameras and with --demo. Reference: a bare Node HTTP server started the same way.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EngineHandle, StartEngineOptions } from '../../e2e/fixtures/engine-process';
import { readTreeStats } from '../lib/proc-stats';
import { median } from '../lib/stats';
import type { BenchContext, BenchRow, Scenario } from '../lib/types';

interface Sample {
  listenMs: number;
  healthMs: number;
  cpuToReadySec: number;
  rssReadyMb: number;
  rssSettledMb: number;
  cpuSettlePct: number;
  processes: number;
  stopMs: number;
}

const METRICS: { key: keyof Sample; metric: string; unit: string }[] = [
  { key: 'listenMs', metric: 'spawn → listening line', unit: 'ms' },
  { key: 'healthMs', metric: 'spawn → /api/health 200', unit: 'ms' },
  { key: 'cpuToReadySec', metric: 'CPU to ready', unit: 's' },
  { key: 'rssReadyMb', metric: 'RSS at ready', unit: 'MB' },
  { key: 'rssSettledMb', metric: 'RSS after settle', unit: 'MB' },
  { key: 'cpuSettlePct', metric: 'CPU while settling', unit: '% core' },
  { key: 'processes', metric: 'processes in tree', unit: '' },
  { key: 'stopMs', metric: 'SIGTERM → exit', unit: 'ms' },
];

async function getHealth(url: string): Promise<void> {
  const res = await fetch(`${url}/api/health`);
  if (res.status !== 200)
    throw new Error(`/api/health answered ${res.status}: ${await res.text()}`);
  const body = (await res.json()) as { ok?: unknown };
  if (body.ok !== true) throw new Error(`/api/health is not ok: ${JSON.stringify(body)}`);
}

async function measure(
  ctx: BenchContext,
  options: StartEngineOptions,
  settleMs: number,
): Promise<Sample> {
  const engine: EngineHandle = await ctx.startEngine(options);
  try {
    await getHealth(engine.url);
    const healthAt = performance.now();
    const ready = readTreeStats(engine.pid);
    await sleep(settleMs); // a benchmark window, not a wait for an event
    const settled = readTreeStats(engine.pid);
    const stopStart = performance.now();
    await engine.stop();
    return {
      listenMs: engine.listeningAt - engine.spawnedAt,
      healthMs: healthAt - engine.spawnedAt,
      cpuToReadySec: ready.cpuSec,
      rssReadyMb: ready.rssBytes / 1e6,
      rssSettledMb: settled.rssBytes / 1e6,
      cpuSettlePct: ((settled.cpuSec - ready.cpuSec) / (settleMs / 1000)) * 100,
      processes: settled.pids.length,
      stopMs: performance.now() - stopStart,
    };
  } catch (err) {
    await engine.stop();
    throw err;
  }
}

function summarize(samples: Sample[]): Sample {
  const out = {} as Sample;
  for (const { key } of METRICS) out[key] = median(samples.map((s) => s[key]));
  return out;
}

export const smoke: Scenario = {
  name: 'smoke',
  description:
    'Engine start-up: time to listening and to /api/health, CPU to ready, RSS after start and after settling, shutdown time; with no cameras and with --demo. Reference: a bare Node HTTP server.',
  async run(ctx) {
    const runs = Number(ctx.option('runs', '3'));
    const settleMs = Number(ctx.option('settle-ms', '3000'));
    const bare = [process.execPath, path.join(ctx.repoRoot, 'bench/lib/bare-server.mjs')];
    const cases: { name: string; options: StartEngineOptions }[] = [
      { name: 'no cameras', options: { demo: false } },
      { name: '--demo', options: { demo: true } },
    ];

    // Load this process's fetch (undici) once, so the first measured case does not pay for it.
    await fetch('http://127.0.0.1:9/').catch(() => undefined);

    const referenceSamples: Sample[] = [];
    const caseSamples = new Map<string, Sample[]>(cases.map((c) => [c.name, []]));
    for (let i = 0; i < runs; i++) {
      ctx.log(`run ${i + 1}/${runs}: reference (bare node server)`);
      referenceSamples.push(await measure(ctx, { command: bare, demo: false }, settleMs));
      for (const c of cases) {
        ctx.log(`run ${i + 1}/${runs}: engine ${c.name}`);
        caseSamples.get(c.name)!.push(await measure(ctx, c.options, settleMs));
      }
    }

    const ref = summarize(referenceSamples);
    const rows: BenchRow[] = [];
    const summary: Record<string, number> = { runs, settleMs };
    for (const c of cases) {
      const med = summarize(caseSamples.get(c.name)!);
      for (const m of METRICS) {
        rows.push({
          case: c.name,
          metric: m.metric,
          value: med[m.key],
          unit: m.unit,
          reference: ref[m.key],
          referenceName: 'bare node http server',
        });
        summary[`${c.name}: ${m.key}`] = med[m.key];
      }
    }
    return { rows, summary };
  },
};
