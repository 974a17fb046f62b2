import { describe, expect, it } from 'vitest';
import { DisposableStore, toDisposable } from './disposable';

describe('disposable', () => {
  it('disposes last-in first-out, once', async () => {
    const order: string[] = [];
    const store = new DisposableStore();
    store.defer(() => void order.push('a'));
    store.add(toDisposable(async () => void order.push('b')));
    store.defer(() => void order.push('c'));
    expect(store.size).toBe(3);
    await store.dispose();
    await store.dispose();
    expect(order).toEqual(['c', 'b', 'a']);
    expect(store.isDisposed).toBe(true);
  });

  it('disposes everything even when some throw, then rethrows', async () => {
    const store = new DisposableStore();
    const done: string[] = [];
    store.defer(() => void done.push('first'));
    store.defer(() => {
      throw new Error('x');
    });
    store.defer(() => {
      throw new Error('y');
    });
    await expect(store.dispose()).rejects.toBeInstanceOf(AggregateError);
    expect(done).toEqual(['first']);
  });

  it('disposes items added after disposal, and delete() takes an item back', async () => {
    const store = new DisposableStore();
    let count = 0;
    const kept = toDisposable(() => void count++);
    store.add(kept);
    store.delete(kept);
    await store.dispose();
    expect(count).toBe(0);
    const late = new Promise<void>((resolve) => store.defer(() => resolve()));
    await late;
    const once = toDisposable(() => void count++);
    once.dispose();
    once.dispose();
    expect(count).toBe(1);
  });
});
