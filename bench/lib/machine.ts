// Machine facts recorded with every benchmark result: CPUs, memory, Node, OS, date, git commit.
import { execFileSync } from 'node:child_process';
import os from 'node:os';

export interface MachineInfo {
  cpuModel: string;
  cpus: number;
  totalMemBytes: number;
  node: string;
  platform: string;
  kernel: string;
  date: string;
  gitCommit: string | null;
  gitDirty: boolean | null;
}

function git(args: string[], cwd: string): string | null {
  try {
    return execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return null;
  }
}

export function machineInfo(repoRoot: string): MachineInfo {
  const cpus = os.cpus();
  const status = git(['status', '--porcelain'], repoRoot);
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cpus: cpus.length,
    totalMemBytes: os.totalmem(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    kernel: os.release(),
    date: new Date().toISOString(),
    gitCommit: git(['rev-parse', 'HEAD'], repoRoot),
    gitDirty: status === null ? null : status.length > 0,
  };
}
