import { describe, expect, it } from 'vitest';
import type { User } from '../../../src-preload/contract';
import {
  EMPTY_USER_FORM,
  describeCameras,
  describeExpiry,
  newUserInput,
  userPatch,
} from './user-forms';

const guard: User = { id: 2, username: 'guard', role: 'viewer', cameras: ['yard'], createdMs: 0 };

describe('user forms', () => {
  it('builds a new user, dropping cameras for admins', () => {
    expect(
      newUserInput({ ...EMPTY_USER_FORM, username: ' guard ', password: 'long-enough-1' }),
    ).toEqual({
      ok: true,
      value: { username: 'guard', password: 'long-enough-1', role: 'viewer', cameras: null },
    });
    expect(
      newUserInput({ username: 'boss', password: 'long-enough-1', role: 'admin', cameras: ['a'] }),
    ).toMatchObject({ ok: true, value: { cameras: null } });
    expect(newUserInput({ ...EMPTY_USER_FORM, username: 'a b', password: 'x' })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/letters/),
    });
    expect(newUserInput({ ...EMPTY_USER_FORM, username: 'a', password: 'short' })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/10 characters/),
    });
    expect(
      newUserInput({ ...EMPTY_USER_FORM, username: 'a', password: 'long-enough-1', cameras: [] }),
    ).toMatchObject({ ok: false });
  });

  it('patches only what changed', () => {
    const same = { username: 'guard', password: '', role: 'viewer' as const, cameras: ['yard'] };
    expect(userPatch(guard, same)).toEqual({ ok: true, value: {} });
    expect(userPatch(guard, { ...same, cameras: null })).toEqual({
      ok: true,
      value: { cameras: null },
    });
    expect(userPatch(guard, { ...same, role: 'admin', password: 'new-password-1' })).toEqual({
      ok: true,
      value: { role: 'admin', password: 'new-password-1', cameras: null },
    });
    expect(userPatch(guard, { ...same, password: 'short' })).toMatchObject({ ok: false });
  });

  it('describes camera sets and token expiry in words', () => {
    const names = new Map([['yard', 'Yard']]);
    expect(describeCameras(null, names)).toBe('All cameras');
    expect(describeCameras(['yard', 'gone'], names)).toBe('Yard, gone');
    expect(describeExpiry(null, 0)).toBe('never expires');
    expect(describeExpiry(5, 10)).toBe('expired');
    expect(describeExpiry(3 * 86_400_000, 0)).toBe('expires in 3 days');
  });
});
