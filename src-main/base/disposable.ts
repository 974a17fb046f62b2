// Disposables: everything long-lived (sockets, timers, subscriptions, child processes) is released
// through one `dispose()`; DisposableStore disposes many in reverse order. No I/O of its own.

export interface Disposable {
  dispose(): void | Promise<void>;
}

export function toDisposable(fn: () => void | Promise<void>): Disposable {
  let done = false;
  return {
    dispose: () => {
      if (done) return;
      done = true;
      return fn();
    },
  };
}

/**
 * Holds disposables and disposes them last-in first-out. Adding to a disposed store disposes the
 * new item at once (so nothing leaks in a race with shutdown). Errors are collected and rethrown
 * as an AggregateError after every item had its turn.
 */
export class DisposableStore implements Disposable {
  private items: Disposable[] = [];
  private disposed = false;

  get isDisposed(): boolean {
    return this.disposed;
  }

  get size(): number {
    return this.items.length;
  }

  add<T extends Disposable>(item: T): T {
    if (this.disposed) {
      void Promise.resolve()
        .then(() => item.dispose())
        .catch(() => undefined);
      return item;
    }
    this.items.push(item);
    return item;
  }

  /** Registers a cleanup function. */
  defer(fn: () => void | Promise<void>): Disposable {
    return this.add(toDisposable(fn));
  }

  /** Removes an item without disposing it (its owner took it back). */
  delete(item: Disposable): void {
    this.items = this.items.filter((i) => i !== item);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const errors: unknown[] = [];
    for (const item of this.items.reverse()) {
      try {
        await item.dispose();
      } catch (e) {
        errors.push(e);
      }
    }
    this.items = [];
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1)
      throw new AggregateError(errors, 'DisposableStore: several disposables failed');
  }
}
