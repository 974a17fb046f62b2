// The engine tests' HTTP client: calls with a bearer token and logs in, against the engine whose
// URL `base()` gives (read at each call: tests learn it in beforeAll).
import { expect } from 'vitest';

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export function apiClient(base: () => string) {
  return {
    async call(method: string, url: string, token: string, body?: unknown) {
      return fetch(`${base()}${url}`, {
        method,
        headers: {
          ...bearer(token),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    },
    /** The token of a login that must succeed. */
    async login(username: string, password: string): Promise<string> {
      const res = await fetch(`${base()}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { token: string }).token;
    },
  };
}
