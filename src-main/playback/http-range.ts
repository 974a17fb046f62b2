// HTTP byte ranges (RFC 9110 §14) for segment and export files: one `bytes=` range → 206 bounds, or
// 416. Pure parsing; the reply shape the playback module hands to the server.
import type { Readable } from 'node:stream';

/** What the server sends: the same shape as the server's ResourceReply. */
export interface PlaybackReply {
  status: number;
  contentType: string;
  headers: Record<string, string>;
  body: string | Uint8Array | Readable;
}

export type RangeResult =
  | { kind: 'full' }
  | { kind: 'partial'; start: number; endInclusive: number }
  | { kind: 'unsatisfiable' };

/**
 * Parses a Range header against a resource of `sizeBytes`. Only single ranges are served as 206;
 * multiple ranges, other units or malformed headers get the full resource (as RFC 9110 allows).
 */
export function parseRange(header: string | undefined, sizeBytes: number): RangeResult {
  if (!header) return { kind: 'full' };
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m) return { kind: 'full' };
  const [, a = '', b = ''] = m;
  if (a === '' && b === '') return { kind: 'full' };
  let start: number;
  let end: number;
  if (a === '') {
    const suffix = Number(b);
    if (suffix === 0) return { kind: 'unsatisfiable' };
    start = Math.max(0, sizeBytes - suffix);
    end = sizeBytes - 1;
  } else {
    start = Number(a);
    end = b === '' ? sizeBytes - 1 : Math.min(Number(b), sizeBytes - 1);
    if (b !== '' && Number(b) < start) return { kind: 'full' };
  }
  if (!Number.isSafeInteger(start) || start >= sizeBytes || end < start)
    return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, endInclusive: end };
}

/** True when an If-None-Match header matches the ETag (weak comparison). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const bare = (t: string) => t.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((t) => t.trim() === '*' || bare(t) === bare(etag));
}

/** `attachment; filename=...` with an ASCII fallback and the RFC 5987 form. */
export function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^A-Za-z0-9._+-]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
