// The recordings folder layout: <dataDir>/recordings/<cameraId>/<stream>/<YYYY>/<MM>/<DD>/<startMs>.mp4.
// Builds and parses relative segment paths and checks names; never touches the filesystem.
import path from 'node:path';
import { NvrError } from '../base';

export const RECORDINGS_DIR = 'recordings';

/** Camera ids and stream names become directory names: keep them to a safe alphabet. */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function isSafeName(name: string): boolean {
  return SAFE_NAME.test(name);
}

export function checkSafeName(what: 'cameraId' | 'stream', name: string): void {
  if (!isSafeName(name))
    throw new NvrError(
      'bad_request',
      `${what} must match ${SAFE_NAME.source} (it names a directory)`,
      {
        [what]: name,
      },
    );
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** The segment's path relative to dataDir, with forward slashes (as stored in the index). */
export function segmentRelativePath(cameraId: string, stream: string, startMs: number): string {
  checkSafeName('cameraId', cameraId);
  checkSafeName('stream', stream);
  if (!Number.isSafeInteger(startMs) || startMs < 0)
    throw new NvrError('bad_request', 'startMs must be a non-negative integer', { startMs });
  const d = new Date(startMs);
  const day = `${d.getUTCFullYear()}/${pad2(d.getUTCMonth() + 1)}/${pad2(d.getUTCDate())}`;
  return `${RECORDINGS_DIR}/${cameraId}/${stream}/${day}/${startMs}.mp4`;
}

/** Absolute path of a stored relative path; refuses anything that would leave the recordings folder. */
export function resolveSegmentPath(dataDir: string, relativePath: string): string {
  const root = path.resolve(dataDir, RECORDINGS_DIR);
  const abs = path.resolve(dataDir, relativePath);
  if (!abs.startsWith(root + path.sep))
    throw new NvrError('bad_request', 'segment path leaves the recordings folder', {
      path: relativePath,
    });
  return abs;
}

export interface ParsedSegmentPath {
  cameraId: string;
  stream: string;
  startMs: number;
}

/** Parses a relative path made by segmentRelativePath; undefined for anything else. */
export function parseSegmentPath(relativePath: string): ParsedSegmentPath | undefined {
  const m = /^recordings\/([^/]+)\/([^/]+)\/(\d{4})\/(\d{2})\/(\d{2})\/(\d{1,16})\.mp4$/.exec(
    relativePath,
  );
  if (!m) return undefined;
  const [, cameraId, stream, , , , ms] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const startMs = Number(ms);
  if (!isSafeName(cameraId) || !isSafeName(stream) || !Number.isSafeInteger(startMs))
    return undefined;
  // The date folders must agree with the name, or the file was not made by us.
  if (segmentRelativePath(cameraId, stream, startMs) !== relativePath) return undefined;
  return { cameraId, stream, startMs };
}
