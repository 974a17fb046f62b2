// Who is calling, for code below the HTTP layer: the API routes run each contract call inside an
// AsyncLocalStorage scope holding the request's principal and address, so the auth handlers can
// name the actor in the audit log. No HTTP and no storage here.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Principal } from './auth-service';

export interface CallContext {
  /** Undefined in loopback-open mode (the desktop app's own window, or this machine). */
  principal?: Principal;
  address: string | null;
}

const storage = new AsyncLocalStorage<CallContext>();

/** Runs `fn` with `ctx` as the current call context. */
export function runWithCallContext<T>(ctx: CallContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

/** The current call's context; undefined for in-process calls (tests, the engine itself). */
export function currentCallContext(): CallContext | undefined {
  return storage.getStore();
}

/** Audit name of the caller: the signed-in user, else the local admin. */
export const LOCAL_ACTOR = 'loopback';
export function actorName(ctx: CallContext | undefined): string {
  return ctx?.principal?.username ?? LOCAL_ACTOR;
}
