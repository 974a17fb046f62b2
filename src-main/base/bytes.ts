// Explicit byte copies. `Uint8Array#slice` copies but `Buffer#slice` is a view, and a Buffer passes
// for a Uint8Array everywhere, so `.slice()` on bytes says nothing reliable. Use `subarray` for a
// view and `copyBytes` for a copy (the `bytes/no-slice` lint rule enforces it in src-main).

/**
 * A fresh copy of `bytes[start, end)` (same bounds rules as `subarray`) in its own ArrayBuffer,
 * always a plain Uint8Array whatever the input's class: writing to it never touches the source,
 * and it pins no larger buffer (a socket chunk, Buffer's 8 KiB pool).
 */
export function copyBytes(
  bytes: Uint8Array,
  start?: number,
  end?: number,
): Uint8Array<ArrayBuffer> {
  const view = bytes.subarray(start, end);
  const out = new Uint8Array(view.length);
  out.set(view);
  return out;
}
