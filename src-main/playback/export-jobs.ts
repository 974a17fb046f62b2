// Background exports: jobs that write an export to <dataDir>/exports/<id>.mp4 (through a .part file)
// with progress events, cancel and delete. Holds the job list in memory (a finished file is kept
// `keepMs`, then deleted with its job; files of an earlier run are deleted at start); the bytes come
// from export-output. Exports live under their own quota, apart from recordings: per owner (concurrent
// jobs, bytes), in all, and above the free-space floor, checked against the exact size before a byte
// is written, so an export can never make retention delete recordings. Owners see only their jobs.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Clock, Logger } from '../base';
import { NvrError, isNvrError } from '../base';
import type { ExportJob } from '../../src-preload/contract';
import type { PreparedExport } from './export-prepare';
import type { GapMode } from './export-plan';
import { attachment, parseRange } from './http-range';
import type { PlaybackReply } from './http-range';

export const EXPORTS_DIR = 'exports';

export interface ExportJobRequest {
  cameraIds: string[];
  stream: 'main' | 'sub';
  fromMs: number;
  toMs: number;
  gaps: GapMode;
}

/** Who calls: `owner` names a signed-in user; `admin` may see and delete every job. */
export interface ExportCaller {
  owner?: string;
  admin: boolean;
}

/** The engine itself (IPC, tests): an admin without an owner (no per-owner limits). */
export const LOCAL_CALLER: ExportCaller = { admin: true };

export const EXPORT_LIMIT_DEFAULTS = {
  maxJobsPerOwner: 2,
  maxBytesPerOwner: 2 * 1024 ** 3,
  quotaBytes: 10 * 1024 ** 3,
};

interface JobState {
  job: ExportJob;
  owner?: string;
  /** Bytes the job holds against the quotas: its exact size once planned. */
  reservedBytes: number;
  abort: AbortController;
  fileName?: string;
  done: Promise<void>;
  /** Monotonic ms when the job reached done, failed or cancelled. */
  endedMs?: number;
}

export interface ExportJobsOptions {
  dataDir: string;
  clock: Clock;
  logger: Logger;
  prepare: (req: ExportJobRequest, signal: AbortSignal) => Promise<PreparedExport>;
  onProgress?: (job: ExportJob) => void;
  /** URL of a finished job's file. */
  fileUrl: (id: string) => string;
  /** Progress events at most this often (default 250 ms). */
  progressIntervalMs?: number;
  /** How long a finished job and its file stay downloadable (default 24 h). */
  keepMs?: number;
  /** Queued or running jobs per owner (default 2). */
  maxJobsPerOwner?: number;
  /** Bytes of one owner's exports, kept and in progress (default 2 GiB). */
  maxBytesPerOwner?: number;
  /** Bytes of every export together (default 10 GiB). */
  quotaBytes?: number;
  /** Free bytes of the exports volume; with minFreeBytes, exports never take it below the floor. */
  freeBytes?: () => number;
  /** Bytes an export must leave free (the recordings' floor and as much again). */
  minFreeBytes?: number;
}

export class ExportJobs {
  private readonly jobs = new Map<string, JobState>();
  readonly dir: string;

  constructor(private readonly opts: ExportJobsOptions) {
    this.dir = path.join(opts.dataDir, EXPORTS_DIR);
  }

  /**
   * Removes what no job refers to: .part files a crash left behind and the finished files of an earlier
   * run (jobs live in memory, so those can no longer be downloaded).
   */
  async cleanStale(): Promise<void> {
    const names = await fs.promises.readdir(this.dir).catch(() => [] as string[]);
    for (const n of names) {
      const id = n.replace(/\.mp4(\.part)?$/, '');
      if (id !== n && n.startsWith('exp-') && !this.jobs.has(id))
        await fs.promises.rm(path.join(this.dir, n), { force: true });
    }
  }

  /** Forgets jobs that ended more than `keepMs` ago and deletes their files. */
  async prune(): Promise<void> {
    const cutoff = this.opts.clock.monotonicMs() - (this.opts.keepMs ?? 24 * 3_600_000);
    for (const [id, s] of this.jobs) {
      if (s.endedMs === undefined || s.endedMs > cutoff) continue;
      this.jobs.delete(id);
      await fs.promises.rm(path.join(this.dir, `${id}.mp4`), { force: true });
    }
  }

