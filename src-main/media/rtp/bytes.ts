// Small byte helpers for the depacketizer: comparing, joining, and finding Annex B start codes.
// No codec knowledge here.

export function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function concat(parts: Uint8Array[]): Uint8Array {
  let size = 0;
  for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Index of the first `00 00 01` in `nal`, or -1. A valid NAL unit never contains one. */
export function findStartCode(nal: Uint8Array): number {
  for (let i = 0; i + 2 < nal.length; i++) {
    if (nal[i + 2]! > 1) {
      i += 2;
      continue;
    }
    if (nal[i] === 0 && nal[i + 1] === 0 && nal[i + 2] === 1) return i;
  }
  return -1;
}

/** Some cameras send Annex B (`00 00 01` / `00 00 00 01` + NAL units) as the payload. */
export function startsWithStartCode(b: Uint8Array): boolean {
  return b.length > 3 && b[0] === 0 && b[1] === 0 && (b[2] === 1 || (b[2] === 0 && b[3] === 1));
}
