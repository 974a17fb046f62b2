// Vendor quirk corpus (camera/rtsp/QUIRKS.md): the project's RTSP server imitates one publicly
// reported camera quirk per mount, one RecordingService records them all at once into fMP4 + SQLite,
// and each quirk must give files a real decoder plays without a message and recordings covering
// at least 90 % of the time the server streamed.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, systemClock } from '../base';
import { REDIRECT_QUIRK, RTSP_QUIRKS, RtspServer } from '../camera';
import type { RtspQuirk } from '../camera';
import { RecordingIndex } from '../storage';
import { RecordingService } from './recording-service';
import type { StreamReport } from './protocol';

const run = promisify(execFile);
const clip = path.resolve(__dirname, '../../resources/demo/door-sub.h264');
/** Each quirk records this long (wall clock) after its session started. */
const RECORD_MS = 10_000;
/** Quirks that only pass once the liberal SDP parser (helper "media", src-main/media/sdp) lands. */
const NEEDS_LIBERAL_SDP = new Set<string>([]);
/** Quirks recorded over UDP (the others over TCP interleaved). */
const OVER_UDP = new Set([
  'uniview-stray-payload-type',
  'uniview-ssrc-per-gop',
  'axis-slow-describe',
]);

interface Case {
  name: string;
  vendor: string;
  report: string;
  url: string;
  transport: 'tcp' | 'udp';
  /** Mount path whose sessions count as the server streaming. */
  mountPath: string;
}

const cleanups: (() => Promise<void> | void)[] = [];
const cases: Case[] = [];
const sessionStartMs = new Map<string, number>();
const reports: StreamReport[] = [];
let dataDir = '';
let index: RecordingIndex;
let stopMs = 0;

function cameraUrl(port: number, q: RtspQuirk): string {
  const p = `/quirk/${q.name}`;
  if (q.credentials) {
    const enc = (s: string) => encodeURIComponent(s);
    return `rtsp://${enc(q.credentials.username)}:${enc(q.credentials.password)}@127.0.0.1:${port}${p}`;
  }
  if (q.describe?.contentBase === 'query')
    return `rtsp://127.0.0.1:${port}${p}?channel=1&subtype=0`;
  return `rtsp://127.0.0.1:${port}${p}`;
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nvr-quirks-'));
  cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const server = new RtspServer();
  for (const q of RTSP_QUIRKS)
    await server.addClipStream(`/quirk/${q.name}`, { file: clip, quirk: q });
  const movedPath = `/quirk/${REDIRECT_QUIRK.name}/moved`;
  await server.addClipStream(movedPath, { file: clip });
  const { port } = await server.listen();
  cleanups.push(() => server.close());
  // The redirector listens on another port, as the reported camera does.
  const redirector = new RtspServer();
  redirector.addRedirect(`/quirk/${REDIRECT_QUIRK.name}`, `rtsp://127.0.0.1:${port}${movedPath}`);
  const { port: redirectPort } = await redirector.listen();
  cleanups.push(() => redirector.close());
  server.on('session', (s: { path: string }) => {
    if (!sessionStartMs.has(s.path)) sessionStartMs.set(s.path, Date.now());
  });

  for (const q of RTSP_QUIRKS)
    cases.push({
      name: q.name,
      vendor: q.vendor,
      report: q.report,
      url: cameraUrl(port, q),
      transport: OVER_UDP.has(q.name) ? 'udp' : 'tcp',
      mountPath: `/quirk/${q.name}`,
    });
  cases.push({
    ...REDIRECT_QUIRK,
    url: `rtsp://127.0.0.1:${redirectPort}/quirk/${REDIRECT_QUIRK.name}`,
    transport: 'tcp',
    mountPath: movedPath,
  });

  index = RecordingIndex.open({ dataDir });
  cleanups.push(() => index.close());
  const service = new RecordingService({
    dataDir,
    index,
    logger: createLogger({ level: 'warn' }),
    clock: systemClock,
    workers: 0,
    segmentDurationMs: 4000,
    onReport: (r) => reports.push(r),
  });
  for (const c of cases)
    service.start({
      cameraId: c.name,
      stream: 'sub',
      url: c.url,
      transport: c.transport,
      record: true,
    });
  // Every quirk streams RECORD_MS after its first session (or never: then it fails below).
  await waitFor(() => {
    const now = Date.now();
    return cases.every((c) => {
      const t = sessionStartMs.get(c.mountPath);
      return t !== undefined && now - t >= RECORD_MS;
    });
  }, 45_000);
  stopMs = Date.now();
  await service.close();
}, 90_000);

afterAll(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

describe('vendor quirk corpus', () => {
  it('covers at least 15 vendor quirks, each with a public report', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
    for (const c of cases) expect(c.report).toMatch(/^https:\/\/github\.com\//);
  });

  for (const q of [...RTSP_QUIRKS.map((x) => x.name), REDIRECT_QUIRK.name]) {
    const test = NEEDS_LIBERAL_SDP.has(q) ? it.fails : it;
    test(`${q}: records clean files covering >= 90 % of the streamed time`, async () => {
      const c = cases.find((x) => x.name === q)!;
      const startedMs = sessionStartMs.get(c.mountPath);
      const last = reports.filter((r) => r.cameraId === c.name).at(-1);
      expect(
        startedMs,
        `no session at ${c.mountPath}; last report ${JSON.stringify(last)}`,
      ).toBeDefined();
      const segments = index.querySegments({
        cameraId: c.name,
        stream: 'sub',
        fromMs: 0,
        toMs: stopMs + 60_000,
      });
      expect(segments.length, `no segments; last report ${JSON.stringify(last)}`).toBeGreaterThan(
        0,
      );
      for (const s of segments) {
        const { stderr } = await run('ffmpeg', [
          '-v',
          'error',
          '-i',
          path.join(dataDir, s.path),
          '-f',
          'null',
          '-',
        ]);
        expect(stderr, s.path).toBe('');
      }
      // Union of the recorded intervals inside the streamed window.
      const spans = segments
        .map((s) => [Math.max(s.startMs, startedMs!), Math.min(s.endMs, stopMs)] as const)
        .filter(([a, b]) => b > a)
        .sort((a, b) => a[0] - b[0]);
      let coveredMs = 0;
      let until = -Infinity;
      for (const [a, b] of spans) {
        if (b <= until) continue;
        coveredMs += b - Math.max(a, until);
        until = b;
      }
      const share = coveredMs / (stopMs - startedMs!);
      expect(share, `covered ${coveredMs} of ${stopMs - startedMs!} ms`).toBeGreaterThanOrEqual(
        0.9,
      );
    });
  }
});
