// CPU time and memory of processes (and their descendants) from /proc/<pid>/stat and /proc/<pid>/status.
// Linux only; read-only; no dependencies. Used by benchmarks to measure child processes.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

let clockTicks: number | undefined;

/** Kernel clock ticks per second (`getconf CLK_TCK`, 100 on practically every Linux). */
export function clockTicksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

export interface ProcStat {
  pid: number;
  ppid: number;
  comm: string;
  state: string;
  /** User and system CPU time in seconds. */
  userSec: number;
  systemSec: number;
  cpuSec: number;
  /** Resident set size now (VmRSS) and its peak (VmHWM), bytes. */
  rssBytes: number;
  peakRssBytes: number;
  threads: number;
}

/** Parses the text of /proc/<pid>/stat (the comm field may hold spaces and parentheses). */
export function parseStat(text: string): {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  utime: number;
  stime: number;
  threads: number;
} {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`not a /proc stat line: ${text.slice(0, 80)}`);
  const f = text
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  // f[0] is field 3 (state) of proc(5); field n is f[n - 3].
  return {
    pid: Number(text.slice(0, open).trim()),
    comm: text.slice(open + 1, close),
    state: f[0] ?? '?',
    ppid: Number(f[1]),
    utime: Number(f[11]),
    stime: Number(f[12]),
    threads: Number(f[17]),
  };
}

/** Reads `VmRSS`, `VmHWM` (kB in the file) from /proc/<pid>/status text, in bytes. */
export function parseStatusMemory(text: string): { rssBytes: number; peakRssBytes: number } {
  const kb = (key: string) =>
    Number(new RegExp(`^${key}:\\s+(\\d+)\\s+kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
  return { rssBytes: kb('VmRSS'), peakRssBytes: kb('VmHWM') };
}

/** Stats of one process, or undefined when it is gone. */
export function readProcStat(pid: number): ProcStat | undefined {
  try {
    const s = parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    const m = parseStatusMemory(readFileSync(`/proc/${pid}/status`, 'utf8'));
    const hz = clockTicksPerSecond();
    return {
      pid: s.pid,
      ppid: s.ppid,
      comm: s.comm,
      state: s.state,
      userSec: s.utime / hz,
      systemSec: s.stime / hz,
      cpuSec: (s.utime + s.stime) / hz,
      rssBytes: m.rssBytes,
      peakRssBytes: m.peakRssBytes,
      threads: s.threads,
    };
  } catch {
    return undefined;
  }
}

/** `pid` and all its live descendants (scans /proc once). */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const { ppid } = parseStat(readFileSync(`/proc/${name}/stat`, 'utf8'));
      const list = children.get(ppid) ?? [];
      list.push(Number(name));
      children.set(ppid, list);
    } catch {
      // exited while scanning
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    out.push(p);
    for (const c of children.get(p) ?? []) walk(c);
  };
  walk(pid);
  return out;
}

export interface TreeStats {
  pids: number[];
  /** CPU seconds of the live processes of the tree (exited children are not counted). */
  cpuSec: number;
  rssBytes: number;
  /** Per process, for the results file. */
  processes: ProcStat[];
}

/** Summed CPU time and RSS of a process and its descendants. */
export function readTreeStats(pid: number): TreeStats {
  const processes = processTree(pid)
    .map(readProcStat)
    .filter((p): p is ProcStat => p !== undefined);
  return {
    pids: processes.map((p) => p.pid),
    cpuSec: processes.reduce((a, p) => a + p.cpuSec, 0),
    rssBytes: processes.reduce((a, p) => a + p.rssBytes, 0),
    processes,
  };
}

/** CPU seconds of each thread of a process, by thread id (the main thread's id is the pid). */
export function readThreadCpu(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  const hz = clockTicksPerSecond();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const s = parseStat(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'));
      out.set(Number(tid), (s.utime + s.stime) / hz);
    } catch {
      // exited while reading
    }
  }
  return out;
}