  start(req: ExportJobRequest, caller: ExportCaller = LOCAL_CALLER): ExportJob {
    if (caller.owner !== undefined) {
      const mine = [...this.jobs.values()].filter((s) => s.owner === caller.owner);
      const maxJobs = this.opts.maxJobsPerOwner ?? EXPORT_LIMIT_DEFAULTS.maxJobsPerOwner;
      const active = mine.filter((s) => s.job.state === 'queued' || s.job.state === 'running');
      if (active.length >= maxJobs)
        throw new NvrError(
          'conflict',
          `at most ${maxJobs} exports per user at a time: wait for one to finish or cancel it`,
          { field: 'cameraIds', limit: maxJobs },
        );
      const maxBytes = this.opts.maxBytesPerOwner ?? EXPORT_LIMIT_DEFAULTS.maxBytesPerOwner;
      const used = mine.reduce((n, s) => n + s.reservedBytes, 0);
      if (used >= maxBytes) throw this.quotaError('your exports', used, maxBytes);
    }
    const id = `exp-${this.opts.clock.nowMs().toString(36)}-${randomBytes(4).toString('hex')}`;
    const job: ExportJob = {
      id,
      state: 'queued',
      progress: 0,
      bytes: 0,
      request: {
        cameraIds: req.cameraIds,
        from: req.fromMs,
        to: req.toMs,
        stream: req.stream,
        gaps: req.gaps,
      },
      createdMs: this.opts.clock.nowMs(),
    };
    const state: JobState = {
      job,
      reservedBytes: 0,
      abort: new AbortController(),
      done: Promise.resolve(),
      ...(caller.owner !== undefined ? { owner: caller.owner } : {}),
    };
    this.jobs.set(id, state);
    state.done = this.run(state, req);
    return { ...job };
  }

  get(id: string, caller: ExportCaller = LOCAL_CALLER): ExportJob {
    return { ...this.mustGet(id, caller).job };
  }

  /** The caller's jobs (an admin: every job). */
  list(caller: ExportCaller = LOCAL_CALLER): ExportJob[] {
    return [...this.jobs.values()]
      .filter((s) => caller.admin || s.owner === caller.owner)
      .map((s) => ({ ...s.job }));
  }

  /** Waits for a job to finish (tests, shutdown). */
  async settled(id: string): Promise<ExportJob> {
    const s = this.mustGet(id, LOCAL_CALLER);
    await s.done;
    return { ...s.job };
  }

  cancel(id: string, caller: ExportCaller = LOCAL_CALLER): ExportJob {
    const s = this.mustGet(id, caller);
    if (s.job.state === 'queued' || s.job.state === 'running') s.abort.abort();
    return { ...s.job };
  }

  /** Cancels the job if it runs, deletes its file and forgets it (its owner or an admin). */
  async delete(id: string, caller: ExportCaller = LOCAL_CALLER): Promise<void> {
    const s = this.mustGet(id, caller);
    s.abort.abort();
    await s.done;
    this.jobs.delete(id);
    await fs.promises.rm(path.join(this.dir, `${id}.mp4`), { force: true });
    this.opts.logger.info({ exportId: id, by: caller.owner ?? 'local' }, 'export deleted');
  }

  /** Bytes the exports hold (kept files and jobs in progress), of one owner or of all. */
  usedBytes(owner?: string): number {
    let n = 0;
    for (const s of this.jobs.values())
      if (owner === undefined || s.owner === owner) n += s.reservedBytes;
    return n;
  }

  /** The finished file: its path, size and download name. */
  async file(
    id: string,
    caller: ExportCaller = LOCAL_CALLER,
  ): Promise<{ path: string; sizeBytes: number; fileName: string }> {
    const s = this.mustGet(id, caller);
    if (s.job.state !== 'done' || !s.fileName)
      throw new NvrError('conflict', `export ${id} is ${s.job.state}`, {
        field: 'id',
        state: s.job.state,
      });
    const file = path.join(this.dir, `${id}.mp4`);
    const st = await fs.promises.stat(file).catch(() => undefined);
    if (!st) throw new NvrError('not_found', `the file of export ${id} is gone`, { field: 'id' });
    return { path: file, sizeBytes: st.size, fileName: s.fileName };
  }

  /** A finished export as a download (206 for a Range). */
  async fileReply(
    id: string,
    rangeHeader?: string,
    caller: ExportCaller = LOCAL_CALLER,
  ): Promise<PlaybackReply> {
    const f = await this.file(id, caller);
    const range = parseRange(rangeHeader, f.sizeBytes);
    const headers: Record<string, string> = {
      'accept-ranges': 'bytes',
      'content-disposition': attachment(f.fileName),
      'cache-control': 'private, no-cache',
    };
    if (range.kind === 'unsatisfiable')
      return {
        status: 416,
        contentType: 'video/mp4',
        headers: { ...headers, 'content-range': `bytes */${f.sizeBytes}` },
        body: '',
      };
    const start = range.kind === 'partial' ? range.start : 0;
    const end = range.kind === 'partial' ? range.endInclusive : f.sizeBytes - 1;
    return {
      status: range.kind === 'partial' ? 206 : 200,
      contentType: 'video/mp4',
      headers: {
        ...headers,
        'content-length': String(end - start + 1),
        ...(range.kind === 'partial'
          ? { 'content-range': `bytes ${start}-${end}/${f.sizeBytes}` }
          : {}),
      },
      body: fs.createReadStream(f.path, { start, end }),
    };
  }

