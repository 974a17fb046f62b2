// Token-bucket pacer for one viewer's outgoing packets: live traffic passes straight through, a
// replayed keyframe group is spread over a few tens of milliseconds so the client's socket buffer
// does not overflow. Owns its queue and one timer; it never blocks and never drops on its own.
// Packets leave in batches (all that may leave at once), so the sender can seal and send them in one
// native call.

export interface PacerOptions {
  /** Sustained rate once the bucket is empty. Default 10 MB/s. */
  rateBytesPerSec?: number;
  /** Bytes that may leave at once. Default 256 KiB. */
  bucketBytes?: number;
  /** Monotonic ms (tests inject a fake). */
  nowMs?: () => number;
}

interface Item<T> {
  value: T;
  sizeBytes: number;
}

export class PacketPacer<T> {
  private readonly queue: Item<T>[] = [];
  private head = 0;
  private queued = 0;
  private tokens: number;
  private lastRefillMs: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private readonly rate: number;
  private readonly bucket: number;
  private readonly now: () => number;

  constructor(
    private readonly send: (values: readonly T[]) => void,
    options: PacerOptions = {},
  ) {
    this.rate = options.rateBytesPerSec ?? 10 * 1024 * 1024;
    this.bucket = options.bucketBytes ?? 256 * 1024;
    this.now = options.nowMs ?? (() => performance.now());
    this.tokens = this.bucket;
    this.lastRefillMs = this.now();
  }

  /** Bytes waiting to be sent. */
  get queuedBytes(): number {
    return this.queued;
  }

  enqueue(values: readonly T[], sizeOf: (v: T) => number): void {
    if (this.closed) return;
    let i = 0;
    if (!this.timer && this.head >= this.queue.length) {
      // Nothing waiting: live traffic goes straight out while the bucket allows.
      this.refill();
      for (; i < values.length; i++) {
        const size = sizeOf(values[i]!);
        if (this.tokens < size) break;
        this.tokens -= size;
      }
      if (i > 0) this.send(i === values.length ? values : values.slice(0, i));
      if (i === values.length) return;
    }
    for (; i < values.length; i++) {
      const value = values[i]!;
      const sizeBytes = sizeOf(value);
      this.queue.push({ value, sizeBytes });
      this.queued += sizeBytes;
    }
    if (!this.timer) this.drain();
  }

  /** Drops everything queued (a newer keyframe group replaces it). */
  clear(): void {
    this.queue.length = 0;
    this.head = 0;
    this.queued = 0;
  }

  close(): void {
    this.closed = true;
    this.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private refill(): void {
    const now = this.now();
    const earned = ((now - this.lastRefillMs) * this.rate) / 1000;
    this.tokens = Math.min(this.bucket, this.tokens + earned);
    this.lastRefillMs = now;
  }

  private drain(): void {
    this.timer = undefined;
    if (this.closed) return;
    this.refill();
    const batch: T[] = [];
    while (this.head < this.queue.length) {
      const item = this.queue[this.head]!;
      if (this.tokens < item.sizeBytes && this.tokens < this.bucket) break;
      this.head++;
      this.queued -= item.sizeBytes;
      this.tokens -= item.sizeBytes;
      batch.push(item.value);
    }
    if (batch.length > 0) this.send(batch);
    if (this.closed) return; // the send closed it
    if (this.head >= this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
      return;
    }
    if (this.head > 1024) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    const needed = this.queue[this.head]!.sizeBytes - this.tokens;
    const waitMs = Math.max(1, Math.ceil((needed * 1000) / this.rate));
    this.timer = setTimeout(() => this.drain(), waitMs);
  }
}
