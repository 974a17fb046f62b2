// Engine supervisor against a plain Node child standing in for the utility process: a crash is reported,
// the child restarts on the same URL, and the engine client follows it across the restart.
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngineApi } from './engine-client';
import { EngineSupervisor, defaultBackoffMs, type EngineStatus } from './engine-supervisor';

const FAKE_ENGINE = path.join(__dirname, 'fixtures', 'fake-engine.mjs');
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function supervised(crashRuns: number) {
  const dir = mkdtempSync(path.join(tmpdir(), 'nvr-supervisor-'));
  const counter = path.join(dir, 'runs');
  const statuses: EngineStatus[] = [];
  const supervisor = new EngineSupervisor({
    modulePath: FAKE_ENGINE,
    fork: (modulePath, args) => fork(modulePath, args, { stdio: 'pipe' }),
    args: (lastPort) => [
      '--port',
      String(lastPort ?? 0),
      '--counter',
      counter,
      '--crash-runs',
      String(crashRuns),
    ],
    backoffMs: () => 20,
  });
  supervisor.on('status', (s) => statuses.push(s));
  cleanups.push(async () => {
    await supervisor.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return { supervisor, statuses, runs: () => Number(readFileSync(counter, 'utf8')) };
}

function waitFor(
  supervisor: EngineSupervisor,
  pred: (s: EngineStatus) => boolean,
): Promise<EngineStatus> {
  return new Promise((resolve) => {
    const on = (s: EngineStatus) => {
      if (pred(s)) {
        supervisor.off('status', on);
        resolve(s);
      }
    };
    supervisor.on('status', on);
  });
}

describe('EngineSupervisor', () => {
  it('restarts a crashing child on the same URL and reports each step', async () => {
    const { supervisor, statuses, runs } = supervised(2);
    const third = waitFor(supervisor, (s) => s.state === 'running' && s.restarts === 2);
    supervisor.start();
    const running = await third;
    expect(runs()).toBe(3);
    const states = statuses.map((s) => s.state);
    expect(states).toEqual([
      'starting',
      'running',
      'restarting',
      'starting',
      'running',
      'restarting',
      'starting',
      'running',
    ]);
    const crash = statuses.find((s) => s.state === 'restarting');
    expect(crash).toMatchObject({ exitCode: 3, retryInMs: 20 });
    const firstUrl = (statuses[1] as { url: string }).url;
    expect(running.state === 'running' && running.url).toBe(firstUrl);
    const res = await fetch(`${firstUrl}/api/health`);
    expect(await res.json()).toEqual({ ok: true, version: 'run-2' });
  });

  it('stop() kills the child and does not restart it', async () => {
    const { supervisor, statuses } = supervised(0);
    supervisor.start();
    const url = await supervisor.ready();
    await supervisor.stop();
    expect(supervisor.status.state).toBe('stopped');
    await expect(fetch(`${url}/api/health`)).rejects.toThrow();
    expect(statuses.filter((s) => s.state === 'restarting')).toHaveLength(0);
  });

  it('the engine client answers across a crash', async () => {
    const { supervisor } = supervised(1);
    const api = createEngineApi(supervisor);
    const restarted = waitFor(supervisor, (s) => s.state === 'running' && s.restarts === 1);
    supervisor.start();
    await restarted;
    expect(await api.health()).toEqual({ ok: true, version: 'run-1' });
  });

  it('backs off exponentially up to 5 s', () => {
    expect([0, 1, 2, 3, 10].map(defaultBackoffMs)).toEqual([250, 500, 1000, 2000, 5000]);
  });
});
