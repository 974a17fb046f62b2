import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  parseStat,
  parseStatusMemory,
  processTree,
  readProcStat,
  readThreadCpu,
  readTreeStats,
} from './proc-stats';

describe('proc stats', () => {
  it('parses a stat line whose comm holds spaces and parentheses', () => {
    const line =
      '4242 (my (odd) proc) S 17 4242 4242 0 -1 4194560 500 0 0 0 250 75 0 0 20 0 7 0 123 456789 1024 18446744073709551615';
    expect(parseStat(line)).toEqual({
      pid: 4242,
      comm: 'my (odd) proc',
      state: 'S',
      ppid: 17,
      utime: 250,
      stime: 75,
      threads: 7,
    });
  });

  it('reads VmRSS and VmHWM in bytes', () => {
    expect(parseStatusMemory('Name:\tnode\nVmHWM:\t  2048 kB\nVmRSS:\t  1024 kB\n')).toEqual({
      rssBytes: 1024 * 1024,
      peakRssBytes: 2048 * 1024,
    });
  });

  it('reads the CPU time of each thread, the main thread under the pid', () => {
    const start = Date.now();
    while (Date.now() - start < 50); // some CPU on the main thread
    const threads = readThreadCpu(process.pid);
    expect(threads.size).toBeGreaterThan(1);
    expect(threads.get(process.pid)).toBeGreaterThan(0);
    const total = [...threads.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeLessThanOrEqual(readProcStat(process.pid)!.cpuSec + 0.05);
  });

  it('measures this process and a child tree', async () => {
    const me = readProcStat(process.pid);
    expect(me?.ppid).toBe(process.ppid);
    expect(me!.rssBytes).toBeGreaterThan(10e6);
    expect(me!.peakRssBytes).toBeGreaterThanOrEqual(me!.rssBytes);
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
      stdio: 'ignore',
    });
    try {
      await once(child, 'spawn');
      expect(processTree(process.pid)).toContain(child.pid);
      const tree = readTreeStats(process.pid);
      expect(tree.pids).toContain(child.pid);
      expect(tree.rssBytes).toBeGreaterThan(me!.rssBytes);
    } finally {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    expect(readProcStat(child.pid!)).toBeUndefined();
  });
});
