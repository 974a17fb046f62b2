import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { nullLogger } from '../base';
import { createEngine } from './engine';
import type { Engine, EngineDeps } from './engine';
import type { EngineConfig } from './config';
import { findDemoScenes } from './demo';
import { findProjectRoot, resolveResourcesDir } from './paths';
import type { NvrEvent } from '../../src-preload/contract';

const run = promisify(execFile);
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'nvr-engine-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function engineFor(
  config: Partial<EngineConfig> & { dataDir: string },
  deps: EngineDeps = {},
): Engine {
  const engine = createEngine(
    { host: '127.0.0.1', port: 0, demo: false, logLevel: 'silent', ...config },
    { logger: nullLogger(), ...deps },
  );
  cleanups.push(() => engine.stop());
  return engine;
}

describe('engine', () => {
  it('starts on a free port, creates the data folder, serves the API, stops idempotently', async () => {
    const dataDir = path.join(await tempDir(), 'nested', 'data');
    const engine = engineFor({ dataDir });
    const { url } = await engine.start();
    expect(url).toBe(engine.url);
    expect((await stat(dataDir)).isDirectory()).toBe(true);
    const health = (await (await fetch(`${url}/api/health`)).json()) as {
      ok: boolean;
      version: string;
    };
    expect(health).toEqual({ ok: true, version: engine.version });
    expect(engine.version).toMatch(/^\d+\.\d+\.\d+/);
    await expect(engine.start()).rejects.toThrow(/cannot start/);
    await engine.stop();
    await engine.stop();
    await expect(fetch(`${url}/api/health`)).rejects.toThrow();
  });

  it('validates API input and emits events through the bus', async () => {
    const engine = engineFor({ dataDir: await tempDir() });
    const events: NvrEvent[] = [];
    const off = engine.api.subscribe((e) => events.push(e));
    await expect(
      engine.api.addCamera({ name: 'X', streams: { main: { url: 'nope' } } }),
    ).rejects.toMatchObject({
      kind: 'bad_request',
      context: { field: 'streams.main.url' },
    });
    const cam = await engine.api.addCamera({
      name: 'X',
      streams: { main: { url: 'rtsp://127.0.0.1:1/x' } },
    });
    await engine.api.updateCamera({ id: cam.id, patch: { name: 'Y' } });
    await engine.api.deleteCamera({ id: cam.id });
    off();
    await engine.api.addCamera({ name: 'Z', streams: { main: { url: 'rtsp://127.0.0.1:1/z' } } });
    expect(events.map((e) => e.type)).toEqual(['camera.added', 'camera.updated', 'camera.removed']);
    await expect(engine.api.getLivePlaylistUrl({ id: 'z' })).rejects.toMatchObject({
      kind: 'unavailable',
    });
    const { url } = await engine.start();
    expect(await engine.api.getLivePlaylistUrl({ id: 'z', stream: 'sub' })).toEqual({
      url: `${url}/api/cameras/z/hls/live.m3u8?stream=sub`,
    });
    const system = await engine.api.getSystem();
    expect(system.disk.totalBytes).toBeGreaterThan(0);
    expect(system.memory.rssBytes).toBeGreaterThan(0);
    expect(system.cameras).toEqual([{ id: 'z', bitrateKbps: 0 }]);
    // The event-loop delay is measured only once someone asks: the first answer has no figures.
    expect(system.eventLoopDelayMs).toBeUndefined();
    await new Promise((r) => setTimeout(r, 20)); // its timer has run once
    const blockedUntil = performance.now() + 60;
    while (performance.now() < blockedUntil); // a 60 ms stall of the engine's thread
    await new Promise((r) => setTimeout(r, 20));
    expect((await engine.api.getSystem()).eventLoopDelayMs?.max).toBeGreaterThanOrEqual(40);
  });

  it('pushes system.stats periodically while someone listens', async () => {
    const engine = engineFor({ dataDir: await tempDir() }, { statsIntervalMs: 20 });
    await engine.start();
    const event = await new Promise<NvrEvent>((resolve) => {
      const off = engine.api.subscribe((e) => {
        if (e.type !== 'system.stats') return;
        off();
        resolve(e);
      });
    });
    expect(event.type).toBe('system.stats');
    if (event.type === 'system.stats') expect(event.payload.memory.totalBytes).toBeGreaterThan(0);
  });

  it('finds the project and its demo clips from the code location', () => {
    const root = findProjectRoot();
    expect(root).toBeDefined();
    const scenes = findDemoScenes(path.join(resolveResourcesDir(undefined, root)!, 'demo'));
    expect(scenes.map((s) => s.scene)).toEqual(expect.arrayContaining(['door', 'garage', 'yard']));
    expect(() => findDemoScenes('/nonexistent/demo')).toThrow(/NVR_RESOURCES_DIR/);
  });

  it('--demo streams the demo scenes over RTSP and adds one camera each', async () => {
    const engine = engineFor({ dataDir: await tempDir(), demo: true });
    await engine.start();
    const cameras = await engine.api.listCameras();
    expect(cameras.map((c) => c.name)).toEqual(expect.arrayContaining(['Door', 'Garage', 'Yard']));
    const door = cameras.find((c) => c.id === 'door')!;
    expect(door.streams.main.url).toMatch(/^rtsp:\/\/127\.0\.0\.1:\d+\/door\/main$/);
    expect(door.streams.sub?.url).toMatch(/\/door\/sub$/);
    const { stdout } = await run(
      '/usr/bin/ffprobe',
      [
        '-v',
        'error',
        '-rtsp_transport',
        'tcp',
        '-show_entries',
        'stream=codec_name,width,height',
        '-of',
        'csv=p=0',
        door.streams.sub!.url,
      ],
      { timeout: 15_000 },
    );
    expect(stdout.trim()).toBe('h264,640,360');
  });
});
