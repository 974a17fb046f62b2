import { describe, expect, it } from 'vitest';
import { createLogger, memorySink } from './logger';
import { NvrError } from './errors';

describe('logger', () => {
  it('writes JSON lines with level, time, bindings and message', () => {
    const mem = memorySink();
    const log = createLogger({
      level: 'debug',
      sink: mem.sink,
      nowMs: () => 42,
      bindings: { app: 'nvr' },
    });
    log.info('hello %s', 'world');
    log.debug({ camera: 'c1' }, 'connected');
    log.trace('dropped');
    expect(mem.records()).toEqual([
      { level: 'info', time: 42, app: 'nvr', msg: 'hello world' },
      { level: 'debug', time: 42, app: 'nvr', camera: 'c1', msg: 'connected' },
    ]);
  });

  it('children add bindings and serializers; level is settable', () => {
    const mem = memorySink();
    const log = createLogger({ sink: mem.sink, nowMs: () => 1 });
    const child = log.child(
      { module: 'rtsp' },
      { serializers: { req: (r) => (r as { url: string }).url } },
    );
    child.warn({ req: { url: '/x', socket: {} } }, 'slow');
    log.level = 'error';
    log.warn('hidden');
    expect(log.isLevelEnabled('warn')).toBe(false);
    expect(child.isLevelEnabled('warn')).toBe(true);
    log.silent('never');
    expect(mem.records()).toEqual([
      { level: 'warn', time: 1, module: 'rtsp', req: '/x', msg: 'slow' },
    ]);
  });

  it('serializes errors with kind, context and cause; survives cycles', () => {
    const mem = memorySink();
    const log = createLogger({ sink: mem.sink });
    const err = new NvrError('protocol', 'bad CSeq', { cseq: 3 }, { cause: new Error('root') });
    log.error(err);
    log.error({ err }, 'failed');
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    log.info({ cyclic, big: 10n }, 'c');
    const [r1, r2, r3] = mem.records();
    expect(r1).toMatchObject({
      msg: 'bad CSeq',
      err: { type: 'NvrError', kind: 'protocol', context: { cseq: 3 }, cause: { message: 'root' } },
    });
    expect(r2).toMatchObject({ msg: 'failed', err: { kind: 'protocol' } });
    expect(r3).toMatchObject({ cyclic: { a: 1, self: '[Circular]' }, big: '10' });
  });
});
