// Pure helpers of the users dialog: form → contract input, token lifetimes, words for dates and roles.
// No React, no API calls.
import type { User, UserInput, UserPatch } from '../../../src-preload/contract';

export const MIN_PASSWORD_LENGTH = 10;

export interface UserForm {
  username: string;
  password: string;
  role: 'admin' | 'viewer';
  /** null = every camera (admins always). */
  cameras: string[] | null;
}

export const EMPTY_USER_FORM: UserForm = {
  username: '',
  password: '',
  role: 'viewer',
  cameras: null,
};

export type FormResult<T> = { ok: true; value: T } | { ok: false; error: string };

export function checkPassword(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH)
    return `The password needs at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password.length > 256) return 'The password is too long (256 characters at most).';
  return null;
}

export function newUserInput(f: UserForm): FormResult<UserInput> {
  const username = f.username.trim();
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(username))
    return { ok: false, error: 'User names use letters, digits, dot, dash and underscore.' };
  const bad = checkPassword(f.password);
  if (bad) return { ok: false, error: bad };
  if (f.role === 'viewer' && f.cameras !== null && f.cameras.length === 0)
    return { ok: false, error: 'Pick at least one camera, or allow all cameras.' };
  return {
    ok: true,
    value: {
      username,
      password: f.password,
      role: f.role,
      cameras: f.role === 'admin' ? null : f.cameras,
    },
  };
}

/** Only what changed; an empty password field keeps the password. */
export function userPatch(user: User, f: UserForm): FormResult<UserPatch> {
  const patch: UserPatch = {};
  if (f.password !== '') {
    const bad = checkPassword(f.password);
    if (bad) return { ok: false, error: bad };
    patch.password = f.password;
  }
  if (f.role !== user.role) patch.role = f.role;
  const cameras = f.role === 'admin' ? null : f.cameras;
  if (f.role === 'viewer' && cameras !== null && cameras.length === 0)
    return { ok: false, error: 'Pick at least one camera, or allow all cameras.' };
  if (JSON.stringify(cameras) !== JSON.stringify(user.cameras)) patch.cameras = cameras;
  return { ok: true, value: patch };
}

export const TOKEN_LIFETIMES = [
  { label: 'Until revoked', ttlMs: undefined },
  { label: '30 days', ttlMs: 30 * 86_400_000 },
  { label: '1 year', ttlMs: 365 * 86_400_000 },
] as const;

export function describeCameras(cameras: string[] | null, names: Map<string, string>): string {
  if (cameras === null) return 'All cameras';
  if (cameras.length === 0) return 'No cameras';
  return cameras.map((id) => names.get(id) ?? id).join(', ');
}

export function describeExpiry(expiresMs: number | null, nowMs: number): string {
  if (expiresMs === null) return 'never expires';
  if (expiresMs <= nowMs) return 'expired';
  const days = Math.ceil((expiresMs - nowMs) / 86_400_000);
  return days === 1 ? 'expires within a day' : `expires in ${days} days`;
}
