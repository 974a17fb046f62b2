// The contract's user, API-token and first-run methods over an AuthService: one implementation for
// HTTP and IPC (the desktop app's window reaches the engine over loopback). The actor named in the
// audit log comes from the call context (auth-context.ts). No HTTP and no storage here.
import { NvrError } from '../base';
import type { NvrHandlers } from '../../src-preload/contract';
import type { AuthService } from './auth-service';
import { actorName, currentCallContext } from './auth-context';

export const AUTH_METHOD_NAMES = [
  'listUsers',
  'addUser',
  'updateUser',
  'deleteUser',
  'listApiTokens',
  'createApiToken',
  'revokeApiToken',
  'getAuthSetup',
  'createFirstAdmin',
] as const;
export type AuthMethodName = (typeof AUTH_METHOD_NAMES)[number];
export type AuthHandlers = Pick<NvrHandlers, AuthMethodName>;

export function createAuthHandlers(service: AuthService): AuthHandlers {
  let firstAdminPending = false;
  const who = () => {
    const ctx = currentCallContext();
    return { actor: actorName(ctx), address: ctx?.address ?? null, principal: ctx?.principal };
  };
  return {
    listUsers: async () =>
      service.store.listUsers().map(({ passwordHash: _h, ...u }) => ({ ...u })),
    addUser: async (input) => {
      const { actor, address } = who();
      return service.createUser({ ...input, cameras: input.cameras ?? null }, actor, address);
    },
    updateUser: async ({ id, patch }) => {
      const { actor, address, principal } = who();
      const clean = Object.fromEntries(
        Object.entries(patch).filter(([, v]) => v !== undefined),
      ) as typeof patch;
      // Changing one's own password keeps this session; every other token of the user is revoked.
      const keep = principal?.userId === id ? principal.tokenHash : undefined;
      return service.updateUser(id, clean, actor, address, keep);
    },
    deleteUser: async ({ id }) => {
      const { actor, address } = who();
      service.deleteUser(id, actor, address);
      return undefined;
    },
    listApiTokens: async () => service.listApiTokens(),
    createApiToken: async (input) => {
      const { actor, address, principal } = who();
      const userId = input.userId ?? principal?.userId;
      if (userId === undefined)
        throw new NvrError('bad_request', 'userId: required', { field: 'userId' });
      return service.createApiToken(
        {
          userId,
          name: input.name,
          expiresMs: input.ttlMs ? Date.now() + input.ttlMs : null,
        },
        actor,
        address,
      );
    },
    revokeApiToken: async ({ id }) => {
      const { actor, address } = who();
      if (!service.revokeApiToken(id, actor, address))
        throw new NvrError('not_found', 'no such token', { field: 'id' });
      return undefined;
    },
    getAuthSetup: async () => ({ adminExists: service.hasAdmin() }),
    createFirstAdmin: async ({ username, password }) => {
      if (service.hasAdmin() || firstAdminPending)
        throw new NvrError(
          'conflict',
          'an admin already exists: sign in as an admin to manage users',
          { field: 'username' },
        );
      const { actor, address } = who();
      firstAdminPending = true; // hashing is async: a second call must not slip in meanwhile
      try {
        return await service.createUser({ username, password, role: 'admin' }, actor, address);
      } finally {
        firstAdminPending = false;
      }
    },
  };
}