  async dispose(): Promise<void> {
    for (const s of this.jobs.values()) s.abort.abort();
    await Promise.allSettled([...this.jobs.values()].map((s) => s.done));
  }

  private mustGet(id: string, caller: ExportCaller): JobState {
    const s = this.jobs.get(id);
    if (!s) throw new NvrError('not_found', `no export ${id}`, { field: 'id' });
    if (!caller.admin && s.owner !== caller.owner)
      throw new NvrError('forbidden', `export ${id} belongs to another user`, { field: 'id' });
    return s;
  }

  private quotaError(what: string, usedBytes: number, limitBytes: number): NvrError {
    const mib = (n: number) => `${Math.ceil(n / 1024 ** 2)} MiB`;
    return new NvrError(
      'too_large',
      `export quota: ${what} would hold ${mib(usedBytes)} of at most ${mib(limitBytes)}; delete finished exports first`,
      { usedBytes, limitBytes },
    );
  }

  /** Holds `sizeBytes` for the job, or throws if a quota or the free-space floor would be passed. */
  private reserve(s: JobState, sizeBytes: number): void {
    if (s.owner !== undefined) {
      const max = this.opts.maxBytesPerOwner ?? EXPORT_LIMIT_DEFAULTS.maxBytesPerOwner;
      const used = this.usedBytes(s.owner) + sizeBytes;
      if (used > max) throw this.quotaError('your exports', used, max);
    }
    const quota = this.opts.quotaBytes ?? EXPORT_LIMIT_DEFAULTS.quotaBytes;
    const total = this.usedBytes() + sizeBytes;
    if (total > quota) throw this.quotaError('all exports', total, quota);
    const { freeBytes, minFreeBytes } = this.opts;
    if (freeBytes && minFreeBytes !== undefined) {
      // Bytes reserved by jobs still writing are not on disk yet: count them as taken.
      const inFlight = [...this.jobs.values()]
        .filter((j) => j.job.state === 'running' && j !== s)
        .reduce((n, j) => n + Math.max(0, j.reservedBytes - j.job.bytes), 0);
      const left = freeBytes() - inFlight - sizeBytes;
      if (left < minFreeBytes)
        throw new NvrError(
          'disk',
          `not enough free disk space for this export (${Math.ceil(sizeBytes / 1024 ** 2)} MiB): exports keep ${Math.ceil(minFreeBytes / 1024 ** 2)} MiB free for recordings`,
          { sizeBytes, minFreeBytes },
        );
    }
    s.reservedBytes = sizeBytes;
  }

  private emit(s: JobState): void {
    this.opts.onProgress?.({ ...s.job });
  }

  private async run(s: JobState, req: ExportJobRequest): Promise<void> {
    const { job } = s;
    const part = path.join(this.dir, `${job.id}.mp4.part`);
    let prepared: PreparedExport | undefined;
    try {
      await fs.promises.mkdir(this.dir, { recursive: true });
      job.state = 'running';
      this.emit(s);
      prepared = await this.opts.prepare(req, s.abort.signal);
      const total = prepared.sizeBytes;
      this.reserve(s, total);
      s.fileName = prepared.fileName;
      let lastEmit = 0;
      const every = this.opts.progressIntervalMs ?? 250;
      const stream = prepared.open({
        onBytes: (bytes) => {
          job.bytes = bytes;
          job.progress = Math.min(1, bytes / total);
          const now = this.opts.clock.monotonicMs();
          if (now - lastEmit >= every) {
            lastEmit = now;
            this.emit(s);
          }
        },
      });
      await pipeline(stream, fs.createWriteStream(part, { flags: 'wx' }), {
        signal: s.abort.signal,
      });
      await fs.promises.rename(part, path.join(this.dir, `${job.id}.mp4`));
      job.state = 'done';
      job.progress = 1;
      job.downloadUrl = this.opts.fileUrl(job.id);
      this.opts.logger.info({ exportId: job.id, sizeBytes: total }, 'export done');
    } catch (e) {
      await fs.promises.rm(part, { force: true }).catch(() => undefined);
      s.reservedBytes = 0;
      if (s.abort.signal.aborted) {
        job.state = 'cancelled';
      } else {
        job.state = 'failed';
        const err = isNvrError(e) ? e : new NvrError('internal', 'export failed');
        job.error = { kind: err.kind, message: err.message };
        this.opts.logger.warn({ exportId: job.id, err: String(e) }, 'export failed');
      }
    } finally {
      prepared?.release();
      s.endedMs = this.opts.clock.monotonicMs();
      this.emit(s);
    }
  }
}
