// Read leases on segments: a reader (playback, export) holds segment ids; retention skips them
// and is told when the last lease on an id ends. In memory, reference counted; no SQLite.

export class SegmentLeases {
  private readonly counts = new Map<number, number>();
  private readonly listeners = new Set<(segmentIds: number[]) => void>();

  /** Holds the segments until the returned release() is called (idempotent). */
  hold(segmentIds: readonly number[]): () => void {
    const ids = [...new Set(segmentIds)];
    for (const id of ids) this.counts.set(id, (this.counts.get(id) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const freed: number[] = [];
      for (const id of ids) {
        const n = (this.counts.get(id) ?? 1) - 1;
        if (n > 0) this.counts.set(id, n);
        else {
          this.counts.delete(id);
          freed.push(id);
        }
      }
      if (freed.length > 0) for (const l of [...this.listeners]) l(freed);
    };
  }

  isHeld(segmentId: number): boolean {
    return this.counts.has(segmentId);
  }

  /** Calls listener with the ids whose last lease ended; returns an unsubscribe function. */
  onRelease(listener: (segmentIds: number[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
