// Read leases with a time to live, for readers that have no end event: a playlist handed to a player
// keeps its segments from retention until the player has not asked for them for `ttlMs`.
// Wraps RecordingIndex.hold; owns only its timers.

export interface LeaseHolder {
  hold(segmentIds: readonly number[]): () => void;
}

export class TtlLeases {
  private readonly leases = new Map<number, { release: () => void; timer: NodeJS.Timeout }>();

  constructor(
    private readonly holder: LeaseHolder,
    private readonly ttlMs: number,
  ) {}

  /** Holds (or keeps holding) each segment for another ttlMs. */
  touch(segmentIds: Iterable<number>): void {
    for (const id of segmentIds) {
      const current = this.leases.get(id);
      if (current) {
        current.timer.refresh();
        continue;
      }
      const release = this.holder.hold([id]);
      const timer = setTimeout(() => {
        this.leases.delete(id);
        release();
      }, this.ttlMs);
      timer.unref();
      this.leases.set(id, { release, timer });
    }
  }

  get size(): number {
    return this.leases.size;
  }

  /** Releases everything at once (shutdown). */
  dispose(): void {
    for (const { release, timer } of this.leases.values()) {
      clearTimeout(timer);
      release();
    }
    this.leases.clear();
  }
}
