import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { findProjectRoot } from './paths';

const ROOT = findProjectRoot()!;
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const children = new Set<ChildProcess>();
const dirs: string[] = [];

afterEach(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.clear();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function tempDir(prefix: string, parent = os.tmpdir()): Promise<string> {
  const dir = await mkdtemp(path.join(parent, prefix));
  dirs.push(dir);
  return dir;
}

interface Started {
  child: ChildProcess;
  url: string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr: () => string;
}

/** Spawns the CLI and resolves at its `NVR listening on <url>` line (rejects if it exits first). */
function startServe(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<Started> {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, NVR_LOG_LEVEL: 'info', ...env },
    stdio: 'pipe',
  });
  children.add(child);
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^NVR listening on (http:\/\/\S+)$/m.exec(out);
      if (m) resolve({ child, url: m[1]!, exit, stderr: () => err });
    });
    void exit.then(({ code }) =>
      reject(new Error(`serve exited (${code}) before listening:\n${out}\n${err}`)),
    );
  });
}

async function checkAndStop(started: Started): Promise<void> {
  expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:(\d+)$/);
  expect(started.url.endsWith(':0')).toBe(false);
  const res = await fetch(`${started.url}/api/health`);
  expect(res.status).toBe(200);
  expect(((await res.json()) as { ok: boolean }).ok).toBe(true);
  started.child.kill('SIGTERM');
  expect(await started.exit).toEqual({ code: 0, signal: null });
  expect(started.stderr()).toContain('engine stopped');
}

describe('serve CLI', () => {
  it('runs from source with tsx, prints its URL, and exits 0 on SIGTERM', async () => {
    const data = await tempDir('nvr-serve-');
    // The tsx binary itself (what `npx tsx` runs): npm's wrapper re-raises signals, hiding the exit code.
    const started = await startServe(TSX, [
      'src-main/engine/serve.ts',
      '--port',
      '0',
      '--data',
      data,
    ]);
    await checkAndStop(started);
  });

  it('runs bundled by esbuild the way scripts/build-node.mjs bundles it', async () => {
    // Inside the project, so the bundle finds package.json, resources and dist/renderer by walking up.
    const outdir = await tempDir('serve-bundle-', path.join(ROOT, '.tsbuild'));
    await build({
      bundle: true,
      platform: 'node',
      target: 'node20',
      packages: 'external',
      logLevel: 'silent',
      format: 'esm',
      entryPoints: { serve: path.join(ROOT, 'src-main/engine/serve.ts') },
      outdir,
      banner: {
        js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
      },
    });
    const data = await tempDir('nvr-serve-');
    const started = await startServe(process.execPath, [
      path.join(outdir, 'serve.js'),
      '--port',
      '0',
      '--data',
      data,
    ]);
    await checkAndStop(started);
  });

  it('rejects bad flags with exit code 2 and a clear message', async () => {
    const child = spawn(TSX, ['src-main/engine/serve.ts', '--port', 'abc'], {
      cwd: ROOT,
      stdio: 'pipe',
    });
    children.add(child);
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) =>
      child.once('exit', (c) => resolve(c)),
    );
    expect(code).toBe(2);
    expect(err).toContain('--port: "abc" is not a port number');
  });
});
